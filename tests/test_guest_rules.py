"""The rules that make figgen a polite guest, as pure functions: which numbers are figgen's
business (hand_typed_scope.py, not_measured.py), a figure's texts per language
(translations.py), placeholders a page would show as typed (page_placeholders.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from figgen.commands.new import plot_title
from figgen.config.model import FigureSpec
from figgen.content_scan import scan_page
from figgen.hand_typed_scope import image_texts_in_scope, prose_in_scope
from figgen.page_placeholders import placeholders_in_page
from figgen.placeholders import hand_typed_numbers
from figgen.site_locale import SiteLanguages
from figgen.translations import NoDefaultText, language_entries, split_texts, untranslated


@pytest.mark.parametrize("text, found", [
    ("Python 3.11 and Hugo 0.168.0 on 2024-05-12, 12.05.2024 or 05/12/2024, v2.1, version 1.4", []),
    ("The build is 30% faster, 2.5 times", ["30%", "2.5"]),
    ("CNN 97.8 % and a loss of 0.25", ["97.8 %", "0.25"]),  # a name then a percent: measured
    ("Genauigkeit 86,1 %", ["86,1 %"]),
])
def test_versions_and_dates_are_never_hand_typed_measurements(text, found):
    assert hand_typed_numbers(text) == found


PAGE = Path("content/docs/page.md")
DECLARED = {"/images/a.png"}


def _scan(body: str):
    return scan_page(PAGE, "---\ntitle: T\n---\n\n" + body)


@pytest.mark.parametrize("body, scope, checked", [
    ("An archive post, 30% faster.\n", "figgen", False),
    ("An archive post, 30% faster.\n", "everywhere", True),
    ("30% faster.\n\n![](/images/a.png)\n", "figgen", True),
    ('It reaches {{< metric "m.acc" "percent" >}}, 30% more.\n', "figgen", True),
    ("30% faster.\n\n![](/images/a.png)\n", "figures", False),
    ("30% faster.\n\n![](/images/a.png)\n", "off", False),
])
def test_prose_is_checked_only_where_figgen_shows_something(body, scope, checked):
    assert prose_in_scope(_scan(body), DECLARED, ("metric",), scope) is checked


def test_only_figgens_images_have_their_texts_checked_by_default():
    scan = _scan("![Ours, 97 %](/images/a.png)\n\n![A photo, 97 %](/photo.png)\n")
    assert [image_texts_in_scope(ref, DECLARED, "figgen") for ref in scan.images] == [True, False]
    assert [image_texts_in_scope(ref, DECLARED, "everywhere") for ref in scan.images] == [True, True]


def test_a_placeholder_anywhere_in_a_page_is_found_with_its_line():
    scan = _scan('Prose {m.acc:percent}.\n\n{{< figgen-figure src="/images/a.png" caption="At {@a.best:percent:1}" >}}\n'
                 '\n`{m.acc}` in code is not shown.\n')
    assert placeholders_in_page(scan) == [(5, "the prose", "{m.acc:percent}"),
                                          (7, 'the figgen-figure shortcode\'s caption', "{@a.best:percent:1}")]


def test_a_plain_text_is_the_default_language_and_a_mapping_needs_it():
    assert split_texts(" Plain ", "en") == ("Plain", {})
    assert split_texts({"en": "Hello", "DE": "Hallo"}, "en") == ("Hello", {"de": "Hallo"})
    with pytest.raises(NoDefaultText, match="default language 'fr'"):
        split_texts({"en": "Hello"}, "fr")


def test_each_language_gets_its_words_or_the_defaults_in_its_own_notation():
    figure = FigureSpec(output="/images/a.png", draw="figures.a", alt="Ends at {x}", caption="Best {x}.",
                        translations={"alt": {"de": "Endet bei {x}"}})
    languages = SiteLanguages("en", {"en": "en", "de": "de", "fr": "fr-FR"})
    entries = language_entries(figure, languages, lambda text, locale: f"{text}@{locale}")
    assert entries == {"de": {"alt": "Endet bei {x}@de", "caption": "Best {x}.@de", "translated": False},
                       "fr": {"alt": "Ends at {x}@fr-FR", "caption": "Best {x}.@fr-FR", "translated": False}}
    assert untranslated(figure, languages) == ["de", "fr"]


def test_the_scaffolds_plot_title_leaves_the_placeholders_to_figgen_yaml():
    assert plot_title("Accuracy ends at {@accuracy.best:percent:1}.") == "Accuracy ends at"
    assert plot_title("{cnn.test_accuracy}") == "Figure"
