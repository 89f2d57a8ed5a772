"""Find free room for small things (thumbnails, labels) next to the points they belong to."""

from __future__ import annotations


def place_beside(anchors, obstacles, size: float, bounds: tuple[float, float, float, float],
                 distances=(0.45, 0.6, 0.8), lines=()):
    """A centre for a `size`-inch square beside each anchor, all in inches on the page.

    Tried around each anchor at the given distances in 16 directions; the spot kept is the one
    farthest from every anchor, obstacle and already placed square, inside `bounds`
    (x0, y0, x1, y1), whose leader line to its anchor crosses none of `lines` ((start, end)
    pairs) nor the leaders already placed. Greedy, in the order of `anchors`: enough for a
    handful of thumbnails.
    """
    import numpy as np

    anchors, obstacles = np.asarray(anchors, dtype=float), np.asarray(obstacles, dtype=float).reshape(-1, 2)
    x0, y0, x1, y1 = bounds
    angles = np.linspace(0, 2 * np.pi, 16, endpoint=False)
    directions = np.column_stack([np.cos(angles), np.sin(angles)])
    placed: list = []
    leaders = [tuple(map(np.asarray, line)) for line in lines]
    for anchor in anchors:
        candidates = np.concatenate([anchor + distance * directions for distance in distances])
        inside = ((candidates[:, 0] - size / 2 >= x0) & (candidates[:, 0] + size / 2 <= x1)
                  & (candidates[:, 1] - size / 2 >= y0) & (candidates[:, 1] + size / 2 <= y1))
        candidates = candidates[inside] if inside.any() else candidates
        others = [anchors, obstacles] + ([np.array(placed)] if placed else [])
        blockers = np.concatenate([o for o in others if len(o)])
        # Chebyshev distance: how far the square's edge stays from the nearest blocker
        clearance = np.abs(candidates[:, None, :] - blockers[None, :, :]).max(axis=2).min(axis=1)
        crossings = np.array([sum(_cross(spot, anchor, *line) for line in leaders) for spot in candidates])
        best = candidates[np.argmax(clearance - 10.0 * crossings)]
        placed.append(best)
        leaders.append((best, anchor))
    return np.array(placed)


def _cross(a, b, c, d) -> bool:
    """Whether segments ab and cd cross (touching ends do not count)."""
    def side(p, q, r):
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    return side(a, b, c) * side(a, b, d) < 0 and side(c, d, a) * side(c, d, b) < 0


def spread_apart(points, gap: float, fixed=(), steps: int = 100):
    """`points` (inches on the page) moved apart until no two, and none and a `fixed` point,
    are closer than `gap`.

    Each step pushes every too-close pair half the missing distance each way along the line
    joining them (all of it, away from a fixed point): labels that would overlap end up side
    by side, near where they belong.
    """
    import numpy as np

    points = np.array(points, dtype=float)
    fixed = np.asarray(fixed, dtype=float).reshape(-1, 2)

    def push(a, b) -> np.ndarray:
        """How far b must move away from a, or None when they are far enough apart."""
        offset = b - a
        distance = np.hypot(*offset)
        if distance >= gap:
            return None
        direction = offset / distance if distance > 1e-9 else np.array([1.0, 0.0])
        return (gap - distance) * direction

    for _ in range(steps):
        moved = False
        for i in range(len(points)):
            for j in range(i + 1, len(points)):
                shift = push(points[i], points[j])
                if shift is not None:
                    points[i] -= shift / 2
                    points[j] += shift / 2
                    moved = True
            for anchor in fixed:
                shift = push(anchor, points[i])
                if shift is not None:
                    points[i] += shift
                    moved = True
        if not moved:
            break
    return points
