"""`figgen check` on a figure whose `params:` its module's `Params` refuses (a misspelt key).

The figure cannot be drawn, so everything downstream of it (stale, unknown facts in its alt
text, a metric the page quotes) follows from that one key: check says the key, with its line,
as `figgen build` does, and nothing else about that figure.
"""

from __future__ import annotations

from figgen.errors import BadInput, FiggenError
from figgen.planner import FRESH


def params_problems(project, status: dict[str, str]) -> dict[str, str]:
    """{output: "figgen.yaml:12: figure ...: params: unknown key 'x' ..."} for the figures not fresh."""
    from figgen.figure_params import figure_params
    from figgen.loader import forget_modules, import_project_module

    problems = {}
    try:
        for figure in project.figures:
            if status.get(figure.output) == FRESH or not figure.params:
                continue
            try:
                module = import_project_module(project.root, project.package, figure.draw)
            except FiggenError:
                raise
            except BaseException:  # noqa: BLE001 - broken code is the build's report, not this one's
                continue
            try:
                figure_params(figure, module)
            except BadInput as problem:
                problems[figure.output] = str(problem)
    finally:  # as build does: workers import the code as it is when they draw
        forget_modules((project.package,))
    return problems
