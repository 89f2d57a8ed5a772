"""Check a `figgen.yaml` block against what the code accepts, before any training starts.

A recipe declares its training hyperparameters as a dataclass; a model class declares its
architecture through its constructor. A misspelt key or a wrong type is reported with its line
in figgen.yaml and the accepted keys, instead of surfacing as a TypeError mid-build.
"""

from __future__ import annotations

import dataclasses
import inspect
import typing

from figgen.config import CONFIG_NAME, ModelSpec
from figgen.errors import BadInput


def _accepts(annotation, value) -> bool:
    if annotation in (inspect.Parameter.empty, typing.Any) or isinstance(annotation, str):
        return True
    origin = typing.get_origin(annotation)
    if origin is typing.Union or str(origin) == "<class 'types.UnionType'>":
        return any(_accepts(option, value) for option in typing.get_args(annotation))
    if annotation is type(None):
        return value is None
    if annotation is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if annotation is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if origin in (list, tuple):
        (item, *_) = typing.get_args(annotation) or (typing.Any,)
        return isinstance(value, (list, tuple)) and all(_accepts(item, v) for v in value)
    if origin is dict:
        return isinstance(value, dict)
    return isinstance(value, annotation) if isinstance(annotation, type) else True


def _type_name(annotation) -> str:
    return getattr(annotation, "__name__", None) if typing.get_origin(annotation) is None else str(annotation)


def check_block(spec: ModelSpec, block: str, values: dict, accepted: dict[str, object]) -> None:
    """`accepted` maps each accepted key to its annotation."""
    where = f"models.{spec.name}.{block}"
    for key, value in values.items():
        line = spec.key_lines.get(f"{block}.{key}", spec.line)
        if key not in accepted:
            raise BadInput(f"{where}: unknown key '{key}' (accepted: {', '.join(sorted(accepted))})", CONFIG_NAME, line)
        if not _accepts(accepted[key], value):
            raise BadInput(
                f"{where}.{key} must be {_type_name(accepted[key]) or accepted[key]}, not {value!r}", CONFIG_NAME, line
            )


def parse_training(spec: ModelSpec, hyperparameters_class):
    """The recipe's hyperparameter dataclass filled from the model's `training:` block."""
    hints = typing.get_type_hints(hyperparameters_class)
    fields = {f.name: hints.get(f.name, f.type) for f in dataclasses.fields(hyperparameters_class)}
    check_block(spec, "training", spec.training, fields)
    hyperparameters = hyperparameters_class(**spec.training)
    for name in fields:
        check_bounds(spec, name, getattr(hyperparameters, name))
    validate = getattr(hyperparameters, "validate", None)
    if callable(validate):  # a recipe may state its own bounds: ValueError("epochs must be ...")
        try:
            validate()
        except ValueError as error:
            key = next((k for k in spec.training if k in str(error)), None)
            line = spec.key_lines.get(f"training.{key}", spec.key_lines.get("training", spec.line))
            raise BadInput(f"models.{spec.name}.training: {error}", CONFIG_NAME, line) from None
    return hyperparameters


# Counts that make no sense at zero: `epochs: 0` trains nothing, `batch_size: 0` divides by zero.
_POSITIVE_SUFFIXES = ("epochs", "_size", "steps", "_length", "batches")


def check_bounds(spec: ModelSpec, key: str, value) -> None:
    if key.endswith(_POSITIVE_SUFFIXES) and isinstance(value, int) and not isinstance(value, bool) and value < 1:
        line = spec.key_lines.get(f"training.{key}", spec.key_lines.get("training", spec.line))
        raise BadInput(f"models.{spec.name}.training.{key} must be at least 1, not {value}", CONFIG_NAME, line)


def check_architecture(spec: ModelSpec, model_class) -> None:
    parameters = inspect.signature(model_class.__init__).parameters
    try:
        hints = typing.get_type_hints(model_class.__init__)
    except Exception:  # an annotation we cannot evaluate only loses the type check
        hints = {}
    accepted = {
        name: hints.get(name, p.annotation)
        for name, p in parameters.items()
        if name != "self" and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    }
    check_block(spec, "architecture", spec.architecture, accepted)
    missing = [
        name for name, p in parameters.items()
        if name in accepted and p.default is p.empty and name not in spec.architecture
    ]
    if missing:
        raise BadInput(
            f"models.{spec.name}.architecture: missing required key '{missing[0]}'",
            CONFIG_NAME,
            spec.key_lines.get("architecture", spec.line),
        )
