"""`figgen new`: scaffold what an author fills in, declared in figgen.yaml, with the next step printed.

- `figgen new /images/moduleN/name.png --alt "…" [--model M]`: a figure module (its `Params` and
  `draw(ctx)`), its declaration under `figures:`, the Markdown line to paste and the build command;
- `figgen new --recipe NAME`: a model class and its training recipe, declared under `models:`.

figgen.yaml keeps its comments and layout: declarations are inserted as text, then the whole
file is validated (and put back as it was if the result is not valid).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from figgen.atomic import write_atomically
from figgen.config import ALLOWED_NAMES, CONFIG_NAME, IDENTIFIER, find_root, load_project, site_image_path
from figgen.errors import BadInput
from figgen.loader import module_file


def new_figure(start: Path, output: str, alt: str, models: tuple[str, ...] = (), out=sys.stdout) -> int:
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
    from figgen.ownership import refuse_existing_output
    from figgen.renderings import drawn, rendering_output

    refuse_existing_output(project, [rendering_output(output, r) for r in drawn(project.settings.renderings) or ("light",)])
    module = module_name(output)
    if module[0].isdigit():
        module = f"figure_{module}"
    draw = f"{project.settings.new_figures}.{module}"
    source = project.root / module_file(project.package, draw)
    if source.exists():
        raise BadInput(f"{source.relative_to(root)} already exists: choose another image name")

    values = {"output": output, "module": module, "draw": draw, "alt": alt, "models": list(models),
              "title": plot_title(alt)}
    templates = _templates()
    declaration = templates.get_template("declaration.yaml.j2").render(values)
    project = _declare(root, lambda config: add_to_figures(config, declaration))
    _write_module(project, draw, templates.get_template("figure.py.j2").render(values))
    figure = next(f for f in project.figures if f.output == output)
    print(f"created {source.relative_to(root)} (edit its Params and draw function)", file=out)
    print(f"declared {output} in {CONFIG_NAME} (its alt text is there)", file=out)
    print(f"paste into a page:  {paste_line(project, output)}", file=out)
    print(f"then run:           figgen build {build_name(project, figure)}", file=out)
    return 0


def paste_line(project, output: str) -> str:
    """`![](/images/x.png)`, or the figgen-figure shortcode where another image hook renders
    Markdown images (a theme listed before figgen: image_hooks.py)."""
    from figgen.image_hooks import image_hook

    hook = image_hook(project.site)
    if hook is not None and not hook.figgen:
        return f'{{{{< figgen-figure src="{output}" >}}}}'
    return f"![]({output})"


def plot_title(alt: str) -> str:
    """The plot's title from its alt text, without the placeholders that only figgen.yaml fills:
    "Accuracy ends at {@acc.best:percent:1}." -> "Accuracy ends at"."""
    from figgen.placeholders import PLACEHOLDER

    title = " ".join(PLACEHOLDER.sub(" ", alt).split())
    return title.rstrip(" .,;:") or "Figure"


def new_recipe(start: Path, name: str, out=sys.stdout) -> int:
    root = find_root(start.resolve())
    project = load_project(root, allow_no_figures=True)
    if not IDENTIFIER.match(name) or name.startswith("_"):
        raise BadInput(f"model name '{name}' must be a Python identifier, like moons or digit_classifier")
    if name in project.models:
        raise BadInput(f"model '{name}' is already declared in {CONFIG_NAME}")
    settings = project.settings
    class_name = "".join(part.capitalize() for part in name.split("_") if part) or "Model"
    values = {"name": name, "class_name": class_name, "class_path": f"{settings.new_models}.{name}.{class_name}",
              "recipe": f"{settings.new_recipes}.{name}"}
    model_module, recipe_module = f"{settings.new_models}.{name}", values["recipe"]
    for module in (model_module, recipe_module):
        source = root / module_file(project.package, module)
        if source.exists():
            raise BadInput(f"{source.relative_to(root)} already exists: choose another model name")

    templates = _templates()
    declaration = templates.get_template("model_declaration.yaml.j2").render(values)
    project = _declare(root, lambda config: add_to_models(config, declaration))
    _write_module(project, model_module, templates.get_template("model.py.j2").render(values))
    _write_module(project, recipe_module, templates.get_template("recipe.py.j2").render(values))
    print(f"created {module_file(project.package, model_module)} (the network: class {class_name})", file=out)
    print(f"created {module_file(project.package, recipe_module)} (its data, Hyperparameters and train(run))",
          file=out)
    print(f"declared the model {name} in {CONFIG_NAME}", file=out)
    print(f"then draw it:       figgen new {settings.images_url}/{name}.png --alt \"…\" --model {name}", file=out)
    return 0


def build_name(project, figure) -> str:
    """What `figgen build` accepts for this figure alone: its name, or its site path where a
    model has the same name (a bare model name is ambiguous, names.py)."""
    stem = figure.name.rsplit("/", 1)[-1]
    return figure.output if figure.name in project.models or stem in project.models else figure.name


def _templates():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    templates = Environment(loader=PackageLoader("figgen", "templates"), undefined=StrictUndefined,
                            keep_trailing_newline=True)
    templates.filters["python_text"] = repr
    templates.filters["yaml_text"] = lambda text: '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return templates


def _declare(root: Path, edit):
    """figgen.yaml edited by `edit(text)`, validated; put back as it was if it is not valid."""
    config_path = root / CONFIG_NAME
    config = config_path.read_text(encoding="utf-8")
    write_atomically(config_path, edit(config).encode())
    try:
        return load_project(root, allow_no_figures=True)
    except BadInput:
        write_atomically(config_path, config.encode())
        raise


def _write_module(project, module: str, text: str) -> None:
    """The module's file, and an `__init__.py` in each new folder on the way (a package)."""
    source = project.root / module_file(project.package, module)
    folder = source.parent
    while folder != project.root and not (folder / "__init__.py").exists():
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(folder / "__init__.py", b"")
        folder = folder.parent
    write_atomically(source, text.encode())


