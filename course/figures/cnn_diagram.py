"""The course's CNN drawn from the network itself: feature maps as slabs, `C@H×W` labels.

A forward pass on a blank image traces every layer's output shape; channel counts, map sizes,
kernel and pooling sizes are all read from it, so editing `models.cnn` in figgen.yaml redraws
this figure with the new numbers. On a phone (ctx.width "narrow") the pipeline takes two rows:
the convolutions, then (from the last map again) pooling and the dense layers.
"""

from __future__ import annotations

from dataclasses import dataclass

from course.draw.blocks import Slab, darker, front_patch, lighter, slab
from course.draw.canvas import diagram, set_height
from course.draw.dark import for_rendering
from course.draw.legend import Entry, legend
from course.draw.measure import text_size
from course.draw.style import INK, LINE_WIDTH, NOTE_SIZE, PALETTE, figure_width, is_narrow
from course.draw.tracing import constructor_arguments, feature_map_label, trace

BAR_WIDTH = 0.16  # a vector (flattened maps, a dense layer) is an upright bar this wide
PIXEL, CHANNEL = 0.12, 0.035  # inches per pixel of a map, per channel of its depth, before fitting
MARGIN = 0.05


@dataclass
class Stage:
    role: str  # "input", "convolution", "pooling", "flatten", "hidden", "output"
    shape: tuple[int, ...]  # (C, H, W) for feature maps, (N,) for vectors
    operation: str = ""  # how it is made from the previous stage, e.g. "conv 3×3\n+ ReLU"
    window: int = 0  # that operation's window (kernel or pooling) side, in pixels
    window_to_pixel: int = 0  # where a window at the map's corner lands: padding // stride

    @property
    def is_map(self) -> bool:
        return len(self.shape) == 3

    @property
    def label(self) -> str:
        return feature_map_label(self.shape) if self.is_map else str(self.shape[0])


