"""The one number formatter of a site: alt texts, captions, provenance and the metric shortcode.

figgen formats every number a page or an alt text quotes, here, in the page's locale, and
writes the text into figgen.json; the Hugo shortcode only prints it. So "97.8%" (en) or
"97,8 %" (fr) reads the same in the prose, in a caption and in an alt text. The locale's
symbols and patterns come from Babel (CLDR data, every locale), never from hand rules; figgen
adds two choices of its own: a true minus sign (U+2212), and no rounded "100 %" or "0 %" for a
fraction that is not exactly that.

Formats: `percent` (a fraction times 100), `decimal`, `integer`; the French names `pourcent`,
`décimal` and `entier` are aliases.
"""

from __future__ import annotations

from functools import lru_cache

NARROW_NBSP = "\u202f"  # French thousands separator: 12 346
NBSP = "\u00a0"  # before % in French: never break "97,8" from its "%"
MINUS = "\u2212"

ALIASES = {"pourcent": "percent", "décimal": "decimal", "entier": "integer"}
FORMATS = ("percent", "decimal", "integer")
STYLES = ("", *FORMATS, *ALIASES)
DEFAULT_PRECISION = {"percent": 1, "decimal": 2, "integer": 0}
DEFAULT_LOCALE = "en"
# "more than 99.9%": the words around a bound, for a fraction that rounds to 100 % or 0 %.
_BOUNDS = {"fr": ("plus de {}", "moins de {}"), "en": ("more than {}", "less than {}"),
           "de": ("mehr als {}", "weniger als {}"), "es": ("más de {}", "menos de {}")}


class FormatProblem(ValueError):
    """A value that cannot be written in the format asked for (text as a percentage...)."""


def canonical_style(style: str) -> str:
    """"pourcent" -> "percent"; "" stays "" (the value's type decides)."""
    if style not in STYLES:
        raise FormatProblem(f'unknown format "{style}": use "percent", "decimal" or "integer"')
    return ALIASES.get(style, style)


@lru_cache(maxsize=None)
def babel_locale(tag: str):
    """A Babel Locale for a Hugo or BCP 47 tag: "fr", "fr-FR", "en-us", "pt_BR"."""
    from babel import Locale, UnknownLocaleError

    parts = tag.replace("-", "_").split("_")
    name = "_".join([parts[0].lower(), *[p.upper() if len(p) == 2 else p.title() for p in parts[1:]]])
    try:
        return Locale.parse(name)
    except (UnknownLocaleError, ValueError):
        try:
            return Locale.parse(parts[0].lower())
        except (UnknownLocaleError, ValueError):
            raise FormatProblem(f'unknown locale "{tag}": write a language tag such as en, en-US or fr') from None


@lru_cache(maxsize=None)
def _pattern(tag: str, kind: str, digits: int):
    from babel.numbers import parse_pattern

    locale = babel_locale(tag)
    formats = locale.percent_formats if kind == "percent" else locale.decimal_formats
    pattern = parse_pattern(formats[None].pattern)
    pattern.frac_prec = (digits, digits)
    return pattern


def number_text(value: float, precision: int, locale: str = DEFAULT_LOCALE) -> str:
    """12345.6, 0 -> "12,346" (en) or "12 346" (fr); 0.0123, 4 -> "0.0123" / "0,0123"."""
    from decimal import Decimal

    rounded = Decimal(f"{value:.{precision}f}")  # Python's rounding, the same digits in every locale
    if rounded == 0:
        rounded = abs(rounded)  # no "−0.0"
    text = _pattern(locale, "decimal", precision).apply(rounded, babel_locale(locale))
    return text.replace("-", MINUS)


def percent_text(fraction: float, digits: int = 1, locale: str = DEFAULT_LOCALE) -> str:
    """0.978 -> "97.8%" (en), "97,8 %" (fr). Never a rounded "100.0%" for a model that is not
    always right, nor "0.0%" for one that sometimes is: 0.99996 -> "more than 99.9%"."""
    from decimal import Decimal

    def percent(value: float) -> str:
        rounded = abs(Decimal(f"{value:.{digits}f}")) if round(value, digits) == 0 else Decimal(f"{value:.{digits}f}")
        return _pattern(locale, "percent", digits).apply(rounded / 100, babel_locale(locale)).replace("-", MINUS)

    text = percent(fraction * 100)
    step = 10.0 ** -digits
    more, less = _BOUNDS.get(babel_locale(locale).language, ("> {}", "< {}"))
    if fraction < 1 and text == percent(100):
        return more.format(percent(100 - step))
    if fraction > 0 and text == percent(0):
        return less.format(percent(step))
    return text


def french_number(value: float, precision: int) -> str:
    """The course's figures format their axes with these two (course/draw/french.py)."""
    return number_text(value, precision, "fr")


def french_percent(fraction: float, digits: int = 1) -> str:
    return percent_text(fraction, digits, "fr")


def format_value(value, style: str = "", precision: int | None = None, locale: str = DEFAULT_LOCALE) -> str:
    """A measured value as the page prints it.

    style "" picks by type: text as is, an integer as "integer", any other number as "decimal".
    "percent" multiplies a fraction by 100: 0.978 -> "97.8%".
    """
    style = canonical_style(style)
    if isinstance(value, str):
        if style:
            raise FormatProblem(f'is text ("{value}"): it takes no format')
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise FormatProblem("is a group of values, not one number")
    if not style:
        style = "integer" if isinstance(value, int) else "decimal"
    digits = DEFAULT_PRECISION[style] if precision is None else precision
    if style == "percent":
        return percent_text(value, digits, locale)
    return number_text(value, digits, locale)
