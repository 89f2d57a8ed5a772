"""The dark rendering of a drawn figure: every colour mapped to its role in the dark palette.

A figure is drawn once, by its usual code, in the light house style; `for_rendering(figure,
ctx.rendering)` then maps it for a dark page (style.py's DARK_* colours):
- a role colour (PALETTE, COMPARE, INK) becomes the same role of the dark palette;
- a grey flips its lightness between the dark background and the light ink (white paper
  becomes the page's dark background, black ink becomes light ink);
- a pale tint (a highlight band) becomes a dark tint of the same hue; other colours stay;
- a sequential colour map that starts from white (Blues, gray_r) gets its lightness flipped,
  so zero is dark like the page; a diverging one keeps its white middle (the alt texts say
  "blanc : nul"); photographs (RGB pixels) stay photographs, and so do the arrows drawn on them;
- every label is then checked against the pixels behind it and, where needed, lightened or
  darkened until it reads at >= 4.5:1 (WCAG AA), so a label on a coloured block stays legible.
The light rendering keeps its colours but gets the same check (white on a vermilion neuron
reads at 3.9:1: it turns black).
"""

from __future__ import annotations

import colorsys

from course.draw import style

MIN_CONTRAST = 4.5  # WCAG AA for text
TARGET_CONTRAST = 5.5  # what a label is moved to: a margin for antialiasing and resizing


def for_rendering(figure, rendering: str):
    """The figure as drawn for `rendering`: "dark" mapped onto the dark palette; any other keeps
    its colours, but a label drawn too pale for what is behind it (white on a vermilion neuron,
    a tint on a tint) is darkened or lightened to 4.5:1 as the dark one's are."""
    if rendering == "dark":
        recolour(figure)
    else:
        legible_labels(figure, shown_labels(figure))
    return figure


def shown_labels(figure) -> list:
    from matplotlib.text import Text

    texts = {id(text): text for text in figure.findobj(Text)}.values()
    return [text for text in texts if text.get_visible() and text.get_text().strip()]


def _rgb(colour) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    return to_rgb(colour)


def _role_map() -> dict[str, str]:
    pairs = {style.INK: style.DARK_INK}
    pairs.update({style.PALETTE[role]: style.DARK_PALETTE[role] for role in style.PALETTE})
    pairs.update({style.COMPARE[role]: style.DARK_COMPARE[role] for role in style.COMPARE})
    return {_hex(light): dark for light, dark in pairs.items()}


def _hex(colour) -> str:
    from matplotlib.colors import to_hex

    return to_hex(colour).lower()


def _mix(a, b, t: float) -> tuple[float, float, float]:
    return tuple(x + (y - x) * t for x, y in zip(a, b))


def dark_colour(rgba, roles: dict | None = None) -> tuple[float, float, float, float]:
    """One colour of a light figure, as the dark rendering shows it (alpha kept)."""
    from matplotlib.colors import to_rgba

    r, g, b, alpha = to_rgba(rgba)
    roles = roles if roles is not None else _role_map()
    mapped = roles.get(_hex((r, g, b)))
    if mapped:
        return (*_rgb(mapped), alpha)
    hue, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
    if max(r, g, b) - min(r, g, b) < 0.06:  # a grey: paper becomes the background, ink becomes light
        return (*_mix(_rgb(style.DARK_BACKGROUND), _rgb(style.DARK_INK), 1 - lightness), alpha)
    if lightness > 0.8:  # a pale tint (a band, a funnel; not the lit top of a 3D block): the same hue, dark
        return (*colorsys.hls_to_rgb(hue, max(0.12, 1 - lightness), min(saturation, 0.45)), alpha)
    return (r, g, b, alpha)


def dark_colormap(cmap):
    """A colour map whose white end becomes dark; any other is kept (RdBu_r, magma, viridis)."""
    import numpy as np
    from matplotlib.colors import ListedColormap

    samples = cmap(np.linspace(0, 1, 256))
    if colorsys.rgb_to_hls(*samples[0][:3])[1] < 0.9:
        return cmap
    background = colorsys.rgb_to_hls(*_rgb(style.DARK_BACKGROUND))[1]
    flipped = []
    for r, g, b, alpha in samples:
        hue, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
        flipped.append((*colorsys.hls_to_rgb(hue, background + (1 - lightness) * (0.92 - background), saturation), alpha))
    return ListedColormap(flipped, name=f"{cmap.name}_dark")


