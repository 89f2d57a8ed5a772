"""A long-range memory task: recall the first symbol of a sequence after a delay of T steps.

Each step is one-hot coded over `classes + 2` channels (the symbols, a "remember" marker, a query):

    step 0        a symbol + the marker        (the thing to remember)
    steps 1..T    random symbols               (distractors, to be ignored)
    step T + 1    the query                    ("which symbol was marked?")

The target is the marked symbol, so a network must carry it across T noisy steps.
Chance is 1/classes.
"""

from __future__ import annotations

import torch


def input_size(classes: int) -> int:
    return classes + 2  # the symbols, then the marker and the query channels


def make_sequences(count: int, delay: int, classes: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """(x, y): x (count, delay + 2, classes + 2) one-hot floats, y (count,) the marked symbols.

    Deterministic: the same arguments always give the same sequences.
    """
    generator = torch.Generator().manual_seed(seed)
    symbols = torch.randint(classes, (count,), generator=generator)
    distractors = torch.randint(classes, (count, delay), generator=generator)
    rows = torch.arange(count)
    x = torch.zeros(count, delay + 2, input_size(classes))
    x[rows, 0, symbols] = 1.0  # step 0: the symbol...
    x[:, 0, classes] = 1.0  # ...and the marker
    x[rows.view(-1, 1), torch.arange(1, delay + 1).view(1, -1), distractors] = 1.0  # steps 1..T
    x[:, delay + 1, classes + 1] = 1.0  # last step: the query
    return x, symbols
