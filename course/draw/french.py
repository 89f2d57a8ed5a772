"""Numbers as a French reader writes them, drawn into figures: the site's one formatter.

The same functions write the numbers of alt texts, captions and the metric shortcode
(figgen.numbers), so "97,8 %" reads the same in a figure and in the prose around it.
"""

from __future__ import annotations

from figgen.numbers import MINUS, NBSP, french_number, french_percent

__all__ = ["MINUS", "NBSP", "decimal", "percent", "kilobytes"]


def decimal(value: float, digits: int = 1) -> str:
    """15.3 -> "15,3"; thousands grouped with a narrow space: 12345.6 -> "12 345,6"."""
    return french_number(value, digits)


def percent(value: float, digits: int = 1) -> str:
    """A percentage already in percent: 15.3 -> "15,3 %" (never a rounded "100,0 %")."""
    return french_percent(value / 100, digits)


def kilobytes(size_in_bytes: int, digits: int = 1) -> str:
    """File sizes in kilo-octets (1 ko = 1000 octets), as a French page writes them."""
    return f"{decimal(size_in_bytes / 1000, digits)}{NBSP}ko"
