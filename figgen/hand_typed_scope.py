"""Where `figgen check` looks for hand-typed measured numbers: where figgen's numbers are.

figgen.yaml's `check: {hand_typed: ...}`:
- `figgen` (the default): the alt texts and captions of figgen's figures (figgen.yaml's, or a
  page's), and the prose of the pages that show a figgen figure or quote a figgen number (the
  metric shortcode). An archive post with no figure is the site's business, not figgen's.
- `everywhere`: the prose, alt texts and captions of every page.
- `figures`: the alt texts and captions of figgen's figures only.
- `off`: nowhere.
"""

from __future__ import annotations

from figgen.content_scan import ImageReference, PageScan

SCOPES = ("figgen", "everywhere", "figures", "off")


def shows_figgen(scan: PageScan, declared, metric_shortcodes) -> bool:
    """The page shows a figgen figure or quotes a figgen number."""
    return (any(reference.src in declared for reference in scan.images)
            or any(call.name in metric_shortcodes for call in scan.shortcodes))


def prose_in_scope(scan: PageScan, declared, metric_shortcodes, scope: str) -> bool:
    if scope == "everywhere":
        return True
    return scope == "figgen" and shows_figgen(scan, declared, metric_shortcodes)


def image_texts_in_scope(reference: ImageReference, declared, scope: str) -> bool:
    """Whether the alt text and caption a page gives this image are checked."""
    if scope == "everywhere":
        return True
    return scope in ("figgen", "figures") and reference.src in declared


def figgen_yaml_in_scope(scope: str) -> bool:
    return scope != "off"
