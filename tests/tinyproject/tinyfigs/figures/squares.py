import time
from dataclasses import dataclass
from typing import Annotated

from matplotlib.figure import Figure
from pydantic import Field
from tinyfigs.shapes import square


@dataclass
class Params:
    count: Annotated[int, Field(ge=1, le=10)] = 3  # squares in the row
    fail: bool = False  # lets the tests break the drawing on purpose
    sleep: Annotated[float, Field(ge=0)] = 0  # lets the tests catch a build in the act


def draw(ctx):
    time.sleep(ctx.params.sleep)
    if ctx.params.fail:
        raise ValueError("this figure is broken on purpose")
    ctx.fact("count", ctx.params.count)  # quoted by alt texts as {@squares.count}
    figure = Figure(figsize=(3, 1))
    axes = figure.add_axes([0, 0, 1, 1])
    for i in range(ctx.params.count):
        square(axes, i, "C%d" % i)
    axes.set_xlim(0, ctx.params.count)
    axes.axis("off")
    return figure
