"""A drawing helper shared by one figure only: editing it must rebuild that figure alone."""


def square(axes, x, colour):
    from matplotlib.patches import Rectangle

    axes.add_patch(Rectangle((x, 0), 0.8, 0.8, color=colour))
