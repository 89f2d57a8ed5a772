"""Claims: a sentence tied to a condition over the run's metrics and facts, checked like a number."""

from __future__ import annotations

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
