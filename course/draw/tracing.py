"""Read a network's real shapes with one forward pass, so diagrams never type a layer size.

Every leaf module (a layer without sub-layers) gets a forward hook that records what went in
and what came out; the hooks are removed afterwards, leaving the model untouched.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass


@dataclass(frozen=True)
class TracedLayer:
    name: str  # its path in the model, e.g. "features.0"
    module: object  # the torch.nn.Module itself (kernel size, stride... are read from it)
    input_shape: tuple[int, ...]  # without the batch dimension
    output_shape: tuple[int, ...]  # without the batch dimension; the first tensor of a tuple output

    @property
    def kind(self) -> str:
        """The layer's class name: "Conv2d", "MaxPool2d", "Linear", "LSTM"..."""
        return type(self.module).__name__


def trace(model, example) -> list[TracedLayer]:
    """The leaf layers of `model` in the order a forward pass on `example` (batch of 1) runs them."""
    import torch

    layers: list[TracedLayer] = []

    def recorder(name):
        def hook(module, inputs, output):
            layers.append(TracedLayer(name, module, _shape(inputs), _shape(output)))

        return hook

    leaves = [(name, module) for name, module in model.named_modules() if not list(module.children())]
    handles = [module.register_forward_hook(recorder(name)) for name, module in leaves]
    was_training = model.training
    try:
        model.eval()
        with torch.no_grad():
            model(example)
    finally:
        for handle in handles:
            handle.remove()
        model.train(was_training)
    return layers


def _shape(value) -> tuple[int, ...]:
    while isinstance(value, (tuple, list)):  # (output, (h, c)) of an LSTM, the inputs tuple...
        value = value[0]
    return tuple(value.shape[1:])


def constructor_arguments(model, architecture: dict) -> dict:
    """The arguments `model` was built with: figgen.yaml's `architecture:` over the defaults."""
    signature = inspect.signature(type(model).__init__)
    bound = signature.bind_partial(None, **architecture)  # None stands for self
    bound.apply_defaults()
    return {name: value for name, value in bound.arguments.items() if name != "self"}


def feature_map_label(shape: tuple[int, ...]) -> str:
    """(16, 4, 4) -> "16@4×4": channels @ height × width, the usual CNN notation."""
    channels, height, width = shape
    return f"{channels}@{height}×{width}"


def size_of(shape: tuple[int, ...]) -> int:
    """How many numbers a shape holds: (16, 2, 2) -> 64."""
    total = 1
    for dimension in shape:
        total *= dimension
    return total


@dataclass(frozen=True)
class DenseLayer:
    name: str  # the Linear layer that produces it ("" for the input), e.g. "encoder.2"
    size: int  # its number of neurons


def dense_chain(model, input_size: int) -> list[DenseLayer]:
    """The input and the output of every Linear layer of a fully connected network, in order."""
    import torch

    layers = trace(model, torch.zeros(1, input_size))  # (B, input_size)
    linear = [layer for layer in layers if layer.kind == "Linear"]
    return [DenseLayer("", linear[0].input_shape[-1])] + [DenseLayer(l.name, l.output_shape[-1]) for l in linear]
