"""Placeholders: numbers in figgen.yaml's alt texts and captions written by name.

    alt: "… la courbe de test finit à {cnn.test_accuracy:pourcent:1} …"
    alt: "… le code tient en {@jpeg_vs_autoencoder.code_bytes} octets …"

`{KEY[:FORMAT[:PRECISION]]}`: KEY names a model's metric or a figure's fact (measurements.py),
FORMAT is pourcent, decimal or entier (numbers.py). figgen renders them into figgen.json's
`alt` and `caption`; a hand-typed measured number (a percentage or a decimal number) is an
error unless the figure lists it under `fixed:`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from figgen.measurements import UnknownMeasurement, lookup
from figgen.numbers import STYLES, FormatProblem, format_value

PLACEHOLDER = re.compile(r"\{(?P<key>@?[\w/-]+(?:\.[\w-]+)+)(?::(?P<style>[a-z]*))?(?::(?P<precision>\d+))?\}")
# A measured-looking number: a percentage, or a number with decimals ("97,8 %", "0,03", "2.5").
HAND_TYPED = re.compile(r"(?<![\w,.])\d+(?:[.,]\d+)?\s*%|(?<![\w,.])\d+[.,]\d+(?![\w])")


@dataclass(frozen=True)
class Placeholder:
    text: str  # as written, braces included
    key: str
    style: str
    precision: int | None


def placeholders_in(text: str) -> list[Placeholder]:
    return [
        Placeholder(m.group(0), m["key"], m["style"] or "", int(m["precision"]) if m["precision"] else None)
        for m in PLACEHOLDER.finditer(text)
    ]


def syntax_problem(placeholder: Placeholder, model_names, figure_names) -> str | None:
    """What is wrong with a placeholder before anything is built: its format, its model or figure."""
    if placeholder.style not in STYLES:
        return f'{placeholder.text}: unknown format "{placeholder.style}" (use pourcent, decimal or entier)'
    head = placeholder.key.split(".", 1)[0]
    if head.startswith("@"):
        name = head[1:]
        if name not in figure_names:
            return f"{placeholder.text}: no figure '{name}' (facts are written {{@figure_stem.fact}})"
    elif head not in model_names:
        return f"{placeholder.text}: no model '{head}' (models: {', '.join(sorted(model_names)) or 'none'}; " \
               "a figure's fact starts with @)"
    return None


def render(text: str, document: dict, source: str = "figgen.json") -> str:
    """`text` with each placeholder replaced by its formatted value; UnknownMeasurement else."""
    def replace(match: re.Match) -> str:
        placeholder = placeholders_in(match.group(0))[0]
        value = lookup(document, placeholder.key, source)
        try:
            return format_value(value, placeholder.style, placeholder.precision)
        except FormatProblem as problem:
            raise UnknownMeasurement(f'the value of {placeholder.text} {problem}') from None

    return PLACEHOLDER.sub(replace, text)


def hand_typed_numbers(text: str, fixed=()) -> list[str]:
    """Measured-looking numbers written by hand, outside placeholders and `fixed:` texts."""
    for allowed in fixed:
        text = text.replace(allowed, " ")
    return [m.group(0).strip() for m in HAND_TYPED.finditer(PLACEHOLDER.sub(" ", text))]


def line_of(config_text: str, needle: str, from_line: int) -> int:
    """The line of figgen.yaml, at or after `from_line`, where `needle` is written."""
    lines = config_text.splitlines()
    for number in range(max(from_line, 1), len(lines) + 1):
        if needle in lines[number - 1]:
            return number
    return from_line