def module_name(output: str) -> str:
    """A Python module name for an image: `réseau-2.png` -> `reseau_2` (ASCII, as figgen.yaml's `draw:`)."""
    import unicodedata

    stem = unicodedata.normalize("NFKD", output.rsplit("/", 1)[-1].rsplit(".", 1)[0])
    return re.sub(r"[^A-Za-z0-9_]", "_", "".join(c for c in stem if not unicodedata.combining(c)))


def add_to_figures(config: str, declaration: str) -> str:
    """figgen.yaml with `declaration` appended to its top-level `figures:` list."""
    return _add_to_block(config, "figures", declaration, r"\[\s*\]", "figures:\n")


def add_to_models(config: str, declaration: str) -> str:
    """figgen.yaml with `declaration` added to its top-level `models:` mapping (before `figures:`
    when there is none yet)."""
    if not re.search(r"^models\s*:", config, re.MULTILINE):
        figures = re.search(r"^figures\s*:", config, re.MULTILINE)
        if figures:
            return config[: figures.start()] + "models:\n" + declaration + "\n" + config[figures.start():]
    return _add_to_block(config, "models", declaration, r"\{\s*\}", "models:\n")


def _add_to_block(config: str, key: str, declaration: str, empty: str, header: str) -> str:
    lines = config.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if re.match(rf"^{key}\s*:", line)), None)
    if start is None:
        return config.rstrip("\n") + f"\n\n{header}" + declaration
    if re.match(rf"^{key}\s*:\s*{empty}\s*(#.*)?$", lines[start].rstrip("\n")):
        lines[start] = header
    end = start + 1
    while end < len(lines) and not re.match(r"^[^\s#]", lines[end]):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():  # keep blank lines after the block
        end -= 1
    if end and not lines[end - 1].endswith("\n"):
        lines[end - 1] += "\n"
    return "".join(lines[:end]) + declaration + "".join(lines[end:])
