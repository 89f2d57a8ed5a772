"""`Export`: what a site's hook returns for one model, the one typed contract with the engine."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Export:
    """The graph to export and what a page needs beside it.

    `module` wraps the trained network with all its pre- and post-processing (a rescaling, a
    softmax), so the page does no arithmetic of its own. Its inputs are named and ordered as
    `inputs`; it returns one tensor per name of `outputs` (a tuple where there are several).
    """

    module: object  # torch.nn.Module, in eval mode
    inputs: dict  # input name -> example tensor: its dtype and shape become the graph's
    outputs: tuple  # output names, in the order the module returns them
    references: tuple  # 3 to 5 fixed inputs, {input name: tensor}: the card holds the module's outputs for them
    dynamic: dict = field(default_factory=dict)  # input name -> axes whose size varies, e.g. {"tokens": (1,)}
    meta: dict = field(default_factory=dict)  # JSON values a page needs (labels, a vocabulary...)

    def __post_init__(self):
        if not self.inputs or not self.outputs:
            raise ValueError("an Export needs at least one input and one output")
        if not 1 <= len(self.references) <= 8:
            raise ValueError(f"an Export needs 1 to 8 reference inputs, not {len(self.references)}")
        for reference in self.references:
            if set(reference) != set(self.inputs):
                raise ValueError(f"a reference gives {sorted(reference)}, the graph reads {sorted(self.inputs)}")
        unknown = set(self.dynamic) - set(self.inputs)
        if unknown:
            raise ValueError(f"dynamic axes for unknown inputs: {', '.join(sorted(unknown))}")
