"""Fill a declared type from a block of figgen.yaml, or fail with one located line.

One validator for every typed block: a recipe's `Hyperparameters` (its `training:`), a figure's
`Params` (its `params:`), a model class's constructor (its `architecture:`), and figgen.yaml itself
(schema.py). The types, defaults and bounds are the ones the code declares, as a dataclass or a
pydantic model: `epochs: Annotated[int, Field(ge=1)] = 20`. pydantic checks them; this module only
turns its first error into `figgen.yaml:LINE: models.cnn.training.epochs must be at least 1, not 0`.

Values are checked as JSON in strict mode, which is what YAML values are: `3` is no float's
problem, but `"3"` is no int and `true` no number; a YAML list fills a tuple.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import typing

from figgen.config.model import CONFIG_NAME
from figgen.errors import BadInput

_EXPECTED = {"int": "int", "float": "float", "string": "str", "bool": "true/false", "list": "a list",
             "tuple": "a list", "set": "a list", "dict": "a mapping", "model": "a mapping",
             "model_attributes": "a mapping", "dataclass": "a mapping", "none": "empty"}
_BOUNDS = {"ge": "at least", "gt": "greater than", "le": "at most", "lt": "less than"}


def kind_of(value) -> str:
    """How a YAML value reads to its author: text 'rapide', true/false, a list, a mapping, empty."""
    if value is None:
        return "empty"
    for kind, words in ((bool, "true/false"), (dict, "a mapping"), (list, "a list")):
        if isinstance(value, kind):
            return words
    if isinstance(value, str):
        return f"text {value!r}" if len(value) <= 40 else "text"
    return type(value).__name__


def accepted_keys(cls) -> dict[str, bool]:
    """{key: required} of a dataclass, a pydantic model, or a class's constructor."""
    fields = getattr(cls, "model_fields", None)
    if isinstance(fields, dict):  # a pydantic model: its aliases are what YAML spells
        return {(info.alias or name): info.is_required() for name, info in fields.items()}
    if dataclasses.is_dataclass(cls):
        return {f.name: f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
                for f in dataclasses.fields(cls) if f.init}
    parameters = inspect.signature(cls.__init__).parameters
    return {name: p.default is p.empty for name, p in parameters.items()
            if name != "self" and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}


def check_keys(cls, values: dict, where: str, line_of) -> None:
    """Unknown keys (naming the accepted ones) and missing required keys, each at its line."""
    accepted = accepted_keys(cls)
    takes_any = not dataclasses.is_dataclass(cls) and not hasattr(cls, "model_fields") and any(
        p.kind is p.VAR_KEYWORD for p in inspect.signature(cls.__init__).parameters.values())
    for key in values:
        if key not in accepted and not takes_any:
            raise BadInput(f"{where}: unknown key '{key}' (accepted: {', '.join(sorted(accepted)) or 'none'})",
                           CONFIG_NAME, line_of((key,)))
    missing = [key for key, required in accepted.items() if required and key not in values]
    if missing:
        raise BadInput(f"{where}: missing required key '{missing[0]}'", CONFIG_NAME, line_of(()))


def validated(cls, values: dict, where: str, line_of):
    """An instance of `cls` (a dataclass or a pydantic model) filled from `values`."""
    from pydantic import TypeAdapter, ValidationError

    check_keys(cls, values, where, line_of)
    adapter = TypeAdapter(cls)
    try:
        return _validate(adapter, values)
    except ValidationError as error:
        raise located(error.errors()[0], where, line_of) from None


def check_signature(cls, values: dict, where: str, line_of) -> None:
    """A model class's `architecture:` against its constructor's annotations and defaults."""
    from pydantic import ValidationError

    check_keys(cls, values, where, line_of)
    for key, value in values.items():
        adapter = _parameter_adapter(cls, key)
        if adapter is None:
            continue
        try:
            _validate(adapter, value)
        except ValidationError as error:
            problem = error.errors()[0]
            raise located({**problem, "loc": (key, *problem["loc"])}, where, line_of) from None


def _parameter_adapter(cls, key: str):
    from pydantic import TypeAdapter

    parameter = inspect.signature(cls.__init__).parameters.get(key)
    annotation = parameter.annotation if parameter is not None else inspect.Parameter.empty
    try:
        hints = typing.get_type_hints(cls.__init__, include_extras=True)
        annotation = hints.get(key, annotation)
    except Exception:  # an annotation we cannot evaluate only loses its type check
        pass
    if annotation is inspect.Parameter.empty or isinstance(annotation, str):
        return None
    try:
        return TypeAdapter(annotation)
    except Exception:  # a type pydantic cannot check (a torch class, say) is not checked
        return None


def _validate(adapter, values):
    try:
        text = json.dumps(values, allow_nan=False)
    except (TypeError, ValueError):  # a YAML date or .nan: no JSON for it, check it as it is
        return adapter.validate_python(values)
    return adapter.validate_json(text, strict=True)


def located(problem: dict, where: str, line_of, name_of=None) -> BadInput:
    """One pydantic error as one located line. `name_of(loc)` names a value (default: dotted)."""
    loc = tuple(problem["loc"])
    name_of = name_of or (lambda path: ".".join([where, *map(str, path)]) if path else where)
    kind, context, value = problem["type"], problem.get("ctx") or {}, problem.get("input")
    line = line_of(loc)
    if kind == "extra_forbidden":
        return BadInput(f"{name_of(loc[:-1])}: unknown key '{loc[-1]}'", CONFIG_NAME, line)
    if kind == "missing":
        return BadInput(f"{name_of(loc[:-1])}: missing required key '{loc[-1]}'", CONFIG_NAME, line_of(loc[:-1]))
    for bound, words in _BOUNDS.items():
        if bound in context and kind.startswith(("greater", "less")):
            return BadInput(f"{name_of(loc)} must be {words} {context[bound]}, not {value!r}", CONFIG_NAME, line)
    prefix = kind.rsplit("_", 1)[0] if kind.endswith(("_type", "_parsing")) else kind
    if prefix.endswith("_from_float"):
        prefix = "int"
    if prefix in _EXPECTED:
        return BadInput(f"{name_of(loc)} must be {_EXPECTED[prefix]}, not {kind_of(value)}", CONFIG_NAME, line)
    if kind == "literal_error":
        return BadInput(f"{name_of(loc)} must be {context.get('expected')}, not {value!r}", CONFIG_NAME, line)
    message = problem["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return BadInput(f"{name_of(loc)}: {message[:1].lower()}{message[1:]}", CONFIG_NAME, line)
