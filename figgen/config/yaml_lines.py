"""Parse figgen.yaml safely into plain data and ONE map from each value's YAML path to its line.

Every located error of figgen.yaml (schema, hyperparameters, figure params, placeholders) finds
its line in this map, so lines are never searched in the text or guessed from a message. The map
is built from the YAML loader's node marks: a mapping entry maps to its key's line, a list item to
its own line, `()` to line 1.
"""

from __future__ import annotations

from figgen.config.model import MAX_YAML_VALUES
from figgen.errors import BadInput

Path = tuple  # ("figures", 0, "params", "qualities")


class LineMap(dict):
    """{YAML path: line}; `of(path)` falls back to the nearest enclosing value that has a line."""

    def of(self, path) -> int:
        path = tuple(path)
        while path and path not in self:
            path = path[:-1]
        return self.get(path, 1)

    def under(self, prefix) -> dict[str, int]:
        """The lines below `prefix`, keyed by their dotted path relative to it ("training.epochs")."""
        prefix = tuple(prefix)
        return {".".join(map(str, path[len(prefix):])): line for path, line in self.items()
                if path[: len(prefix)] == prefix and len(path) > len(prefix)}


class _Mapping(dict):
    key_lines: dict


class _Sequence(list):
    item_lines: list


def parse_yaml(text: str, filename: str):
    """(plain data, LineMap) of a YAML text; a malformed or oversized one is a located BadInput."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class LineLoader(base):  # a safe loader: YAML never builds arbitrary Python objects
        pass

    def mapping(loader, node):
        loader.flatten_mapping(node)
        result = _Mapping()
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise BadInput(f"keys must be text, not {key!r}", filename, key_node.start_mark.line + 1)
            if key in result:
                raise BadInput(f"key '{key}' appears twice", filename, key_node.start_mark.line + 1)
            result[key] = loader.construct_object(value_node, deep=True)
            result.key_lines[key] = key_node.start_mark.line + 1
        return result

    def sequence(loader, node):
        result = _Sequence(loader.construct_object(item, deep=True) for item in node.value)
        result.item_lines = [item.start_mark.line + 1 for item in node.value]
        return result

    LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, sequence)
    try:
        document = yaml.load(text, Loader=LineLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        raise BadInput(f"malformed YAML: {error.problem or error.context}", filename, line) from None
    except yaml.YAMLError as error:
        raise BadInput(f"malformed YAML: {error}", filename) from None
    return plain_with_lines(document, filename)


def plain_with_lines(document, filename: str):
    """Plain dicts and lists, and the LineMap; refuses past MAX_YAML_VALUES values.

    Aliases share one object while parsed, so the parse is cheap; a copy expands them, and nested
    aliases can expand a small file a billion-fold: counting stops at the limit.
    """
    lines = LineMap({(): 1})
    count = 0

    def copy(value, path, line):
        nonlocal count
        count += 1
        if count > MAX_YAML_VALUES:
            raise BadInput(f"expands to more than {MAX_YAML_VALUES} values (nested YAML aliases?)", filename, line)
        lines.setdefault(path, line)
        if isinstance(value, dict):
            key_lines = getattr(value, "key_lines", {})
            return {key: copy(item, (*path, key), key_lines.get(key, line)) for key, item in value.items()}
        if isinstance(value, list):
            item_lines = getattr(value, "item_lines", [])
            return [copy(item, (*path, i), item_lines[i] if i < len(item_lines) else line)
                    for i, item in enumerate(value)]
        return value

    return copy(document, (), 1), lines
