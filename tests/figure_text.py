"""The smallest text of a drawn figure, in CSS pixels at the size a page shows it.

Read from matplotlib's own text artists (font size in points) rather than a browser: a figure
is laid out at display_dpi CSS pixels per inch and saved tight, so a `p` pt label is
p * dpi / 72 CSS px in the file; the page shrinks the file to its column (course.css: 720 px,
less 2 x 16 px of margin on a phone), and the text with it.
"""

from __future__ import annotations

PAD_INCHES = 0.08  # figgen/saving.py: savefig(pad_inches=...)


def column_width(viewport: int) -> int:
    """CSS px a figure may span at this viewport width (site/assets/css/course.css)."""
    return 720 if viewport > 900 else viewport - 32


def drawn_texts(drawn) -> tuple[list[tuple[str, float]], float]:
    """(every visible label's (text, size in pt), the saved image's width in inches)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    canvas = FigureCanvasAgg(drawn)
    canvas.draw()
    renderer = canvas.get_renderer()
    undrawn = {id(label) for axes in drawn.axes if not axes.axison
               for label in axes.get_xticklabels(which="both") + axes.get_yticklabels(which="both")}
    texts = [(text.get_text(), text.get_fontsize()) for text in {id(t): t for t in drawn.findobj(Text)}.values()
             if text.get_visible() and text.get_text().strip() and id(text) not in undrawn]
    width = drawn.get_tightbbox(renderer).width + 2 * PAD_INCHES
    return texts, width


def smallest_text_px(texts: list[tuple[str, float]], width_inches: float, display_dpi: int,
                     viewport: int) -> tuple[float, str]:
    """(the smallest label's height in CSS px as shown at `viewport`, its text)."""
    file_width = width_inches * display_dpi
    scale = min(1.0, column_width(viewport) / file_width)
    size, text = min((points, text) for text, points in texts)
    return size * display_dpi / 72 * scale, text
