"""`figgen new /images/moduleN/name.png`: scaffold a figure an author can fill in.

Writes the drawing module from a template, declares it in figgen.yaml (keeping the file's
comments and layout) and prints the Markdown line to paste into a page.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from figgen.atomic import write_atomically
from figgen.config import ALLOWED_NAMES, CONFIG_NAME, find_root, load_project, site_image_path
from figgen.errors import BadInput
from figgen.loader import module_file


def new_figure(start: Path, output: str, alt: str, models: tuple[str, ...] = (), out=sys.stdout) -> int:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    root = find_root(start.resolve())
    project = load_project(root, allow_no_figures=True)
    prefix = project.settings.images_url
    if not site_image_path(prefix).match(output):
        raise BadInput(f"'{output}' must be {ALLOWED_NAMES.format(prefix=prefix)}")
    if any(f.output == output for f in project.figures):
        raise BadInput(f"{output} is already declared in {CONFIG_NAME}")
    unknown = [m for m in models if m not in project.models]
    if unknown:
        raise BadInput(f"unknown model '{unknown[0]}' (declared: {', '.join(sorted(project.models)) or 'none'})")
    module = module_name(output)
    if module[0].isdigit():
        module = f"figure_{module}"
    draw = f"{project.settings.new_figures}.{module}"
    source = project.root / module_file(project.package, draw)
    if source.exists():
        raise BadInput(f"{source.relative_to(root)} already exists: choose another image name")

    templates = Environment(loader=PackageLoader("figgen", "templates"), undefined=StrictUndefined,
                            keep_trailing_newline=True)
    templates.filters["python_text"] = repr
    templates.filters["yaml_text"] = lambda text: '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    values = {"output": output, "module": module, "draw": draw, "alt": alt, "models": list(models),
              "title": alt.rstrip(".")}
    config_path = root / CONFIG_NAME
    config = config_path.read_text(encoding="utf-8")
    declaration = templates.get_template("declaration.yaml.j2").render(values)
    write_atomically(config_path, add_to_figures(config, declaration).encode())
    try:
        load_project(root)  # the new declaration must leave a valid figgen.yaml
    except BadInput:
        write_atomically(config_path, config.encode())
        raise
    write_atomically(source, templates.get_template("figure.py.j2").render(values).encode())
    print(f"created {source.relative_to(root)} (edit its draw function)", file=out)
    print(f"declared {output} in {CONFIG_NAME}", file=out)
    print(f"paste into a page:  ![]({output})   (its alt text lives in {CONFIG_NAME})", file=out)
    print(f"then run:           figgen build {module}", file=out)
    return 0


def module_name(output: str) -> str:
    """A Python module name for an image: `réseau-2.png` -> `reseau_2` (ASCII, as figgen.yaml's `draw:`)."""
    import unicodedata

    stem = unicodedata.normalize("NFKD", output.rsplit("/", 1)[-1].rsplit(".", 1)[0])
    return re.sub(r"[^A-Za-z0-9_]", "_", "".join(c for c in stem if not unicodedata.combining(c)))


def add_to_figures(config: str, declaration: str) -> str:
    """figgen.yaml with `declaration` appended to its top-level `figures:` list."""
    lines = config.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if re.match(r"^figures\s*:", line)), None)
    if start is None:
        return config.rstrip("\n") + "\n\nfigures:\n" + declaration
    if re.match(r"^figures\s*:\s*\[\s*\]\s*(#.*)?$", lines[start].rstrip("\n")):
        lines[start] = "figures:\n"
    end = start + 1
    while end < len(lines) and not re.match(r"^[^\s#]", lines[end]):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():  # keep blank lines after the list
        end -= 1
    if end and not lines[end - 1].endswith("\n"):
        lines[end - 1] += "\n"
    return "".join(lines[:end]) + declaration + "".join(lines[end:])
