"""One message-passing step of a graph neural network: a node averages its neighbours' vectors.

The features are random but the step is real: H' = D⁻¹ (A + I) H, the mean aggregation of a
graph convolution (before its learned weights and activation). On a computer the two graphs sit
side by side; on a phone (ctx.width "narrow") one above the other, the step between them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course.draw.arrows import arrow
from course.draw.blocks import lighter
from course.draw.canvas import diagram
from course.draw.dark import for_rendering
from course.draw.legend import Entry, legend
from course.draw.style import INK, LABEL_SIZE, LINE_WIDTH, NOTE_SIZE, PALETTE, figure_width, is_narrow

# A small molecule-like graph, laid out by hand in a 2.7 × 2-inch box; node 0 is the one updated.
# Each node's vector is drawn beside it, on the side its edges leave free.
POSITIONS = np.array([(1.0, 0.95), (0.2, 1.6), (0.2, 0.35), (1.3, 0.1), (1.95, 1.1), (1.45, 1.85), (2.2, 0.5)])
VECTOR_SIDE = ["above", "right", "below right", "below right", "right", "left", "right"]
EDGES = [(0, 1), (0, 2), (0, 3), (0, 4), (1, 2), (4, 5), (4, 6), (3, 6)]
FEATURES = 3  # length of each node's vector, drawn as that many bars
RADIUS = 0.16


def aggregate(features: np.ndarray, edges: list[tuple[int, int]]) -> np.ndarray:
    """Every node's new vector: the mean of its own and its neighbours' vectors, D⁻¹(A + I)H."""
    import torch

    n = len(features)
    adjacency = torch.eye(n)
    for a, b in edges:
        adjacency[a, b] = adjacency[b, a] = 1.0
    h = torch.from_numpy(features)  # (N, F)
    return ((adjacency / adjacency.sum(dim=1, keepdim=True)) @ h).numpy()  # (N, N) @ (N, F) -> (N, F)


@dataclass(frozen=True)
class Params:
    """figgen.yaml's `params:` of this figure: the values are there, the types here."""

    seed: int  # the random graph and node vectors


