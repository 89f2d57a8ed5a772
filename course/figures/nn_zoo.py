"""Our own zoo of the architectures the course covers, in one colour vocabulary.

Each network is a small node graph drawn with the same primitives as the detailed diagrams:
the colour of a node says what it does (input, hidden, output, recurrent...), as in the legend.
Four networks a row on a computer, two on a phone (ctx.width "narrow"), the legend in the last cell.
"""

from __future__ import annotations

import numpy as np

from course.draw.arrows import arrow, self_loop
from course.draw.canvas import diagram
from course.draw.dark import for_rendering
from course.draw.legend import Entry, legend
from course.draw.neurons import connect, neuron_layer
from course.draw.style import INK, LABEL_SIZE, LINE_WIDTH, PAGE_WIDTH, PALETTE, is_narrow

COLUMNS, ROWS = 4, 2  # a phone's rendering: 2 × 4 cells of the same size
CELL_WIDTH, CELL_HEIGHT = PAGE_WIDTH / COLUMNS, 1.95
GRAPH_HEIGHT = 1.3  # the drawing; the name goes under it
RADIUS, SPACING = 0.075, 0.23

ROLES = {  # role -> (legend label, colour)
    "input": ("entrée", PALETTE["input"]),
    "hidden": ("cachée", PALETTE["hidden"]),
    "output": ("sortie", PALETTE["output"]),
    "convolution": ("convolution", PALETTE["convolution"]),
    "recurrent": ("récurrente", PALETTE["recurrent"]),
    "memory": ("cellule mémoire", PALETTE["recurrent"]),
    "latent": ("code latent", PALETTE["latent"]),
}


def layered(ax, cell, layers: list[tuple[int, str]], reach: dict[int, int] | None = None) -> list:
    """Columns of neurons spread across a cell, each joined to the next.

    `layers` lists (count, role); `reach[i]` makes the link into layer i local (a convolution).
    """
    x0, y0 = cell
    margin = 0.3
    xs = np.linspace(x0 + margin, x0 + CELL_WIDTH - margin, len(layers))
    middle = y0 + GRAPH_HEIGHT / 2
    columns = [
        neuron_layer(ax, x, middle, count, ROLES[role][1], spacing=SPACING, radius=RADIUS, memory=role == "memory")
        for x, (count, role) in zip(xs, layers)
    ]
    for i, (left, right) in enumerate(zip(columns, columns[1:]), start=1):
        connect(ax, left, right, reach=(reach or {}).get(i), width=0.7, alpha=0.55)
    return columns


def perceptron(ax, cell):
    layered(ax, cell, [(3, "input"), (1, "output")])


def multilayer(ax, cell):
    layered(ax, cell, [(3, "input"), (4, "hidden"), (4, "hidden"), (2, "output")])


def convolutional(ax, cell):
    # each convolution neuron sees only 3 neighbouring inputs; then dense layers decide
    layered(ax, cell, [(5, "input"), (5, "convolution"), (3, "convolution"), (3, "hidden"), (2, "output")],
            reach={1: 1, 2: 1})


def recurrent(ax, cell, role: str = "recurrent"):
    columns = layered(ax, cell, [(3, "input"), (3, role), (2, "output")])
    hidden = columns[1]  # the layer feeds its own state back to itself at the next step
    self_loop(ax, (hidden.x, max(hidden.ys)), RADIUS, size=2.6 * RADIUS, width=1.6, head=9)


def lstm(ax, cell):
    recurrent(ax, cell, role="memory")


def autoencoder(ax, cell):
    layered(ax, cell, [(4, "input"), (3, "hidden"), (2, "latent"), (3, "hidden"), (4, "output")])


def graph(ax, cell):
    """Nodes that exchange messages along the edges of a graph, not along layers."""
    from matplotlib.patches import Circle

    x0, y0 = cell
    places = np.array([(0.45, 0.95), (0.95, 1.1), (1.4, 0.8), (0.7, 0.45), (1.2, 0.25), (0.35, 0.2)]) + (x0, y0)
    edges = [(0, 1), (1, 2), (0, 3), (1, 3), (3, 4), (2, 4), (3, 5)]
    for a, b in edges:
        ax.plot(*zip(places[a], places[b]), color=PALETTE["neutral"], linewidth=1.0, zorder=1)
    for node, centre in enumerate(places):
        role = "output" if node == 3 else "hidden"
        ax.add_patch(Circle(centre, RADIUS * 1.2, facecolor=ROLES[role][1], edgecolor=INK,
                            linewidth=LINE_WIDTH * 0.7, zorder=3))
    for neighbour in (0, 1, 4, 5):  # one message-passing step into the node in vermilion
        start, end = places[neighbour], places[3]
        direction = (end - start) / np.linalg.norm(end - start)
        normal = np.array([direction[1], -direction[0]]) * 0.06
        arrow(ax, start + direction * 0.12 + normal, end - direction * 0.13 + normal, colour=PALETTE["input"],
              width=1.0, head=7, zorder=2)


ZOO = [
    ("Perceptron", perceptron),
    ("Perceptron multicouche", multilayer),
    ("Réseau convolutif (CNN)", convolutional),
    ("Réseau récurrent (RNN)", recurrent),
    ("LSTM", lstm),
    ("Autoencodeur", autoencoder),
    ("Réseau sur graphe (GNN)", graph),
]


def draw(ctx):
    columns, rows = (2, 4) if is_narrow(ctx) else (COLUMNS, ROWS)
    figure, ax = diagram(columns * CELL_WIDTH, rows * CELL_HEIGHT)
    for index, (name, drawing) in enumerate(ZOO):
        row, column = divmod(index, columns)
        x0, y0 = column * CELL_WIDTH, (rows - 1 - row) * CELL_HEIGHT + 0.45
        drawing(ax, (x0, y0))
        ax.text(x0 + CELL_WIDTH / 2, y0 - 0.12, name, ha="center", va="top", fontsize=LABEL_SIZE, color=INK)
    entries = [Entry(label, colour, "ring" if role == "memory" else "circle") for role, (label, colour) in ROLES.items()]
    entries.append(Entry("message (GNN)", PALETTE["input"], "line"))
    legend(ax, entries, anchor=((columns - 0.5) / columns, 0.5 / rows), loc="center", columns=1)
    return for_rendering(figure, ctx.rendering)  # the dark one: course/draw/dark.py
