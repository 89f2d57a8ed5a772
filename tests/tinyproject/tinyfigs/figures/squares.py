import time

from matplotlib.figure import Figure
from tinyfigs.shapes import square


def draw(ctx):
    time.sleep(ctx.params.get("sleep", 0))  # lets the tests catch a build in the act
    if ctx.params.get("fail"):
        raise ValueError("this figure is broken on purpose")
    ctx.fact("count", ctx.params["count"])  # quoted by alt texts as {@squares.count}
    figure = Figure(figsize=(3, 1))
    axes = figure.add_axes([0, 0, 1, 1])
    for i in range(ctx.params["count"]):
        square(axes, i, "C%d" % i)
    axes.set_xlim(0, ctx.params["count"])
    axes.axis("off")
    return figure
