"""A figure's `params:` as the type its module declares next to `draw()`.

A figure module may declare `class Params` (a dataclass or a pydantic model): its fields are
the accepted keys, with their types, defaults and bounds, declared once. `ctx.params` is then an
instance of it, and a misspelt key or a wrong value in figgen.yaml is a located one-line error,
checked in the main process before anything is drawn (build.py) and again where the figure is
drawn. A module without `Params` gets the plain dict of figgen.yaml, as before.
"""

from __future__ import annotations

from figgen.config import FigureSpec


def params_class(module):
    return getattr(module, "Params", None)


def figure_params(figure: FigureSpec, module):
    """The figure's params: a `Params` instance, or a dict where the module declares none."""
    declared = params_class(module)
    if declared is None:
        return dict(figure.params)
    from figgen.config.typed_values import validated

    def line_of(path: tuple) -> int:
        fallback = figure.key_lines.get("params", figure.line)
        return figure.key_lines.get(f"params.{path[0]}", fallback) if path else fallback

    return validated(declared, figure.params, f"figure {figure.output}: params", line_of)
