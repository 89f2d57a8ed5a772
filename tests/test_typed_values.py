"""The one validator of figgen.yaml's typed blocks, on both kinds of declared types."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

import pytest
from pydantic import BaseModel, Field

from figgen.config.typed_values import check_signature, validated
from figgen.errors import BadInput

LINES = {(): 7, ("epochs",): 8, ("sizes",): 9}


def line_of(path):
    return LINES.get(tuple(path[:1]), 7)


@dataclass
class AsDataclass:
    epochs: Annotated[int, Field(ge=1)] = 10
    sizes: tuple[int, ...] = (1, 2)
    names: list[str] = field(default_factory=list)


class AsModel(BaseModel):
    epochs: int = Field(10, ge=1)
    sizes: tuple[int, ...] = (1, 2)
    names: list[str] = []


@pytest.mark.parametrize("declared", [AsDataclass, AsModel])
def test_values_fill_the_declared_type(declared):
    filled = validated(declared, {"epochs": 3, "sizes": [4, 5]}, "models.m.training", line_of)
    assert isinstance(filled, declared) and filled.epochs == 3 and filled.sizes == (4, 5)


@pytest.mark.parametrize("declared", [AsDataclass, AsModel])
@pytest.mark.parametrize("values, message, line", [
    ({"epoch": 3}, "models.m.training: unknown key 'epoch' (accepted: epochs, names, sizes)", 7),
    ({"epochs": 0}, "models.m.training.epochs must be at least 1, not 0", 8),
    ({"epochs": "3"}, "models.m.training.epochs must be int, not text '3'", 8),
    ({"epochs": True}, "models.m.training.epochs must be int, not true/false", 8),
    ({"sizes": [1, "x"]}, "models.m.training.sizes.1 must be int, not text 'x'", 9),
])
def test_a_wrong_value_is_one_located_line(declared, values, message, line):
    with pytest.raises(BadInput) as caught:
        validated(declared, values, "models.m.training", line_of)
    assert str(caught.value) == f"figgen.yaml:{line}: {message}"


class Network:
    def __init__(self, inputs: int, hidden: int = 8, activation: str = "relu"):
        pass


def test_a_constructor_declares_the_architecture():
    check_signature(Network, {"inputs": 2}, "models.m.architecture", line_of)
    for values, message in (({"hidden": 8}, "missing required key 'inputs'"),
                            ({"inputs": 2.5}, "models.m.architecture.inputs must be int, not float"),
                            ({"inputs": 2, "layers": 3}, "unknown key 'layers' (accepted: activation, hidden, inputs)")):
        with pytest.raises(BadInput, match=message.replace("(", r"\(").replace(")", r"\)")):
            check_signature(Network, values, "models.m.architecture", line_of)