def recolour(figure) -> None:
    """Map every artist of a drawn figure onto the dark palette, then make every label legible."""
    from matplotlib.collections import Collection
    from matplotlib.image import AxesImage
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.text import Text

    roles = _role_map()

    def dark(colour):
        return dark_colour(colour, roles)

    figure.patch.set_facecolor(style.DARK_BACKGROUND)
    done = _recolour_ticks(figure, dark)  # ticks are made anew at each draw: their settings, not them
    for artist in figure.findobj():
        if isinstance(artist, Text):
            if id(artist) not in done:
                artist.set_color(dark(artist.get_color()))
                _recolour_text_decorations(artist, dark)
                arrow = getattr(artist, "arrow_patch", None)  # an annotation's arrow: not a child artist
                on_photo = artist.axes is not None and artist.axes.images
                if arrow is not None and not on_photo:
                    arrow.set_facecolor(dark(arrow.get_facecolor()))
                    arrow.set_edgecolor(dark(arrow.get_edgecolor()))
        elif id(artist) in done:
            continue
        elif isinstance(artist, Line2D):
            colours = artist.get_color(), artist.get_markerfacecolor(), artist.get_markeredgecolor()
            artist.set_color(dark(colours[0]))  # (read first: markers follow the line colour)
            artist.set_markerfacecolor(dark(colours[1]))
            artist.set_markeredgecolor(dark(colours[2]))
        elif isinstance(artist, Patch) and artist is not figure.patch:
            done.add(id(artist))  # a patch may be reached twice (a legend's handles)
            artist.set_facecolor(dark(artist.get_facecolor()))
            artist.set_edgecolor(dark(artist.get_edgecolor()))
        elif isinstance(artist, AxesImage):
            if artist.get_array() is not None and artist.get_array().ndim == 2:  # mapped values, not a photo
                artist.set_cmap(dark_colormap(artist.get_cmap()))
        elif isinstance(artist, Collection):
            if artist.get_array() is not None:
                artist.set_cmap(dark_colormap(artist.get_cmap()))
            else:
                artist.set_facecolor([dark(c) for c in artist.get_facecolor()])
            artist.set_edgecolor([dark(c) for c in artist.get_edgecolor()])
        done.add(id(artist))
    legible_labels(figure, shown_labels(figure))


def _recolour_ticks(figure, dark) -> set[int]:
    """Tick marks, tick labels and grid lines: the axis's settings, which new ticks follow too."""
    done: set[int] = set()
    for axes in figure.axes:
        for axis in (axes.xaxis, axes.yaxis):
            ticks = axis.get_major_ticks() + axis.get_minor_ticks()
            if not ticks:
                continue
            first = ticks[0]
            axis.set_tick_params(which="both", labelcolor=dark(first.label1.get_color()),
                                 color=dark(first.tick1line.get_color()), grid_color=dark(first.gridline.get_color()))
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                done.update(id(a) for a in (tick.label1, tick.label2, tick.tick1line, tick.tick2line, tick.gridline))
    return done


def _recolour_text_decorations(text, dark) -> None:
    """A label's box and its outline stroke (path effects) follow the background, not the ink."""
    box = text.get_bbox_patch()
    if box is not None:
        box.set_facecolor(dark(box.get_facecolor()))
        box.set_edgecolor(dark(box.get_edgecolor()))
    for effect in text.get_path_effects():
        options = getattr(effect, "_gc", None)
        if isinstance(options, dict) and "foreground" in options:
            options["foreground"] = dark(options["foreground"])


def relative_luminance(rgb) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first, second) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def backgrounds_behind(figure, texts) -> list[tuple[float, float, float]]:
    """The colour behind each label: its own opaque box's colour, or else the median pixel of its
    box, drawn without any label."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    boxes = [text.get_window_extent(renderer) for text in texts]
    shown = [text.get_visible() for text in texts]
    for text in texts:
        text.set_visible(False)
    canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba())[:, :, :3] / 255.0
    for text, visible in zip(texts, shown):
        text.set_visible(visible)
    height, width = pixels.shape[:2]
    found = []
    for text, box in zip(texts, boxes):
        patch = text.get_bbox_patch()  # an opaque box of its own: that box is what is behind it
        if patch is not None and patch.get_visible() and patch.get_facecolor()[3] >= 0.99:
            found.append(_rgb(patch.get_facecolor()))
            continue
        x0, x1 = max(0, int(box.x0)), min(width, int(np.ceil(box.x1)))
        y0, y1 = max(0, height - int(np.ceil(box.y1))), min(height, height - int(box.y0))
        region = pixels[y0:y1, x0:x1].reshape(-1, 3)
        found.append(tuple(np.median(region, axis=0)) if len(region) else _rgb(figure.patch.get_facecolor()))
    return found


def legible_labels(figure, texts) -> None:
    """Move each label's colour towards white or black until it reads at 4.5:1 on what is behind it."""
    for text, behind in zip(texts, backgrounds_behind(figure, texts)):
        colour = _rgb(text.get_color())
        if contrast(colour, behind) >= TARGET_CONTRAST:
            continue
        text.set_alpha(None)
        towards = (1.0, 1.0, 1.0) if relative_luminance(behind) < 0.18 else (0.0, 0.0, 0.0)
        for step in range(1, 21):
            candidate = _mix(colour, towards, step / 20)
            if contrast(candidate, behind) >= TARGET_CONTRAST:
                break
        text.set_color(candidate)
