"""Every course figure is legible, wide and narrow, light and dark: each label reads at >= 4.5:1
(WCAG AA) on what is around it, in every rendering (`light`, `dark`, a phone's `narrow` and
`narrow.dark`).

Measured on pixels, not on the palette: each rendering is drawn by the course's own code (from
the models this checkout trained), rendered at the saved resolution, and for every label the
colour it was drawn in is compared with the median of the pixels in a ring just outside its
box, i.e. what the reader's eye sees around the letters. course/draw/dark.py samples inside the
box with the labels removed; this test looks elsewhere, so it does not merely repeat it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import tiers

REPO = Path(__file__).resolve().parents[1]
RING = 4  # pixels around a label's box, at the saved resolution


def dark_figures(wanted: str = "dark"):
    """Every rendering in the `wanted` scheme, wide and narrow (one FigureSpec per rendering)."""
    from figgen.renderings import scheme
    from figgen.workspace import open_workspace

    workspace = open_workspace(REPO)
    return workspace, [f for f in workspace.project.figures if scheme(f.rendering) == wanted]


def draw_dark(workspace, figure):
    """Draws one rendering of a figure, any of them (named when only the dark ones were checked)."""
    from figgen.context import FigureContext
    from figgen.loader import project_attribute
    from figgen.worker import init_worker, _pristine_matplotlib

    project = workspace.project
    init_worker(project)
    checkpoints = {name: workspace.store.checkpoint(name, workspace.fingerprints.models[name]) for name in figure.models}
    missing = [name for name, path in checkpoints.items() if not path.exists()]
    if missing:
        pytest.skip(f"models not trained in this checkout: {missing} (run make figures)")
    _pristine_matplotlib()
    draw = project_attribute(project.root, project.package, figure.draw, "draw")
    return draw(FigureContext(project, figure, checkpoints, {}))


def label_contrasts(drawn, dpi: int) -> list[tuple[str, float]]:
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import to_rgb
    from matplotlib.text import Text

    from course.draw.dark import contrast

    drawn.set_dpi(dpi)
    canvas = FigureCanvasAgg(drawn)
    canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba())[:, :, :3] / 255.0
    height, width = pixels.shape[:2]
    renderer = canvas.get_renderer()
    # Tick labels of an axes drawn without its axis (axis("off")) exist but are never drawn.
    undrawn = {id(label) for axes in drawn.axes if not axes.axison
               for label in axes.get_xticklabels(which="both") + axes.get_yticklabels(which="both")}
    found = []
    for text in {id(t): t for t in drawn.findobj(Text)}.values():
        if not text.get_visible() or not text.get_text().strip() or id(text) in undrawn:
            continue
        box = text.get_window_extent(renderer)
        # The ring, cut where the figure ends (the saved margin there is the same background).
        x0, x1 = int(box.x0) - RING, int(np.ceil(box.x1)) + RING
        y0, y1 = height - int(np.ceil(box.y1)) - RING, height - int(box.y0) + RING
        outside = np.ones((y1 - y0, x1 - x0), dtype=bool)
        outside[RING:-RING, RING:-RING] = False
        rows, columns = np.nonzero(outside)
        rows, columns = rows + y0, columns + x0
        inside = (rows >= 0) & (rows < height) & (columns >= 0) & (columns < width)
        ring = pixels[rows[inside], columns[inside]]
        if not len(ring):
            continue  # outside the canvas: not drawn
        found.append((text.get_text(), contrast(to_rgb(text.get_color()), tuple(np.median(ring, axis=0)))))
    return found


@pytest.mark.course
@pytest.mark.parametrize("wanted", ["dark", "light"])
def test_every_label_of_every_course_rendering_reads_at_4_5_to_1(wanted):
    tiers.require("course", "draws the course's figures from its trained models")
    workspace, figures = dark_figures(wanted)
    lights = [f for f in workspace.project.figures if f.rendering == "light"]
    narrows = [f for f in workspace.project.figures if f.rendering == "narrow"]
    wide, phone = ("dark", "narrow.dark") if wanted == "dark" else ("light", "narrow")
    assert len([f for f in figures if f.rendering == wide]) == len(lights) > 20
    assert len([f for f in figures if f.rendering == phone]) == len(narrows) > 0  # a phone's, too
    settings = workspace.project.settings
    failures = []
    for figure in figures:
        drawn = draw_dark(workspace, figure)
        labels = label_contrasts(drawn, settings.display_dpi * settings.pixel_ratio)
        assert labels, figure.output
        failures += [f"{figure.output}: {text!r} {ratio:.2f}:1" for text, ratio in labels if ratio < 4.5]
    assert not failures, "\n".join(failures)
