"""Light and dark, wide and narrow: a figure drawn once per colour scheme and screen width.

A figure (or the whole project, as a default) declares `renderings: [light, dark]`, and
`narrow` beside them for phones: `[light, dark, narrow]` draws four files, every scheme at
both widths. At load time it becomes one FigureSpec per rendering, so each rendering has its
own fingerprint, record, cache entry, remote copy and worker task, and shows in `figgen list`
and `why`, with no special case anywhere else. `draw(ctx)` reads `ctx.rendering` (the
scheme: light or dark) and `ctx.width` (wide or narrow: a narrow one is shown on a phone,
about half as wide, so it is drawn narrower with the same text sizes).

Naming: the light rendering keeps the declared output (`/images/module3/cnn.png`), so a
project that adds dark keeps every URL it had; the dark one lies beside it with the rendering
before the extension (`/images/module3/cnn.dark.png`), the narrow ones too
(`cnn.narrow.png`, `cnn.narrow.dark.png`). A declared output may not hold a dot
in its name (config.py), so a rendering's name never collides with a declared figure.
"""

from __future__ import annotations

import dataclasses

from figgen.errors import BadInput, BuildFailed

SCHEMES = ("light", "dark")
NARROW = "narrow"  # the width axis: declared beside the schemes, drawn for each of them
RENDERINGS = (*SCHEMES, NARROW)  # what `renderings:` accepts
DEFAULT_RENDERING = "light"  # what a project that declares nothing draws, under today's name


def scheme(rendering: str) -> str:
    """"narrow.dark" -> "dark": the colour scheme a rendering is drawn in."""
    return rendering.rsplit(".", 1)[-1] if rendering and rendering != NARROW else DEFAULT_RENDERING


def width(rendering: str) -> str:
    """"narrow" for a phone's rendering, "wide" for the others."""
    return NARROW if rendering.split(".")[0] == NARROW else "wide"


def drawn(declared: tuple[str, ...]) -> tuple[str, ...]:
    """The renderings a declaration draws: its schemes, then each of them narrow.

    (light, dark, narrow) -> (light, dark, narrow, narrow.dark): "narrow" is the light one at
    phone width, so its name, like "light", needs no scheme.
    """
    schemes = [r for r in declared if r in SCHEMES]
    if NARROW not in declared:
        return tuple(schemes)
    return (*schemes, *(NARROW if s == DEFAULT_RENDERING else f"{NARROW}.{s}" for s in schemes))


def declared_renderings(value, where: str, filename: str, line: int | None) -> tuple[str, ...]:
    """`renderings:` as written in figgen.yaml, checked: () when absent."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(item, str) for item in value):
        raise BadInput(f"{where}renderings must be a list such as [light, dark]", filename, line)
    for item in value:
        if item not in RENDERINGS:
            raise BadInput(f"{where}renderings: unknown rendering '{item}' (accepted: {', '.join(RENDERINGS)})",
                           filename, line)
    if len(set(value)) != len(value):
        raise BadInput(f"{where}renderings lists a rendering twice", filename, line)
    if DEFAULT_RENDERING not in value:
        raise BadInput(f"{where}renderings must include {DEFAULT_RENDERING}: it is the page's default", filename, line)
    return tuple(sorted(value, key=RENDERINGS.index))


def rendering_output(output: str, rendering: str) -> str:
    """`/images/m/cnn.png` -> `/images/m/cnn.dark.png` for dark; the light one keeps its name."""
    if rendering == DEFAULT_RENDERING:
        return output
    stem, extension = output.rsplit(".", 1)
    return f"{stem}.{rendering}.{extension}"


def expand(figures: list) -> list:
    """One FigureSpec per rendering of each figure that declares renderings, in declared order."""
    expanded = []
    for figure in figures:
        if not figure.renderings:
            expanded.append(figure)
            continue
        for rendering in drawn(figure.renderings):
            expanded.append(dataclasses.replace(figure, rendering=rendering,
                                                output=rendering_output(figure.output, rendering)))
    return expanded


def default_output(figure) -> str:
    """The declared output of the figure this spec is a rendering of (its own output otherwise)."""
    if not figure.rendering or figure.rendering == DEFAULT_RENDERING:
        return figure.output
    stem, extension = figure.output.rsplit(".", 1)
    return f"{stem.removesuffix('.' + figure.rendering)}.{extension}"


def siblings(figures: list, figure) -> list:
    """Every rendering of the figure `figure` is a rendering of (itself included)."""
    if not figure.rendering:
        return [figure]
    home = default_output(figure)
    return [f for f in figures if f.rendering and default_output(f) == home]


def with_other_renderings(figures: list, chosen: list) -> list:
    """Naming a figure by its default name builds all its renderings (`cnn` -> cnn.png, cnn.dark.png)."""
    result = []
    for figure in chosen:
        family = siblings(figures, figure) if figure.rendering == DEFAULT_RENDERING else [figure]
        result += [f for f in family if f not in result]
    return result


def other_renderings(figures: list) -> dict[str, dict[str, str]]:
    """Default output -> {rendering: its output} for the other renderings: what Hugo reads.

    Keys: "dark", "narrow", "narrow_dark" (Hugo's templates read a key with no dot best)."""
    found: dict[str, dict[str, str]] = {}
    for figure in figures:
        if figure.rendering and figure.rendering != DEFAULT_RENDERING:
            found.setdefault(default_output(figure), {})[figure.rendering.replace(".", "_")] = figure.output
    return found


def refuse_disagreeing_renderings(figures: list, facts_of) -> None:
    problem = facts_disagreement(figures, facts_of)
    if problem:
        raise BuildFailed(problem)


def facts_disagreement(figures: list, facts_of) -> str | None:
    """The first figure whose renderings reported different facts, said by name; else None.

    A rendering changes colours, never what the alt text quotes: light and dark must measure
    the same numbers. `facts_of(output)` is the recorded facts of a fresh drawing, or None.
    """
    for home, others in other_renderings(figures).items():
        reference = facts_of(home)
        if reference is None:
            continue
        for rendering, output in sorted(others.items()):
            facts = facts_of(output)
            if facts is None or facts == reference:
                continue
            names = sorted(key for key in reference.keys() | facts.keys() if reference.get(key) != facts.get(key))
            shown = "; ".join(f"{key}: {reference.get(key)!r} in {DEFAULT_RENDERING}, {facts.get(key)!r} in {rendering}"
                              for key in names[:3])
            return (f"figure {home}: its renderings report different facts ({shown}): a rendering may change "
                    f"colours, never what the alt text quotes")
    return None
