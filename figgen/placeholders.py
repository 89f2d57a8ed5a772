"""Placeholders: numbers in figgen.yaml's alt texts and captions written by name.

    alt: "… la courbe de test finit à {cnn.test_accuracy:pourcent:1} …"
    alt: "… le code tient en {@jpeg_vs_autoencoder.code_bytes} octets …"

`{KEY[:FORMAT[:PRECISION]]}`: KEY names a model's metric or a figure's fact (measurements.py),
FORMAT is percent, decimal or integer (French aliases: pourcent, décimal, entier; numbers.py). figgen renders them into figgen.json's
`alt` and `caption`; a hand-typed measured number (a percentage or a decimal number) is an
error unless the figure lists it under `fixed:`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from figgen.measurements import UnknownMeasurement, lookup
from figgen.numbers import STYLES, FormatProblem, format_value

PLACEHOLDER = re.compile(r"\{(?P<key>@?[\w/-]+(?:\.[\w-]+)+)(?::(?P<style>[^\W\d_]*))?(?::(?P<precision>\d+))?\}")
# A measured-looking number, in any locale's notation: a percentage, with its sign or in words
# ("97,8 %", "97.8%", "97 pour cent", "97 percent"), or a number with decimals ("0,03", "2.5").
PERCENT_WORDS = r"%|pour\s*cents?\b|per\s*cent\b|percent\b|prozent\b|por\s*ciento\b|per\s*cento\b"
HAND_TYPED = re.compile(rf"(?<![\w,.])\d+(?:[.,]\d+)?[\s\u00a0\u202f]*(?:{PERCENT_WORDS})|(?<![\w,.])\d+[.,]\d+(?![\w])",
                        re.IGNORECASE)


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
        return f'{placeholder.text}: unknown format "{placeholder.style}" (use percent, decimal or integer)'
    head = placeholder.key.split(".", 1)[0]
    if head.startswith("@"):
        name = head[1:]
        if name not in figure_names:
            return f"{placeholder.text}: no figure '{name}' (facts are written {{@figure_stem.fact}})"
    elif head not in model_names:
        return f"{placeholder.text}: no model '{head}' (models: {', '.join(sorted(model_names)) or 'none'}; " \
               "a figure's fact starts with @)"
    return None


def render(text: str, document: dict, locale: str = "en", source: str = "figgen.json") -> str:
    """`text` with each placeholder replaced by its formatted value; UnknownMeasurement else."""
    def replace(match: re.Match) -> str:
        placeholder = placeholders_in(match.group(0))[0]
        value = lookup(document, placeholder.key, source)
        try:
            return format_value(value, placeholder.style, placeholder.precision, locale)
        except FormatProblem as problem:
            raise UnknownMeasurement(f'the value of {placeholder.text} {problem}') from None

    return PLACEHOLDER.sub(replace, text)


def _same_number(text: str) -> str:
    """"97,8\u00a0%" and "97,8 %" are the same number as written."""
    return " ".join(text.split()).lower()


def hand_typed_numbers(text: str, fixed=()) -> list[str]:
    """Measured-looking numbers written by hand, outside placeholders, unless `fixed:` lists the
    very number: a whole match, so that "6,7 %" never excuses "96,7 %"."""
    allowed = {_same_number(m.group(0)) for entry in fixed for m in HAND_TYPED.finditer(entry)}
    from figgen.not_measured import blank_versions_and_dates

    found = (m.group(0).strip() for m in HAND_TYPED.finditer(blank_versions_and_dates(PLACEHOLDER.sub(" ", text))))
    return [number for number in found if _same_number(number) not in allowed]


def line_of(config_text: str, needle: str, from_line: int) -> int:
    """The line of figgen.yaml, at or after `from_line`, where `needle` is written."""
    lines = config_text.splitlines()
    for number in range(max(from_line, 1), len(lines) + 1):
        if needle in lines[number - 1]:
            return number
    return from_line
