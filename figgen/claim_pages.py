"""Where pages state the claims of figgen.yaml, and what `figgen build` and `figgen check` say of them.

A page marks a claim with the `figgen-claim` shortcode (or a site's own names for it,
`claim_shortcodes:` in figgen.yaml), whose first argument (or `name=`) is the claim's name.
The verdicts come from figgen.json's values (claims.py): the same numbers the pages quote.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from figgen.claims import Verdict, judge_all, verdict_text

if TYPE_CHECKING:
    from figgen.content_scan import PageScan


@dataclass(frozen=True)
class ClaimMark:
    page: Path
    line: int
    name: str


def marks_of(scan: PageScan, names) -> list[ClaimMark]:
    return [ClaimMark(scan.page, call.line, call.named.get("name") or (call.positional or ("",))[0])
            for call in scan.shortcodes if call.name in names]


def _where(project, page: Path, line: int) -> str:
    try:
        return f"{page.relative_to(project.root)}:{line}"
    except ValueError:
        return f"{page}:{line}"


def claim_problems(project, scans: list[PageScan], document: dict, source: str = "figgen.json") -> list[str]:
    """`figgen check`: a marked claim that is false or undecided, a mark naming no declared claim."""
    declared = {claim.name: claim for claim in project.claims}
    verdicts = {verdict.name: verdict for verdict in judge_all(project.claims, document, source)}
    problems = []
    for scan in scans:
        for mark in marks_of(scan, project.settings.claim_shortcodes):
            where = _where(project, mark.page, mark.line)
            if mark.name not in declared:
                known = ", ".join(sorted(declared)) or "none"
                problems.append(f'{where}: marks the claim "{mark.name}", which figgen.yaml does not declare under '
                                f"`claims:` (declared: {known})")
                continue
            verdict = verdicts[mark.name]
            if not verdict.holds:
                problems.append(f'{where}: the page claims "{mark.name}" (figgen.yaml:{declared[mark.name].line}), '
                                f"which {verdict_text(verdict)}")
    return problems


def unmarked_warnings(project, scans: list[PageScan]) -> list[str]:
    """Declared claims no page states: a draft may not state them yet."""
    marked = {mark.name for scan in scans for mark in marks_of(scan, project.settings.claim_shortcodes)}
    return [f'figgen: warning: the claim "{claim.name}" is declared (figgen.yaml:{claim.line}) but no page marks it'
            for claim in project.claims if claim.name not in marked]


def false_claim_warnings(project) -> list[str]:
    """`figgen build`: each declared claim the figures just built do not support, from figgen.json."""
    if not project.claims:
        return []
    try:
        document = json.loads(project.data_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []  # no figgen.json yet: the build said why
    source = str(project.data_file.relative_to(project.root)) if project.data_file.is_relative_to(project.root) \
        else str(project.data_file)
    return [_warning(verdict) for verdict in judge_all(project.claims, document, source) if not verdict.holds]


def _warning(verdict: Verdict) -> str:
    return f'figgen: warning: the claim "{verdict.name}" {verdict_text(verdict)}; `figgen check` will fail'