def draw(ctx):
    rng = np.random.default_rng(ctx.params.seed)
    features = rng.uniform(0.15, 1.0, (len(POSITIONS), FEATURES)).astype(np.float32)
    updated = aggregate(features, EDGES)
    target = 0
    neighbours = sorted({b if a == target else a for a, b in EDGES if target in (a, b)})

    narrow, width = is_narrow(ctx), figure_width(ctx)
    panel_width = 2.75
    if narrow:  # the graphs one above the other: (origin of each, top of its title), the step between
        figure, ax = diagram(width, 7.1)
        origins, titles = [((width - panel_width) / 2, 4.45), ((width - panel_width) / 2, 1.0)], [7.05, 3.6]
    else:
        figure, ax = diagram(width, 3.0)
        origins, titles = [(0.0, 0.5), (width - panel_width, 0.5)], [2.95, 2.95]
    for (origin, base), after in zip(origins, (False, True)):
        places = POSITIONS + (origin, base)
        for a, b in EDGES:
            ax.plot(*zip(places[a], places[b]), color=PALETTE["neutral"], linewidth=LINE_WIDTH, zorder=1)
        for node, (x, y) in enumerate(places):
            role = "input" if node in neighbours else "output" if node == target else "light"
            faded = after and node != target
            colour = lighter(PALETTE[role], 0.6) if faded else PALETTE[role]
            ax.add_patch(_circle((x, y), colour))
            name = "v" if node == target else f"u{_subscript(neighbours.index(node) + 1)}" if node in neighbours else ""
            ax.text(x, y, name, ha="center", va="center", fontsize=LABEL_SIZE, zorder=5,
                    color="white" if role != "light" and not faded else INK, fontweight="bold")
            vector = updated[node] if after and node == target else features[node]
            # the other nodes' pale grey would not show their bars (1.4:1): theirs are darker
            _bars(ax, (x, y), VECTOR_SIDE[node], vector, PALETTE["neutral" if role == "light" else role], faded)
        if not after:
            for node in neighbours:  # the messages: each neighbour sends its vector to v
                start, end = places[node], places[target]
                direction = (end - start) / np.linalg.norm(end - start)
                normal = np.array([direction[1], -direction[0]]) * 0.09  # beside the edge
                arrow(ax, start + direction * (RADIUS + 0.05) + normal, end - direction * (RADIUS + 0.06) + normal,
                      colour=PALETTE["input"], width=LINE_WIDTH * 1.4, zorder=4)

    (before_x, _), (after_x, _) = origins
    ax.text(before_x + panel_width / 2, titles[0],
            "Avant : les voisins de v lui envoient\nleur vecteur $h_u$ (messages)",
            ha="center", va="top", fontsize=NOTE_SIZE, linespacing=1.15)
    ax.text(after_x + panel_width / 2, titles[1], "Après une étape : v porte la moyenne\nde son vecteur et des leurs",
            ha="center", va="top", fontsize=NOTE_SIZE, linespacing=1.15)
    if narrow:  # the step, downwards, between the title of the second graph and the first graph
        x, top, bottom = 0.55, 4.35, 3.7
        arrow(ax, (x, top), (x, bottom), width=LINE_WIDTH * 1.5, head=14)
        ax.text(x + 0.2, (top + bottom) / 2 + 0.02, "agréger :", ha="left", va="bottom", fontsize=LABEL_SIZE)
        ax.text(x + 0.2, (top + bottom) / 2 - 0.02, "$h'_v$ = moyenne de $h_v$ et des $h_u$", ha="left", va="top",
                fontsize=NOTE_SIZE)
    else:
        middle = width / 2
        arrow(ax, (middle - 0.5, 1.45), (middle + 0.5, 1.45), width=LINE_WIDTH * 1.5, head=14)
        ax.text(middle, 1.58, "agréger", ha="center", va="bottom", fontsize=LABEL_SIZE)
        ax.text(middle, 1.32, "$h'_v$ = moyenne\nde $h_v$ et des $h_u$", ha="center", va="top", fontsize=NOTE_SIZE,
                linespacing=1.3)
    legend(ax, [Entry("nœud mis à jour (v)", PALETTE["output"], "circle"),
                Entry("ses voisins", PALETTE["input"], "circle"),
                Entry("autres nœuds", PALETTE["light"], "circle")], anchor=(0.5, 0.0), loc="lower center",
           columns=1 if narrow else None)
    return for_rendering(figure, ctx.rendering)  # the dark one: course/draw/dark.py


def _circle(centre, colour):
    from matplotlib.patches import Circle

    return Circle(centre, RADIUS, facecolor=colour, edgecolor=INK, linewidth=LINE_WIDTH * 0.8, zorder=4)


def _bars(ax, node, side: str, vector, colour, faded: bool):
    """A node's vector as a tiny bar chart in a frame beside the node: one bar per feature."""
    from matplotlib.patches import Rectangle

    width, height, bar, gap = 0.34, 0.26, 0.08, 0.04
    x, y = node
    left = {"above": x - width / 2, "left": x - RADIUS - gap - width}.get(side, x + RADIUS + gap)
    bottom = {"above": y + RADIUS + gap, "below right": y - height}.get(side, y - height / 2)
    ax.add_patch(Rectangle((left, bottom), width, height, facecolor="white", edgecolor=PALETTE["neutral"],
                           linewidth=0.7, zorder=3, alpha=0.5 if faded else 1.0))
    for i, value in enumerate(vector):
        ax.add_patch(Rectangle((left + 0.04 + i * (bar + 0.03), bottom), bar, value * (height - 0.03),
                               facecolor=lighter(colour, 0.6) if faded else colour, edgecolor="none", zorder=3.1))


def _subscript(number: int) -> str:
    return str(number).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))
