"""Marks that carry meaning stand out from the background: >= 3:1 (WCAG 1.4.11), light and dark.

Measured on pixels, as test_dark_figures.py does for labels: the figure is drawn by the course's
code from this checkout's trained models, rendered at the saved resolution; the background is
the colour most of the plot's pixels have, and each series of marks must both be drawn (pixels
of its colour exist) and differ from that background by >= 3:1.
"""

from __future__ import annotations

import pytest

import tiers
from test_dark_figures import draw_dark

SCATTER_FIGURES = ("module3/latent_space",)  # plots whose meaning is carried by coloured marks


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
