"""Numbers as a French reader writes them: decimal comma, a space before % and units."""

from __future__ import annotations

NBSP = "\u00a0"  # never break "15,3" from its "%" at a line end
MINUS = "\u2212"  # a true minus sign, as wide as "+", not a hyphen


def decimal(value: float, digits: int = 1) -> str:
    """15.3 -> "15,3"; thousands grouped with a space: 12345.6 -> "12 345,6"."""
    text = f"{value:,.{digits}f}"
    return text.replace(",", NBSP).replace(".", ",").replace("-", MINUS)


def percent(value: float, digits: int = 1) -> str:
    """A percentage already in percent: 15.3 -> "15,3 %"."""
    return f"{decimal(value, digits)}{NBSP}%"


def kilobytes(size_in_bytes: int, digits: int = 1) -> str:
    """File sizes in kilo-octets (1 ko = 1000 octets), as a French page writes them."""
    return f"{decimal(size_in_bytes / 1000, digits)}{NBSP}ko"
