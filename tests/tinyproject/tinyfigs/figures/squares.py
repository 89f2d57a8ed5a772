from figgen.draw.style import new_figure
from tinyfigs.shapes import square


def draw(ctx):
    figure = new_figure(3, 1)
    axes = figure.add_axes([0, 0, 1, 1])
    for i in range(ctx.params["count"]):
        square(axes, i, "C%d" % i)
    axes.set_xlim(0, ctx.params["count"])
    axes.axis("off")
    return figure
