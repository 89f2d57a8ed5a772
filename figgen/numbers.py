"""The one French number formatter of the site: alt texts, captions and the metric shortcode.

figgen formats every number a page or an alt text quotes, here, and writes the text into
`site/data/figgen.json`; the Hugo shortcode only prints it. So "97,8 %" reads the same in the
prose, in a caption and in an alt text, whatever Hugo's own locale rules say.
"""

from __future__ import annotations

NARROW_NBSP = "\u202f"  # between thousands: 12 346
NBSP = "\u00a0"  # before %: never break "97,8" from its "%"
MINUS = "\u2212"

STYLES = ("", "pourcent", "decimal", "entier")
DEFAULT_PRECISION = {"pourcent": 1, "decimal": 2, "entier": 0}


class FormatProblem(ValueError):
    """A value that cannot be written in the style asked for (text as a percentage...)."""


def french_number(value: float, precision: int) -> str:
    """12345.6, 0 -> "12 346"; 0.0123, 4 -> "0,0123" (narrow no-break space, decimal comma)."""
    text = f"{value:,.{precision}f}"
    if text.lstrip("-").strip("0,.") == "":
        text = text.lstrip("-")  # no "−0,0"
    return text.replace(",", NARROW_NBSP).replace(".", ",").replace("-", MINUS)


def format_value(value, style: str = "", precision: int | None = None) -> str:
    """A measured value as the page prints it.

    style "" picks by type: text as is, an integer as "entier", any other number as "decimal".
    "pourcent" multiplies a fraction by 100: 0.978 -> "97,8 %".
    """
    if style not in STYLES:
        raise FormatProblem(f'unknown format "{style}": use "pourcent", "decimal" or "entier"')
    if isinstance(value, str):
        if style:
            raise FormatProblem(f'is text ("{value}"): it takes no format')
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise FormatProblem("is a group of values, not one number")
    if not style:
        style = "entier" if isinstance(value, int) else "decimal"
    digits = DEFAULT_PRECISION[style] if precision is None else precision
    if style == "pourcent":
        return french_percent(value, digits)
    return french_number(value, digits)


def french_percent(fraction: float, digits: int = 1) -> str:
    """0.978 -> "97,8 %". Never a rounded "100,0 %" for a model that is not always right, nor
    "0,0 %" for one that sometimes is: 0.99996 -> "plus de 99,9 %", 0.00004 -> "moins de 0,1 %"."""
    text = french_number(fraction * 100, digits)
    step = 10.0 ** -digits
    if fraction < 1 and text == french_number(100, digits):
        return f"plus de {french_number(100 - step, digits)}{NBSP}%"
    if fraction > 0 and text == french_number(0, digits):
        return f"moins de {french_number(step, digits)}{NBSP}%"
    return f"{text}{NBSP}%"
