"""The house style of every figure: size, fonts, palette.

Figures are laid out in *display* inches at DISPLAY_DPI (what the page shows) and saved at
PIXEL_RATIO times that, so they stay sharp on hi-DPI screens.
"""

from __future__ import annotations

DISPLAY_DPI = 100  # 1 inch of figure = 100 CSS pixels on the page
PIXEL_RATIO = 2  # saved at 2x for hi-DPI screens
PAGE_WIDTH = 7.2  # inches: the page's text column is 720 CSS pixels wide

FONT = "DejaVu Sans"  # ships with matplotlib: the same glyphs on every machine

RC = {
    "font.family": FONT,
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": DISPLAY_DPI,
    "savefig.dpi": DISPLAY_DPI * PIXEL_RATIO,
    "axes.formatter.use_locale": False,
    "svg.hashsalt": "figgen",
}


def new_figure(width: float = PAGE_WIDTH, height: float = 4.0, **kwargs):
    """A matplotlib Figure (no pyplot global state) in the house style."""
    import matplotlib
    from matplotlib.figure import Figure

    matplotlib.rcParams.update(RC)
    return Figure(figsize=(width, height), dpi=DISPLAY_DPI, **kwargs)
