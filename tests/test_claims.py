"""Claims: a sentence tied to a condition over the run's metrics and facts, checked like a number."""

from __future__ import annotations

import re

import pytest

from conftest import run_figgen
from figgen.claims import ClaimSyntax, judge, parse_condition, syntax_problem

DOCUMENT = {
    "models": {"rnn": {"metrics": {"accuracy_by_delay": {"40": 0.3, "80": 0.14}, "test_accuracy": 0.5}}},
    "figures": {"/images/m/jpeg.png": {"name": "m/jpeg", "facts": {"ae_mse": 0.034, "jpeg-mse": 0.030,
                                                                      "word": "va"}}},
}


@pytest.mark.parametrize("condition, holds", [
    ("@jpeg.ae_mse < @jpeg.jpeg-mse", False),
    ("@jpeg.ae_mse - @jpeg.jpeg-mse <= 0.005", True),
    ("rnn.accuracy_by_delay.80 < rnn.accuracy_by_delay.40 / 2", True),
    ("0.1 < rnn.accuracy_by_delay.80 <= 0.2 and not @jpeg.word == 'va'", False),
    ("@jpeg.word == \"va\" or rnn.test_accuracy > 2", True),
    ("-rnn.test_accuracy < 0", True),
])
def test_a_condition_is_judged_on_the_values_of_figgen_json(condition, holds):
    verdict = judge("name", condition, DOCUMENT)
    assert verdict.holds is holds
    assert set(verdict.values) == set(parse_condition(condition).keys)


def test_a_missing_value_or_a_text_compared_with_a_number_leaves_it_undecided():
    missing = judge("name", "@jpeg.nothing > 1", DOCUMENT)
    assert missing.holds is None and 'no "nothing"' in missing.problem
    assert judge("name", "@jpeg.word < 3", DOCUMENT).holds is None
    assert judge("name", "@jpeg.ae_mse / (rnn.test_accuracy - 0.5) > 1", DOCUMENT).holds is None  # 1 / 0


@pytest.mark.parametrize("condition", [
    "__import__('os').system('true') == 0", "@jpeg.ae_mse", "x < 2", "@jpeg.ae_mse.real() < 1",
    "[1][0] < 2", "(lambda: 1)() < 2", "@jpeg.ae_mse <", "@jpeg.ae_mse ** 2 < 1", "True == 1",
])
def test_nothing_outside_the_tiny_grammar_is_accepted(condition):
    with pytest.raises(ClaimSyntax):
        parse_condition(condition)


def test_a_key_must_name_a_declared_model_or_figure():
    assert syntax_problem("lstm.accuracy > 0.5", {"rnn"}, {"jpeg"}).startswith('"lstm.accuracy": no model "lstm"')
    assert 'no figure "png"' in syntax_problem("@png.x > 0.5", {"rnn"}, {"jpeg"})
    assert syntax_problem("@jpeg.x > rnn.y", {"rnn"}, {"jpeg"}) is None


def _declare(project, condition: str, sentence: str = "La droite colle aux points.") -> int:
    """Declare the claim `fits` and mark its sentence on the page; returns the page line."""
    config = project / "figgen.yaml"
    config.write_text(config.read_text() + f'claims:\n  fits: "{condition}"\n')
    page = project / "content" / "docs" / "page.md"
    text = page.read_text() + f"\nUn texte.\n{{{{% figgen-claim \"fits\" %}}}}{sentence}{{{{% /figgen-claim %}}}}\n"
    page.write_text(text)
    return text.count("\n")


def test_a_retraining_that_makes_a_claim_false_fails_check_at_the_page_line(tiny):
    line = _declare(tiny, "line.final_loss < 0.5")
    built = run_figgen(tiny, "build")
    assert built.returncode == 0 and "claim" not in built.stderr, built.stderr
    assert run_figgen(tiny, "check").returncode == 0

    recipe = tiny / "tinyfigs" / "recipes" / "fit_line.py"  # the recipe's result, worse by 1
    recipe.write_text(recipe.read_text().replace('metrics={"final_loss": losses[-1]}',
                                                 'metrics={"final_loss": losses[-1] + 1}'))
    rebuilt = run_figgen(tiny, "build")
    assert rebuilt.returncode == 0
    assert 'warning: the claim "fits" is false (line.final_loss < 0.5): line.final_loss = 1.1' in rebuilt.stderr
    checked = run_figgen(tiny, "check")
    assert checked.returncode == 1
    assert (f'content/docs/page.md:{line}: the page claims "fits" (figgen.yaml:22), which is false '
            "(line.final_loss < 0.5): line.final_loss = 1.1") in checked.stdout, checked.stdout
    again = run_figgen(tiny, "build")  # a no-op build still says so (from its stamp too)
    assert 'the claim "fits" is false' in again.stderr
    assert 'the claim "fits" is false' in run_figgen(tiny, "build").stderr


