"""Small images inside a diagram: digit thumbnails, photographs, maps."""

from __future__ import annotations

from course.draw.style import INK, LINE_WIDTH


def thumbnail(ax, image, centre, size: float, cmap: str = "gray_r", vmin: float = 0.0, vmax: float = 1.0,
              frame: str = INK, zorder: float = 4):
    """`image` (H, W) drawn as a `size`-inch square centred on `centre`, pixels kept square and sharp."""
    from matplotlib.patches import Rectangle

    x, y = centre
    extent = (x - size / 2, x + size / 2, y - size / 2, y + size / 2)
    ax.imshow(image, cmap=cmap, vmin=vmin, vmax=vmax, extent=extent, interpolation="nearest", zorder=zorder)
    ax.add_patch(Rectangle((extent[0], extent[2]), size, size, fill=False, edgecolor=frame,
                           linewidth=LINE_WIDTH * 0.8, zorder=zorder + 0.1))
    return extent
