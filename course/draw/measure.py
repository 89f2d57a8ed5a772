"""Measure the text a figure really draws: extents, overlaps, sizes.

Figures use it to place labels from their measured size instead of guessed offsets, and the
tests use it to prove that no two labels overlap and that every label is readable.
"""

from __future__ import annotations


def renderer_of(figure):
    """An Agg renderer for `figure` (attached on first use: figures are built without pyplot)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not isinstance(figure.canvas, FigureCanvasAgg):
        FigureCanvasAgg(figure)
    return figure.canvas.get_renderer()


def text_size(ax, text: str, **properties) -> tuple[float, float]:
    """(width, height) in inches that `text` would take with these Text properties."""
    figure = ax.figure
    artist = ax.text(0, 0, text, **properties)
    extent = artist.get_window_extent(renderer_of(figure))
    artist.remove()
    return extent.width / figure.dpi, extent.height / figure.dpi


def drawn_texts(figure) -> list:
    """Every Text artist the figure actually draws (tick labels of hidden axes excluded)."""
    from matplotlib.text import Text

    renderer = renderer_of(figure)
    drawn: dict[int, object] = {}
    draw = Text.draw

    def recording(self, renderer_):
        if self.get_visible() and self.get_text().strip():
            drawn[id(self)] = self
        return draw(self, renderer_)

    # Watched at the class for one draw: annotations, legend and tick labels included (a
    # renderer's draw_text would miss multi-line texts, which it receives without their artist).
    Text.draw = recording
    try:
        figure.draw(renderer)
    finally:
        Text.draw = draw
    return list(drawn.values())


def text_extents(figure) -> list[tuple[str, object]]:
    """(text, window extent in display pixels) for every drawn label."""
    from matplotlib.text import Text

    renderer = renderer_of(figure)
    # Text's own extent: an annotation's would include its arrow
    return [(text.get_text(), Text.get_window_extent(text, renderer)) for text in drawn_texts(figure)]


def overlapping_texts(figure, tolerance_px: float = 1.0) -> list[tuple[str, str]]:
    """Pairs of drawn labels whose boxes overlap by more than `tolerance_px` on both axes."""
    extents = text_extents(figure)
    pairs = []
    for i, (text_a, a) in enumerate(extents):
        for text_b, b in extents[i + 1 :]:
            overlap_x = min(a.x1, b.x1) - max(a.x0, b.x0)
            overlap_y = min(a.y1, b.y1) - max(a.y0, b.y0)
            if overlap_x > tolerance_px and overlap_y > tolerance_px:
                pairs.append((text_a, text_b))
    return pairs


def smallest_font(figure) -> float:
    """The smallest font size (points) among the drawn labels."""
    return min((text.get_fontsize() for text in drawn_texts(figure)), default=float("inf"))


def drawn_size(figure) -> tuple[float, float]:
    """(width, height) in inches of what the saved image holds (bbox_inches="tight")."""
    box = figure.get_tightbbox(renderer_of(figure))
    return box.width, box.height
