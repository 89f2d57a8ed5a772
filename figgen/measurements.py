"""Numbers by name: find a model's metric or a figure's fact in figgen.json's document.

Two name spaces, never confused although model `cnn` and figure `cnn.png` share a stem:
- `cnn.test_accuracy`, `rnn.accuracy_by_delay.40`: a model's metric (models.<model>.metrics,
  then models.<model> itself for `cnn.seconds`, `cnn.device`);
- `@jpeg_vs_autoencoder.autoencoder_bytes`: a fact a figure reported with `ctx.fact(...)`;
  the figure is named by its file's stem, or by its full name (`@module3/jpeg.sizes.90`) when
  two figures share a stem.
"""

from __future__ import annotations

FACT_SIGIL = "@"


class UnknownMeasurement(LookupError):
    """A key naming no model, figure, metric or fact: the message says which part is wrong."""


def _keys(mapping) -> str:
    return ", ".join(sorted(str(name) for name in mapping)) or "none"


def _walk(value, rest: list[str], key: str, owner: str, source: str):
    for part in rest:
        if not (isinstance(value, dict) and part in value):
            known = _keys(value) if isinstance(value, dict) else "none"
            raise UnknownMeasurement(f'unknown metric "{key}": {owner} has no "{part}" in {source} (known here: {known})')
        value = value[part]
    return value


def _name(path: str, entry: dict) -> str:
    """`module3/cnn`: figgen.json records each figure's name (its path less prefix and extension)."""
    return entry.get("name") or path.split("/", 2)[-1].rsplit(".", 1)[0]


def figure_by_stem(figures: dict, name: str) -> str | None:
    """The site path of the figure `name` (stem or module3/stem), or None."""
    matches = [path for path, entry in figures.items() if _name(path, entry) == name]
    matches = matches or [path for path, entry in figures.items() if _name(path, entry).rsplit("/", 1)[-1] == name]
    return matches[0] if len(matches) == 1 else None


def lookup(document: dict, key: str, source: str = "figgen.json"):
    """The value of `key` in a figgen.json document; UnknownMeasurement when there is none.

    `source` names the site's data file in messages (the project's `data_file`)."""
    if key.startswith(FACT_SIGIL):
        name, _, rest = key[1:].partition(".")
        figures = document.get("figures", {})
        path = figure_by_stem(figures, name)
        if path is None:
            stems = [_name(path, entry) for path, entry in figures.items()]
            raise UnknownMeasurement(f'unknown fact "{key}": no figure "{name}" (figures: {", ".join(stems) or "none"})')
        return _walk(figures[path].get("facts", {}), rest.split(".") if rest else [], key, f'figure "{name}"', source)
    model, *rest = key.split(".")
    models = document.get("models", {})
    if model not in models:
        raise UnknownMeasurement(f'unknown metric "{key}": no model "{model}" in {source} (models: {_keys(models)})')
    record = models[model]
    value = record.get("metrics", {})
    if rest and rest[0] not in value:
        if rest[0] not in record:  # name the model's metrics, not the fields of its record
            raise UnknownMeasurement(f'unknown metric "{key}": model "{model}" has no "{rest[0]}" in {source} '
                                     f'(its metrics: {_keys(value)})')
        value = record
    return _walk(value, rest, key, f'model "{model}"', source)
