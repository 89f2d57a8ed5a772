"""Marks that carry meaning stand out from the background: >= 3:1 (WCAG 1.4.11), light and dark.

Measured on pixels, as test_dark_figures.py does for labels: the figure is drawn by the course's
code from this checkout's trained models, rendered at the saved resolution; the background is
the colour most of the plot's pixels have, and each series of marks must both be drawn (pixels
of its colour exist) and differ from that background by >= 3:1.

In the diagrams, a role colour (course/draw/style.py PALETTE: input, hidden, output...) says what
a mark is (the legends say so): every shape or line drawn in one must be seen, by its outline
where it has one (the neurons, boxes and slabs are outlined in ink) or else by its fill or
stroke. Marks faded on purpose (lighter tints of a role: the context of the GNN's second graph)
are not in a role colour and are not measured.
"""

from __future__ import annotations

import functools

import pytest

import tiers
from test_dark_figures import draw_dark

SCATTER_FIGURES = ("module3/latent_space",)  # plots whose meaning is carried by coloured marks
# diagrams whose marks are coloured by role, in every rendering (light, dark, phone)
DIAGRAMS = ("module3/autoencoder", "module3/cnn", "module3/enc_dec", "module3/encoder", "module3/funnel",
            "module3/gnn", "module3/lstm", "module3/nn_zoo", "module3/rnn")


def mark_contrasts(drawn, dpi: int) -> list[tuple[str, float, int]]:
    """(series label, contrast with the background, pixels drawn in its colour) per scatter series."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import PathCollection

    from course.draw.dark import contrast

    drawn.set_dpi(dpi)
    canvas = FigureCanvasAgg(drawn)
    canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba())[:, :, :3].astype(int)
    height = pixels.shape[0]
    found = []
    for axes in drawn.axes:
        box = axes.get_window_extent()
        plot = pixels[height - int(box.y1):height - int(box.y0), int(box.x0):int(box.x1)].reshape(-1, 3)
        colours, counts = np.unique(plot, axis=0, return_counts=True)
        background = tuple(colours[counts.argmax()] / 255)
        for series in (c for c in axes.collections if isinstance(c, PathCollection)):
            face = np.asarray(series.get_facecolor()[0][:3])
            drawn_pixels = int(np.sum(np.all(np.abs(plot - np.round(face * 255)) <= 2, axis=1)))
            found.append((series.get_label(), contrast(tuple(face), background), drawn_pixels))
    return found


@pytest.mark.course
def test_scatter_marks_stand_out_at_3_to_1_in_light_and_dark():
    tiers.require("course", "draws the course's figures from its trained models")
    from figgen.workspace import open_workspace
    from test_dark_figures import REPO

    workspace = open_workspace(REPO)
    settings = workspace.project.settings
    figures = [f for f in workspace.project.figures if f.name.split(".")[0] in SCATTER_FIGURES]
    assert {f.rendering for f in figures} == {"light", "dark", "narrow", "narrow.dark"}  # a phone's too
    failures = []
    for figure in figures:
        marks = mark_contrasts(draw_dark(workspace, figure), settings.display_dpi * settings.pixel_ratio)
        assert len(marks) == 10, figure.output  # one series per digit
        failures += [f"{figure.name} {label}: {ratio:.2f}:1, {count} px" for label, ratio, count in marks
                     if ratio < 3 or count < 20]
    assert not failures, "\n".join(failures)


def role_mark_contrasts(drawn, dpi: int, roles: set[str]) -> list[tuple[str, float, int]]:
    """(mark, contrast of what outlines it with the background, pixels drawn in that colour) for
    every patch or line drawn in a role colour; the background is the figure's commonest pixel."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import to_hex, to_rgba
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from course.draw.dark import contrast

    drawn.set_dpi(dpi)
    canvas = FigureCanvasAgg(drawn)
    canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba())[:, :, :3].reshape(-1, 3).astype(int)
    colours, counts = np.unique(pixels, axis=0, return_counts=True)  # each colour drawn, once
    background = tuple(colours[counts.argmax()] / 255)

    @functools.cache
    def seen(colour) -> int:
        near = np.all(np.abs(colours - np.round(np.asarray(colour[:3]) * 255)) <= 2, axis=1)
        return int(counts[near].sum())

    found = set()  # a diagram draws hundreds of marks in a handful of colours
    for mark in drawn.findobj(lambda a: isinstance(a, (Patch, Line2D)) and a.get_visible()):
        if isinstance(mark, Patch):
            face, edge = to_rgba(mark.get_facecolor()), to_rgba(mark.get_edgecolor())
            fill = face if mark.get_fill() and face[3] > 0 else None
            outline = edge if mark.get_linewidth() > 0 and edge[3] > 0 else None
        else:  # a line (or a legend's marker)
            fill = to_rgba(mark.get_markerfacecolor()) if mark.get_marker() not in (None, "None", "") else None
            outline = to_rgba(mark.get_color()) if mark.get_linestyle() not in ("None", "") else \
                to_rgba(mark.get_markeredgecolor()) if fill is not None else None
        role = [c for c in (fill, outline) if c is not None and to_hex(c) in roles]
        if not role:
            continue
        shown = outline if outline is not None else fill  # what bounds the mark
        ratio = max(contrast(shown[:3], background), *(contrast(c[:3], background) for c in role))
        best = max([shown, *role], key=lambda c: contrast(c[:3], background))
        found.add((f"{type(mark).__name__} {to_hex(role[0])}", ratio, seen(tuple(best))))
    return sorted(found)


@pytest.mark.course
@pytest.mark.slow  # 36 renderings drawn (~1 min of CPU)
def test_role_coloured_marks_of_the_diagrams_stand_out_at_3_to_1_in_every_rendering():
    tiers.require("course", "draws the course's figures from its trained models")
    from matplotlib.colors import to_hex

    from course.draw.style import palette
    from figgen.renderings import scheme
    from figgen.workspace import open_workspace
    from test_dark_figures import REPO

    workspace = open_workspace(REPO)
    settings = workspace.project.settings
    figures = [f for f in workspace.project.figures if f.name.split(".")[0] in DIAGRAMS]
    assert {f.name.split(".")[0] for f in figures} == set(DIAGRAMS)
    failures = []
    for figure in figures:
        roles = {to_hex(c) for c in palette(scheme(figure.rendering)).values()}
        marks = role_mark_contrasts(draw_dark(workspace, figure), settings.display_dpi, roles)  # colours, not detail
        assert marks, figure.name
        failures += [f"{figure.name} ({figure.rendering or 'light'}) {mark}: {ratio:.2f}:1, {count} px"
                     for mark, ratio, count in marks if ratio < 3 or count < 20]
    assert not failures, "\n".join(sorted(set(failures)))
