"""Every file a reader of a shown figure may get, checked: its dark rendering too.

A page names only the light rendering (`![](/images/m/cnn.png)`); the browser of a reader in
dark mode fetches `cnn.dark.png`. `figgen check` checks the name the page holds
(image_refs.py); this checks the other renderings of each shown figure, by their file's path.
The responsive sizes (1x, 2x, WebP) are made by Hugo from these very files at site build time.
"""

from __future__ import annotations

from figgen.planner import FRESH
from figgen.renderings import default_output


def rendering_problems(workspace, used: set[str], status: dict[str, str]) -> list[str]:
    """One line per missing or stale rendering of a figure a page shows: its path, exit 1."""
    project = workspace.project
    problems = []
    for figure in project.figures:
        shown = default_output(figure)
        if figure.output == shown or shown not in used or status[figure.output] == FRESH:
            continue
        path = project.output_file(figure)
        try:
            where = path.relative_to(project.root)
        except ValueError:
            where = path
        fix = workspace.syntax_error(figure) or project.settings.missing_image_hint
        problems.append(f"{where}: the {figure.rendering} rendering of {shown} (shown by a page) is "
                        f"{status[figure.output]}: {fix}")
    return problems
