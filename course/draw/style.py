"""The house style of every figure: size, fonts, palette.

Figures are laid out in *display* inches at DISPLAY_DPI (what the page shows) and saved at
PIXEL_RATIO times that, so they stay sharp on hi-DPI screens.
"""

from __future__ import annotations

DISPLAY_DPI = 100  # 1 inch of figure = 100 CSS pixels on the page
PIXEL_RATIO = 2  # saved at 2x for hi-DPI screens
PAGE_WIDTH = 7.2  # inches: the page's text column is 720 CSS pixels wide
# A phone's rendering (figgen.yaml `renderings: [..., narrow]`, ctx.width == "narrow"): a phone
# shows a figure 358 px wide, so a 9 pt label is >= 11 CSS px there only in a figure at most
# ~4 in wide. The same text sizes, a narrower layout.
NARROW_WIDTH = 3.9


def figure_width(ctx, wide: float = PAGE_WIDTH) -> float:
    """The width to lay a figure out at: `wide` on a computer, NARROW_WIDTH on a phone."""
    return NARROW_WIDTH if getattr(ctx, "width", "wide") == "narrow" else wide


def is_narrow(ctx) -> bool:
    return getattr(ctx, "width", "wide") == "narrow"

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

# One colour per kind of thing, the same in every figure (colour-blind-safe Okabe-Ito hues).
PALETTE = {
    "input": "#0072B2",  # blue: what goes in
    "hidden": "#009E73",  # green: hidden layers, dense layers
    "output": "#D55E00",  # vermilion: what comes out
    "recurrent": "#CC79A7",  # purple-pink: recurrent state, loops
    "convolution": "#E69F00",  # orange: convolutions and their kernels
    "pooling": "#56B4E9",  # sky blue: pooling / downsampling
    "latent": "#F0E442",  # yellow: the bottleneck / latent code
    "neutral": "#555555",  # arrows, outlines, annotations
    "light": "#DDDDDD",  # backgrounds, grid
}

# Comparisons between two models (e.g. RNN vs LSTM, JPEG vs autoencoder) use these two.
COMPARE = {"first": "#0072B2", "second": "#D55E00"}

# Text sizes of the diagrams, in points. At the page's scale (1 inch = 100 CSS px) 9 pt is
# 12.5 px, the smallest a student can read without zooming: nothing is written smaller.
TITLE_SIZE = 11
LABEL_SIZE = 10
NOTE_SIZE = 9

INK = "#222222"  # text and the outlines of shapes
LINE_WIDTH = 1.3  # points: arrows, connections and outlines

# --- the dark rendering (figgen.yaml `renderings: [light, dark]`, ctx.rendering == "dark") ---
# The same roles, for a page in dark mode: the figure's background is the course site's dark
# background (site/assets/css/course.css), so a figure sits on the page like its text does.
# Okabe-Ito hues kept, the darker ones lifted so that a line or a label in that colour reads
# at >= 4.5:1 on the background; text is light. course/draw/dark.py maps a drawn figure onto
# these colours, role by role, so every figure is drawn by one code path.
DARK_BACKGROUND = "#16181D"
DARK_INK = "#E6E6E6"
DARK_PALETTE = {
    "input": "#4AA3DF",  # blue, lifted
    "hidden": "#22B78A",  # green, lifted
    "output": "#EE7A35",  # vermilion, lifted
    "recurrent": "#D98DBA",  # purple-pink
    "convolution": "#E69F00",  # orange: already light
    "pooling": "#56B4E9",  # sky blue: already light
    "latent": "#F0E442",  # yellow: already light
    "neutral": "#A6A6A6",  # arrows, outlines, annotations: a light grey
    "light": "#3A3E46",  # backgrounds, grid: a grey a little above the background
}
DARK_COMPARE = {"first": "#5AB0F0", "second": "#F08A4B"}


def palette(rendering: str = "light") -> dict:
    """The role colours of a rendering: PALETTE, or DARK_PALETTE for "dark"."""
    return DARK_PALETTE if rendering == "dark" else PALETTE
