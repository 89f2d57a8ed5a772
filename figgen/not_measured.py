"""Numbers that look measured but are not: version strings and dates.

"Hugo 0.168.0", "Python 3.11", "v2.1", "version 1.4" name a release; "2024-05-12", "12.05.2024",
"05/12/2024" a day. `figgen check` never reads them as hand-typed measurements: they are
blanked (same length) before the search. A decimal right after a capitalised name
("Python 3.11") is read as a version, unless a percent follows it ("CNN 97.8 %").
"""

from __future__ import annotations

import re

_DOTTED = r"\d+(?:\.\d+){2,}"  # 0.168.0, 1.2.3.4
_DATE = r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}"
_NAMED = (r"(?:\b[vV]\.?\s?|\b(?:[Vv]ersion|[Rr]elease|[Vv]ersión|[Vv]ersione|[Vv]ersão)\s+|\b[A-Z][\w+#-]*\s+)"
          r"\d+\.\d+(?![\d.,])(?![\s\u00a0\u202f]*(?:%|percent|pour\s*cent|prozent))")
NOT_MEASURED = re.compile(rf"(?<![\w.,])(?:{_DOTTED}|{_DATE})(?![\w.,]\d)|{_NAMED}")


def blank_versions_and_dates(text: str) -> str:
    """`text` with every version string and date replaced by spaces of the same length."""
    return NOT_MEASURED.sub(lambda match: " " * len(match.group(0)), text)
