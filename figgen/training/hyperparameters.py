"""Check a model's `training:` and `architecture:` blocks against what its code declares.

A recipe declares its hyperparameters as a dataclass or a pydantic model, with their types,
defaults and bounds (`epochs: Annotated[int, Field(ge=1)] = 20`); a model class declares its
architecture through its constructor. Both go through figgen.config.typed_values, the one
validator of figgen.yaml's typed blocks: a misspelt key, a wrong type or a value out of its
declared bounds is reported with its line in figgen.yaml, before any training starts.
"""

from __future__ import annotations

from figgen.config import ModelSpec
from figgen.config.typed_values import check_signature, validated


def _line_of(spec: ModelSpec, block: str):
    def line_of(path: tuple) -> int:
        if path:
            return spec.key_lines.get(f"{block}.{path[0]}", spec.key_lines.get(block, spec.line))
        return spec.key_lines.get(block, spec.line)
    return line_of


def parse_training(spec: ModelSpec, hyperparameters_class):
    """The recipe's `Hyperparameters` filled from the model's `training:` block."""
    return validated(hyperparameters_class, spec.training, f"models.{spec.name}.training", _line_of(spec, "training"))


def check_architecture(spec: ModelSpec, model_class) -> None:
    check_signature(model_class, spec.architecture, f"models.{spec.name}.architecture",
                    _line_of(spec, "architecture"))