def stages_of(layers) -> list[Stage]:
    """Group the traced layers into what the diagram shows: one stage per feature map or vector."""
    stages = [Stage("input", layers[0].input_shape)]
    for layer in layers:
        module = layer.module
        if layer.kind == "Conv2d":
            k, padding, stride = module.kernel_size[0], module.padding[0], module.stride[0]
            stages.append(Stage("convolution", layer.output_shape, f"conv {k}×{k}", k, padding // stride))
        elif layer.kind.endswith("Pool2d"):
            k = _first(module.kernel_size)
            stages.append(Stage("pooling", layer.output_shape, f"max-pool\n{k}×{k}", k,
                                _first(module.padding) // _first(module.stride)))
        elif layer.kind == "Flatten":
            stages.append(Stage("flatten", layer.output_shape, "aplatir"))
        elif layer.kind == "Linear":
            stages.append(Stage("hidden", layer.output_shape, "dense"))
        elif layer.kind in ("ReLU", "Tanh", "Sigmoid"):  # an activation belongs to the layer before it
            stages[-1].operation += f"\n+ {layer.kind}"
    stages[-1].role = "output"
    return stages


def _first(value) -> int:
    return value if isinstance(value, int) else value[0]


def traced_stages(ctx) -> list[Stage]:
    import torch

    model = ctx.architecture("cnn")
    arguments = constructor_arguments(model, ctx.spec("cnn").architecture)
    side = arguments["image_size"]
    return stages_of(trace(model, torch.zeros(1, arguments["in_channels"], side, side)))  # (B, C, H, W)


def layout(stages: list[Stage], label_widths: list[float], room: float,
           largest: float = 1.0) -> tuple[float, list[float]]:
    """(inches per pixel, gaps between stages) that fill `room` inches, at most `largest` × PIXEL.

    Maps keep their proportions (side ∝ pixels, depth ∝ channels) and shrink together to fit.
    Each operation's label sits above the gap before its stage, so the gaps around a thin bar
    widen until two neighbouring labels, measured, cannot touch.
    """

    def widths(scale: float) -> list[float]:
        return [scale * (PIXEL * s.shape[2] + CHANNEL * s.shape[0] / 2**0.5) if s.is_map else BAR_WIDTH
                for s in stages]

    def gaps(scale: float) -> list[float]:
        sizes, result = widths(scale), [0.3] * (len(stages) - 1)
        for i in range(1, len(result)):  # labels i-1 and i lie over gaps i-1 and i, with stage i between
            needed = (label_widths[i - 1] + label_widths[i]) / 2 + 0.12 - result[i - 1] / 2 - sizes[i]
            result[i] = max(result[i], 2 * needed)
        return result

    def total(scale: float) -> float:
        return sum(widths(scale)) + sum(gaps(scale))

    if total(largest) <= room:  # everything fits at full size: share the room left between the gaps
        spare = room - total(largest)
        return PIXEL * largest, [g + spare / (len(stages) - 1) for g in gaps(largest)]
    low, high = 0.05, largest
    for _ in range(30):  # bisection on the scale: the total width grows with it
        middle = (low + high) / 2
        low, high = (middle, high) if total(middle) < room else (low, middle)
    return PIXEL * low, gaps(low)


def draw(ctx):
    stages = traced_stages(ctx)
    narrow, width = is_narrow(ctx), figure_width(ctx)
    figure, ax = diagram(width, 3.0)
    legend_room = 0.8 if narrow else 0.35
    if narrow:  # two rows: up to the second convolution's maps, then on from those maps
        split = next(i for i, s in enumerate(stages) if s.role == "convolution" and i > 1)
        first, second = stages[:split + 1], stages[split:]
        scale = _scale(ax, first, width) / PIXEL  # the second row's maps drawn no larger than the first's
        top = _row(ax, second, width, legend_room, roles={-1: "classes"}, largest=scale)
        top = _row(ax, first, width, top + 0.1, roles={0: "entrée"})
    else:
        top = _row(ax, stages, width, legend_room, roles={0: "entrée", -1: "classes"})
    legend(ax, [Entry("entrée", PALETTE["input"]), Entry("convolution + ReLU", PALETTE["convolution"]),
                Entry("max-pooling", PALETTE["pooling"]), Entry("dense", PALETTE["hidden"]),
                Entry("sortie (un score par classe)", PALETTE["output"])], anchor=(0.5, 0.0), loc="lower center",
           columns=2 if narrow else None)
    set_height(figure, ax, top)
    return for_rendering(figure, ctx.rendering)  # the dark one: course/draw/dark.py


def _label_widths(ax, stages: list[Stage]) -> list[float]:
    return [text_size(ax, s.operation, fontsize=NOTE_SIZE, linespacing=1.1)[0] for s in stages[1:]]


def _scale(ax, stages: list[Stage], width: float) -> float:
    """Inches per pixel of a row of these stages (no caption beyond its last one)."""
    return layout(stages, _label_widths(ax, stages), width - 2 * MARGIN)[0]


def _row(ax, stages: list[Stage], width: float, bottom: float, roles: dict[int, str], largest: float = 1.0) -> float:
    """The stages left to right across the figure, their labels from `bottom` up; the row's top.

    `roles`: a grey caption under some stages (index -> text), "entrée" and "classes".
    """
    label_widths = _label_widths(ax, stages)
    # the last bar is thin: its caption ("classes") needs room beyond it
    right_margin = MARGIN
    if -1 in roles and not stages[-1].is_map:
        right_margin = max(MARGIN, text_size(ax, roles[-1], fontsize=NOTE_SIZE)[0] / 2 - BAR_WIDTH / 2 + 0.02)
    pixel, gaps = layout(stages, label_widths, width - MARGIN - right_margin, largest)
    channel = CHANNEL * pixel / PIXEL

    vectors = [s.shape[0] for s in stages if not s.is_map]
    longest = max(vectors, default=1)
    tallest = max(pixel * s.shape[1] for s in stages if s.is_map)  # the longest vector's bar is as tall
    midline = bottom + 0.5 + tallest / 2  # room below for two rows of labels
    x, shapes = MARGIN, []
    for stage, gap in zip(stages, [*gaps, 0]):
        colour = PALETTE[{"flatten": "pooling"}.get(stage.role, stage.role)]
        if stage.is_map:
            channels, height, map_width = stage.shape
            shape = slab(ax, x, midline - pixel * height / 2, pixel * map_width, pixel * height,
                         max(channel * channels, 0.04), colour)
        else:
            height = tallest * (stage.shape[0] / longest) ** 0.5
            shape = _bar(ax, x, midline - height / 2, height, colour)
        shapes.append(shape)
        x = _right(shape) + gap

    label_row = midline - tallest / 2 - 0.1
    operation_row = max(_top(shape) for shape in shapes) + 0.12
    for index, (stage, shape) in enumerate(zip(stages, shapes)):
        ax.text(_centre_x(shape), label_row, stage.label, ha="center", va="top", fontsize=NOTE_SIZE, color=INK)
        if index == 0:
            continue
        previous = shapes[index - 1]
        if stage.is_map:
            _window(ax, previous, shape, stage, pixel)
        else:
            _fan(ax, previous, shape)
        ax.text((_right(previous) + shape.x) / 2, operation_row, stage.operation, ha="center", va="bottom",
                fontsize=NOTE_SIZE, color=INK, linespacing=1.1)
    for index, role in roles.items():
        ax.text(_centre_x(shapes[index]), label_row - 0.2, role, ha="center", va="top", fontsize=NOTE_SIZE,
                color=PALETTE["neutral"])
    return operation_row + 0.4


@dataclass(frozen=True)
class _Bar:
    x: float
    y: float
    height: float


def _bar(ax, x: float, y: float, height: float, colour: str) -> _Bar:
    from matplotlib.patches import Rectangle

    ax.add_patch(Rectangle((x, y), BAR_WIDTH, height, facecolor=colour, edgecolor=INK,
                           linewidth=LINE_WIDTH * 0.6, zorder=2))
    return _Bar(x, y, height)


def _top(shape) -> float:
    return shape.top if isinstance(shape, Slab) else shape.y + shape.height


def _right(shape) -> float:
    return shape.right if isinstance(shape, Slab) else shape.x + BAR_WIDTH


def _centre_x(shape) -> float:
    return (shape.x + _right(shape)) / 2


def _window(ax, previous: Slab, shape: Slab, stage: Stage, pixel: float) -> None:
    """The operation's window at the top-left corner of the previous map, and projection lines to
    the one pixel it computes in the next map (which lies inside the next window: the chain of
    receptive fields)."""
    k = stage.window
    colour = PALETTE["convolution"] if stage.role == "convolution" else PALETTE["pooling"]
    across, up = (0.0, k * pixel / previous.width), (1 - k * pixel / previous.height, 1.0)
    corners = front_patch(ax, previous, across, up, lighter(colour, 0.15), zorder=3)
    at = stage.window_to_pixel  # row and column of the computed pixel, from the top-left
    inset = 0.18  # the pixel is drawn a little smaller than its cell, to read as one pixel
    p_across = ((at + inset) * pixel / shape.width, (at + 1 - inset) * pixel / shape.width)
    p_up = (1 - (at + 1 - inset) * pixel / shape.height, 1 - (at + inset) * pixel / shape.height)
    target = front_patch(ax, shape, p_across, p_up, darker(colour, 0.35), zorder=5)
    point = ((target[0][0] + target[2][0]) / 2, (target[0][1] + target[2][1]) / 2)
    for corner in corners:
        ax.plot(*zip(corner, point), color=INK, linewidth=0.7, zorder=4)


def _fan(ax, previous, shape: _Bar) -> None:
    """Every value of the previous stage feeds every neuron of a dense layer: a shaded fan.
    From feature maps (flattening), it starts at the last map's outline, dashed."""
    from matplotlib.patches import Polygon

    if isinstance(previous, Slab):
        left_top, left_bottom = (previous.right, previous.top), (previous.x + previous.width, previous.y)
    else:
        left_top, left_bottom = (_right(previous), _top(previous)), (_right(previous), previous.y)
    ax.add_patch(Polygon([left_top, (shape.x, _top(shape)), (shape.x, shape.y), left_bottom], closed=True,
                         facecolor=lighter(PALETTE["neutral"], 0.85), edgecolor=lighter(PALETTE["neutral"], 0.3),
                         linewidth=0.7, linestyle=(0, (3, 2)) if isinstance(previous, Slab) else "solid", zorder=1))
