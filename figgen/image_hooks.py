"""Whose image render hook renders a site's Markdown images: the site's, a theme's, or figgen's.

Hugo looks a template up in the site's own layouts/, then in each theme of `theme`, in order;
the first `_markup/render-image.html` it finds renders every Markdown image of the site. When
it is not figgen's, a figgen figure written `![](/images/x.png)` would come out as a plain
<img> without its alt text, caption or dark rendering: `figgen check` says so (check_rules in
commands/check.py) and `figgen init` writes the order and advice that fit (commands/init.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from figgen.site_locale import hugo_config

HOOKS = ("layouts/_markup/render-image.html", "layouts/_default/_markup/render-image.html")
FIGGEN_MARK = "layouts/_partials/figgen/figure.html"  # only figgen's component has it


@dataclass(frozen=True)
class Hook:
    owner: str  # "site", or the theme's name
    path: Path  # its render-image.html
    figgen: bool  # figgen's own component


def themes_of(site: Path, config: dict | None = None) -> list[str]:
    """The site's `theme` setting as a list, in Hugo's order."""
    config = hugo_config(site) if config is None else config
    theme = config.get("theme") or []
    return [theme] if isinstance(theme, str) else [str(name) for name in theme]


def theme_dir(site: Path, name: str, config: dict | None = None) -> Path:
    config = hugo_config(site) if config is None else config
    return site / str(config.get("themesdir") or "themes") / name


def is_figgen(folder: Path) -> bool:
    return (folder / FIGGEN_MARK).is_file()


def own_hook(folder: Path) -> Path | None:
    """The image render hook a site or theme folder holds, if any."""
    return next((folder / hook for hook in HOOKS if (folder / hook).is_file()), None)


def image_hook(site: Path) -> Hook | None:
    """The hook that renders the site's Markdown images; None where Hugo renders them itself."""
    config = hugo_config(site)
    found = own_hook(site)
    if found:
        return Hook("site", found, False)
    for name in themes_of(site, config):
        folder = theme_dir(site, name, config)
        found = own_hook(folder)
        if found:
            return Hook(name, found, is_figgen(folder))
    return None


def other_hooks(site: Path) -> list[str]:
    """The themes of the site, other than figgen, that hold an image render hook of their own."""
    config = hugo_config(site)
    return [name for name in themes_of(site, config) if name != "figgen"
            and not is_figgen(theme_dir(site, name, config)) and own_hook(theme_dir(site, name, config))]


def hook_problems(site: Path, scans, declared, where) -> list[str]:
    """A figgen figure written as a Markdown image where another hook renders Markdown images."""
    hook = image_hook(site)
    if hook is None or hook.figgen:
        return []
    try:
        shown = hook.path.relative_to(site)
    except ValueError:
        shown = hook.path
    owner = "the site's own" if hook.owner == "site" else f"the theme {hook.owner}'s"
    return [f"{where(scan.page, reference.line)}: {reference.src} is a figgen figure, but {owner} image render hook "
            f"({shown}) renders the page's Markdown images, so it would show a bare <img> without its alt text, "
            f"caption or dark rendering: write {{{{< figgen-figure src=\"{reference.src}\" >}}}}"
            for scan in scans for reference in scan.images
            if reference.kind == "markdown" and reference.src in declared]
