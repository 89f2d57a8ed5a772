"""One rule for every image reference of a page, the rule the Hugo side applies too.

- `/images/x.png` (absolute): a file of site/static/, or a figure figgen.yaml declares;
- `x.png` (relative): a resource of the page's own bundle (the page is an index.md beside it);
  any other relative path fails, in Hugo as here: the page's URL is not its folder;
- a raw `<img>` of a figure figgen draws fails: written as Markdown `![](...)` it gets its alt,
  size, number and caption; a raw `<img>` of another file must exist like any image.

Each broken reference gives one problem, with the hint that fits its cause.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from figgen.config import Project

BUNDLE_PAGES = ("index.md", "_index.md")


def site_file(project: Project, src: str) -> Path | None:
    """The file of site/static/ that an absolute site path names, if it exists inside static/."""
    static = project.static.resolve()
    candidate = (static / src.lstrip("/")).resolve()
    return candidate if candidate.is_file() and static in candidate.parents else None


def _generated_file(project: Project, src: str) -> bool:
    """An image of the images folder (which need not be inside static/) that a site path names."""
    prefix = project.settings.images_url + "/"
    if not src.startswith(prefix):
        return False
    folder = project.images.resolve()
    candidate = project.site_file(src).resolve()
    return candidate.is_file() and folder in candidate.parents


def _static_images(project: Project) -> list[str]:
    folder, prefix = project.images, project.settings.images_url
    return [f"{prefix}/{p.relative_to(folder).as_posix()}" for p in folder.rglob("*") if p.is_file()] \
        if folder.is_dir() else []


def near_names(src: str, known: list[str]) -> list[str]:
    """Declared or existing images whose path is close to `src`: a typo's likely target."""
    by_stem: dict[str, list[str]] = {}
    for path in known:
        by_stem.setdefault(Path(path).stem, []).append(path)
    close = difflib.get_close_matches(Path(src).stem, list(by_stem), n=2, cutoff=0.8)
    return [path for stem in close for path in by_stem[stem]][:2]


def problem_with(project: Project, reference, declared: dict, status: dict[str, str],
                 fix=lambda figure: None) -> str | None:
    """What is wrong with one image reference of a page, in one sentence, or None.

    `fix(figure)` may name a better remedy than rebuilding for a stale figure (a syntax error)."""
    src = reference.src
    if not src.startswith("/"):
        return _relative_problem(project, reference)
    if src in declared:
        if reference.kind == "html":
            return (f"{src} is a figgen figure shown with a raw <img>: write it as Markdown "
                    f"![]({src}) so it gets its alt text, size, number and caption")
        if status[src] != "fresh":
            return f"{src} is {status[src]}: {fix(declared[src]) or project.settings.missing_image_hint}"
        return None
    if site_file(project, src) or _generated_file(project, src):
        return None
    close = near_names(src, sorted(set(declared) | set(_static_images(project))))
    if close:
        return f"{src} does not exist; did you mean {' or '.join(close)}?"
    return f"{src} is not declared by any figure (figgen.yaml) and is no file of {_shown(project, project.static)}"


def _shown(project: Project, folder) -> str:
    """The site's static folder as its authors see it: static, or site/static."""
    try:
        return folder.relative_to(project.root).as_posix()
    except ValueError:
        return str(folder)


def _relative_problem(project: Project, reference) -> str | None:
    page, src = reference.page, reference.src
    if page.name in BUNDLE_PAGES and (page.parent / src).is_file():
        return None  # a resource of the page bundle: Hugo finds it too
    target = (page.parent / src).resolve()
    try:
        site_path = "/" + target.relative_to(project.static.resolve()).as_posix()
    except ValueError:
        site_path = None
    if site_path:
        return f"{src} is a path relative to the page, which Hugo does not resolve: write {site_path}"
    return f"{src} is not a resource of this page's bundle: write a site path such as {project.settings.images_url}/..."
