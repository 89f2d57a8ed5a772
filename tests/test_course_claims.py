"""The course's claims: each sentence of module 3 that compares is tied to a declared condition."""

from __future__ import annotations

import pytest

from course_models import REPO, course, train
from figgen.claim_pages import claim_problems, marks_of, unmarked_warnings
from figgen.content_scan import scan_pages

PAGE = "content/docs/module3/architectures-avancées.md"


def test_every_declared_claim_is_marked_and_every_mark_declared():
    project = course()
    scans = scan_pages(project.content)
    marks = [mark for scan in scans for mark in marks_of(scan, project.settings.claim_shortcodes)]
    assert len(project.claims) >= 10
    assert unmarked_warnings(project, scans) == []
    assert {mark.name for mark in marks} <= {claim.name for claim in project.claims}


@pytest.mark.course
def test_a_language_model_that_no_longer_hesitates_fails_check_at_the_sentence():
    project = course()
    scans = scan_pages(project.content)
    result, _ = train("lm", {"epochs": 1})  # the real recipe, on a small budget
    metrics = dict(result.metrics)
    line = next(mark.line for scan in scans for mark in marks_of(scan, project.settings.claim_shortcodes)
                if mark.name == "lm_hesite_hors_corpus")

    def problems(**changed) -> list[str]:
        document = {"models": {"lm": {"metrics": {**metrics, **changed}}}, "figures": {}}
        return [p for p in claim_problems(project, scans, document) if '"lm_hesite_hors_corpus"' in p]

    assert metrics["unseen_prompt_lines"] == 0  # the recipe checks the prompt is outside the corpus
    assert problems(next_word_probability=0.9, unseen_next_word_probability=0.1) == []
    # a retraining after which the model is as sure of itself outside the corpus as inside it
    [problem] = problems(next_word_probability=0.9, unseen_next_word_probability=0.85)
    assert problem.startswith(f'{PAGE}:{line}: the page claims "lm_hesite_hors_corpus" (figgen.yaml:')
    assert problem.endswith("is false (lm.unseen_prompt_lines == 0 and lm.unseen_next_word_probability < "
                            "lm.next_word_probability / 2): lm.unseen_prompt_lines = 0, "
                            "lm.unseen_next_word_probability = 0.85, lm.next_word_probability = 0.9")
    assert (REPO / PAGE).read_text(encoding="utf-8").splitlines()[line - 1].count("affirmation") == 1