def test_a_page_marking_an_undeclared_claim_fails_check(tiny):
    _declare(tiny, "line.final_loss < 0.05")
    page = tiny / "content" / "docs" / "page.md"
    page.write_text(page.read_text() + '\n{{% figgen-claim name="fit" %}}Elle colle.{{% /figgen-claim %}}\n')
    checked = run_figgen(tiny, "check")
    assert checked.returncode == 1
    assert 'marks the claim "fit", which figgen.yaml does not declare under `claims:` (declared: fits)' in checked.stdout


def test_a_condition_outside_the_grammar_is_refused_at_its_line(tiny):
    _declare(tiny, "line.final_loss.__class__ < 1 or open('x')")
    result = run_figgen(tiny, "build")
    assert result.returncode != 0
    assert "figgen.yaml:22: claim 'fits':" in result.stderr and "call is not allowed" in result.stderr


def test_the_angle_bracket_mark_keeps_its_metric_on_a_site_without_unsafe_html(tiny, tmp_path):
    """{{< figgen-claim >}} renders its inner Markdown itself: a metric inside keeps its <data>
    element where Goldmark drops raw HTML; the {{% %}} mark still works; `figgen check` reads both."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from hugo_site import build_or_fail
    from test_numbers_by_name import with_layouts

    _declare(tiny, "line.final_loss < 0.5", "Elle *colle* aux points.")
    page = tiny / "content" / "docs" / "page.md"
    page.write_text(page.read_text() + '\nÉcart réduit. {{< figgen-claim "fits" >}}La perte finale, '
                    '{{< metric "line.final_loss" "decimal" 4 >}}, est *faible*.{{< /figgen-claim >}} Fin.\n')
    site = with_layouts(tiny)  # a French site: figgen formats its numbers in French
    assert run_figgen(tiny, "build").returncode == 0
    assert run_figgen(tiny, "check").returncode == 0
    config = (site / "hugo.toml").read_text(encoding="utf-8")
    assert "unsafe = true" in config
    (site / "hugo.toml").write_text(config.replace("unsafe = true", "unsafe = false"), encoding="utf-8")
    html = (build_or_fail(site, tmp_path / "public") / "docs/page/index.html").read_text(encoding="utf-8")
    sentence = re.search(r"Écart réduit\. (.*?) Fin\.", html, re.DOTALL)
    assert sentence, html[-3000:]
    assert re.fullmatch(r'La perte finale, <data class="?figgen-metric"? value="?[0-9.e-]+"?>0,\d{4}</data>, '
                        r"est <em>faible</em>\.", sentence[1]), sentence[1]
    assert "Elle <em>colle</em> aux points." in html  # the {{% %}} mark, as before

    page.write_text(page.read_text().replace('{{< figgen-claim "fits" >}}', '{{< figgen-claim "fit" >}}'))
    checked = run_figgen(tiny, "check")  # the angle-bracket mark is read by `figgen check` too
    line = page.read_text().splitlines().index(next(l for l in page.read_text().splitlines() if "Écart" in l)) + 1
    assert checked.returncode == 1 and f'page.md:{line}: marks the claim "fit"' in checked.stdout, checked.stdout


def test_the_inner_text_of_an_angle_bracket_claim_is_prose_for_the_hand_typed_check():
    from pathlib import Path

    from figgen.content_scan import scan_page

    text = 'Un. {{< figgen-claim "x" >}}Elle fait 97 % de mieux.{{< /figgen-claim >}} Deux.\n'
    prose = " ".join(text for _, text in scan_page(Path("p.md"), text, ("figgen-claim",)).prose)
    assert "97 %" in prose  # rendered as the page's Markdown (figgen/claim-text.html): checked
    assert "97 %" not in " ".join(text for _, text in scan_page(Path("p.md"), text).prose)  # another pair: not
