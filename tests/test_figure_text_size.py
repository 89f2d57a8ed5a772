"""Every course figure is readable where it is shown: its smallest text >= 11 CSS px on a phone.

Each rendering is drawn by the course's own code (from the models this checkout trained, as
tests/test_dark_figures.py does) and its text artists measured (tests/figure_text.py): at a
390 px viewport the page shows the narrow rendering where the figure has one (figgen's
<source media="(max-width: 600px)">), else the wide one shrunk to 358 px; at 1280 px, the
wide one at up to 720 px.
"""

from __future__ import annotations

import pytest

import tiers
from figure_text import drawn_texts, smallest_text_px
from test_dark_figures import draw_dark

MIN_PX = 11  # a phone's smallest readable text, in CSS px

# Figures still laid out for a computer only (6 to 9 px on a phone), until each gets a narrow
# layout (course/draw/style.py: figure_width). The list may only shrink: a figure on it that
# reaches 11 px fails the test too, so that it is taken off.
NOT_YET_NARROW: set[str] = set()  # every course figure has its phone layout now


def shown_at(figures: list, viewport: int) -> list:
    """The renderings a reader at this viewport may get, one per figure and scheme."""
    from figgen.renderings import default_output, width

    narrow = {default_output(f) for f in figures if width(f.rendering) == "narrow"}
    phone = viewport <= 600
    return [f for f in figures
            if (width(f.rendering) == "narrow") == (phone and default_output(f) in narrow)]


@pytest.mark.course
def test_the_smallest_text_of_every_course_figure_is_11_css_px_on_a_phone():
    tiers.require("course", "draws the course's figures from its trained models")
    from figgen.workspace import open_workspace
    from test_dark_figures import REPO

    workspace = open_workspace(REPO)
    figures = workspace.project.figures
    dpi = workspace.project.settings.display_dpi
    measured = {}
    for figure in figures:
        measured[figure.output] = drawn_texts(draw_dark(workspace, figure))
    failures, report, readable = [], [], set()
    for viewport in (390, 1280):
        for figure in shown_at(figures, viewport):
            texts, width = measured[figure.output]
            size, text = smallest_text_px(texts, width, dpi, viewport)
            report.append(f"{viewport}px {figure.output}: {size:.1f} px ({text[:30]!r})")
            waiting = figure.name.rsplit("/", 1)[-1].split(".")[0] in NOT_YET_NARROW
            if size < MIN_PX and not (waiting and viewport == 390):
                failures.append(report[-1])
            if waiting and viewport == 390 and size >= MIN_PX:
                readable.add(figure.name.rsplit("/", 1)[-1].split(".")[0])
    print("\n".join(report))
    assert len(shown_at(figures, 390)) == len(shown_at(figures, 1280)) > 40
    assert not readable, f"readable on a phone now: take {sorted(readable)} off NOT_YET_NARROW"
    assert not failures, f"{len(failures)} renderings with text under {MIN_PX} CSS px:\n" + "\n".join(failures)
