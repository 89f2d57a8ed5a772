"""One rule for every image reference: `figgen check` and a real Hugo build agree on each case.

The table crosses the ways a page can show an image (inline and reference-style Markdown,
Hugo's figure shortcode, a raw <img>, a path relative to the page) with what the path names
(an image that exists, one that is missing, a typo of a real one). Each case is one page of
the tiny project, built for real, checked by `figgen check` and built by the real Hugo with the
course's layouts.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest

from conftest import REPO, run_figgen

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hugo_site import run_hugo  # noqa: E402

EXISTS, MISSING, TYPO = "/images/tiny/squares.png", "/images/tiny/nope.png", "/images/tiny/square.png"

KINDS = {
    "inline": "![]({src})\n",  # a figgen figure's alt lives in figgen.yaml
    "reference": "![][carres]\n\n[carres]: {src}\n",
    "shortcode": '{{{{< figgen-figure src="{src}" >}}}}\n',
    "raw-html": '<img src="{src}" alt="Des carrés">\n',
}

# (kind, path) -> what `figgen check` says (None: the page is fine). Hugo must agree.
EXPECTED = {
    **{(kind, EXISTS): None for kind in ("inline", "reference", "shortcode")},
    ("raw-html", EXISTS): "is a figgen figure shown with a raw <img>",
    **{(kind, MISSING): "is not declared by any figure" for kind in KINDS},
    **{(kind, TYPO): "did you mean /images/tiny/squares.png?" for kind in KINDS},
}
# Page-relative paths: Hugo resolves them against the page bundle, never static/. figgen check
# says so; Hugo builds, as it would without figgen (an image outside figgen's folder is the host's).
RELATIVE = {
    "../../site/static/images/tiny/squares.png": "write /images/tiny/squares.png",
    "squares.png": "is not a resource of this page's bundle",
}


@pytest.fixture(scope="module")
def hugo_tiny(built_tiny, tmp_path_factory):
    """The built tiny project with the course's Hugo layouts beside its figures."""
    project = tmp_path_factory.mktemp("refs") / "project"
    shutil.copytree(built_tiny, project)
    site = project / "site"
    for name in ("layouts", "assets", "themes", "hugo.toml"):  # the course site, figgen component included
        source = REPO / "site" / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, site / name)
    return project


def _outcome(project: Path, tmp_path: Path, page_text: str, build: bool = True) -> tuple[str, str]:
    page = project / "content/docs/page.md"
    page.write_text("---\ntitle: Page\n---\n\n" + page_text, encoding="utf-8")
    if build:  # figgen.json numbers the page's figures (the figures are fresh: no work)
        run_figgen(project, "build")
    check = run_figgen(project, "check")
    hugo = run_hugo(project / "site", tmp_path / "public")
    return (check.stdout if check.returncode else ""), ((hugo.stdout + hugo.stderr) if hugo.returncode else "")


# Where Markdown shows no image, Goldmark and figgen agree: a missing path there is no problem.
HIDDEN = {
    "fence-of-four": "````markdown\n```\n![x]({src})\n```\n````\n",
    "tilde-fence": "~~~\n![x]({src})\n~~~\n",
    "code-span": "Write `![x]({src})` to show it.\n",
    "double-code-span": "Write ``![x]({src}) `here` `` to show it.\n",
    "indented-code": "Text.\n\n    ![x]({src})\n",
    "html-comment": "<!--\n![x]({src})\n-->\n",
    "escaped-shortcode": '{{{{</* figgen-figure src="{src}" */>}}}}\n',
}
# Where it does show one, after a long fence closes, in a list or a block quote: a missing path fails both.
SHOWN = {
    "after-long-fence": "````\n```\n````\n\n![x]({src})\n",
    "in-list": "- item\n\n  ![x]({src})\n",
    "in-quote": "> ![x]({src})\n",
    "html-block": "<div>\n<img src=\"{src}\" alt=\"x\">\n</div>\n",
}


@pytest.mark.parametrize("name", sorted(HIDDEN))
def test_code_and_comments_hide_images_from_both(hugo_tiny, tmp_path, name):
    problem, hugo_error = _outcome(hugo_tiny, tmp_path, HIDDEN[name].format(src=MISSING))
    assert problem == "" and hugo_error == "", (problem, hugo_error)


@pytest.mark.parametrize("name", sorted(SHOWN))
def test_images_markdown_shows_are_checked_by_both(hugo_tiny, tmp_path, name):
    problem, hugo_error = _outcome(hugo_tiny, tmp_path, SHOWN[name].format(src=MISSING))
    assert "is not declared by any figure" in problem, problem
    assert hugo_error, f"figgen check fails ({problem.strip()}) but Hugo builds"


@pytest.mark.parametrize("page_text, expected", [
    # prose is figgen's business on a page that shows a figgen figure (hand_typed_scope.py)
    (f"The model is right 93,1 % of the time.\n\n![]({EXISTS})\n", '5: quotes "93,1 %" by hand'),
    (f"It reaches 97 percent.\n\n![]({EXISTS})\n", '5: quotes "97 percent" by hand'),
    (f"Il atteint 97 pour cent.\n\n![]({EXISTS})\n", '5: quotes "97 pour cent" by hand'),
    (f"![Squares, 97,8 % of them]({EXISTS})\n", 'the alt text of /images/tiny/squares.png quotes "97,8 %" by hand'),
    (f'![]({EXISTS} "Right 99.4% of the time")\n', 'the caption of /images/tiny/squares.png quotes "99.4%" by hand'),
    (f"![Des carrés]({EXISTS})\n", "the page gives /images/tiny/squares.png its own alt text"),
])
def test_hand_typed_numbers_and_alt_texts_fail_check_with_the_line(hugo_tiny, tmp_path, page_text, expected):
    problem, _ = _outcome(hugo_tiny, tmp_path, page_text)
    assert expected in problem and problem.startswith("content/docs/page.md:5: "), problem


def test_numbers_in_code_or_listed_in_front_matter_are_not_hand_typed(hugo_tiny, tmp_path):
    page = hugo_tiny / "content/docs/page.md"
    page.write_text("---\ntitle: Page\nfiggen_fixed: [\"5 %\"]\n---\n\nA 5 % threshold, `x = 0.5`, and\n\n"
                    "    y = 93.1\n", encoding="utf-8")
    run_figgen(hugo_tiny, "build")
    assert run_figgen(hugo_tiny, "check").returncode == 0


def test_the_same_figure_twice_gets_two_numbers_and_unique_ids(hugo_tiny, tmp_path):
    from hugo_site import parse_page

    text = f"![]({EXISTS})\n\nThe squares again, inline: ![]({EXISTS}).\n\n![]({EXISTS})\n"
    problem, hugo_error = _outcome(hugo_tiny, tmp_path, text)
    assert not problem and not hugo_error, (problem, hugo_error)
    html = (tmp_path / "public/docs/page/index.html").read_text(encoding="utf-8")
    ids = re.findall(r'<figure[^>]* id="?([\w-]+)', html)
    assert ids == ["figure-1", "figure-2"]
    assert len(parse_page(tmp_path / "public/docs/page/index.html").figures) == 2


CASES = [(kind, src, expected) for (kind, src), expected in EXPECTED.items()] + \
        [("inline", src, expected) for src, expected in RELATIVE.items()]


@pytest.mark.parametrize("kind, src, expected", CASES, ids=[f"{k}-{s}" for k, s, _ in CASES])
def test_figgen_check_and_hugo_agree(hugo_tiny, tmp_path, kind, src, expected):
    problem, hugo_error = _outcome(hugo_tiny, tmp_path, KINDS[kind].format(src=src))
    if expected is None:
        assert problem == "" and hugo_error == "", (problem, hugo_error)
        return
    assert expected in problem, problem
    assert len(problem.strip().splitlines()) == 1, problem  # one error per problem
    if src in RELATIVE:
        assert hugo_error == "", hugo_error
        return
    assert hugo_error, f"figgen check fails ({problem.strip()}) but Hugo builds"
    assert "has no description" not in hugo_error  # no second, misleading error
    if src == MISSING or src == TYPO:
        assert "figgen build" not in problem + hugo_error  # not declared: building would not help


def test_a_declared_but_unbuilt_figure_is_the_one_case_for_make_figures(hugo_tiny, tmp_path):
    image = hugo_tiny / "site/static/images/tiny/squares.png"
    kept = image.read_bytes()
    image.unlink()
    try:
        problem, hugo_error = _outcome(hugo_tiny, tmp_path, KINDS["inline"].format(src=EXISTS), build=False)
    finally:
        image.write_bytes(kept)
    assert "is missing: run figgen build" in problem
    assert "run figgen build" in hugo_error and "has no description" not in hugo_error


def test_shortcode_figures_of_figgen_images_get_alt_size_number_and_caption(hugo_tiny, tmp_path):
    from hugo_site import parse_page

    page_text = KINDS["inline"].format(src=EXISTS) + "\n" + KINDS["shortcode"].format(src="/images/tiny/fit.png")
    problem, hugo_error = _outcome(hugo_tiny, tmp_path, page_text)
    assert not problem and not hugo_error
    figures = parse_page(tmp_path / "public/docs/page/index.html").figures
    assert [f["caption"].split("\u00a0:")[0] for f in figures] == ["Figure 1", "Figure 2"]
    assert figures[1]["img"]["alt"] == "Une droite ajustée à des points"
    assert figures[1]["img"]["width"]


def test_a_page_edited_since_the_build_never_shows_a_wrong_number(hugo_tiny, tmp_path):
    _outcome(hugo_tiny, tmp_path / "before", f"![]({EXISTS})\n")
    problem, hugo_error = _outcome(hugo_tiny, tmp_path, "![](/images/tiny/fit.png)\n\n" f"![]({EXISTS})\n", build=False)
    assert "the page changed since figgen last read it" in hugo_error and "run figgen build" in hugo_error


def test_on_a_fresh_clone_a_declared_figure_is_told_to_build(hugo_tiny, tmp_path):
    """No figgen.json, no images (both git-ignored): figgen_declared.json, committed, is enough
    for Hugo to tell a declared figure not built yet from an unknown image."""
    clone = tmp_path / "clone"
    shutil.copytree(hugo_tiny, clone, ignore=shutil.ignore_patterns("figgen.json", "*.png", ".figgen"))
    (clone / "content/docs/page.md").write_text("---\ntitle: Page\n---\n\n![](/images/tiny/squares.png)\n\n"
                                                "![](/images/tiny/nope.png)\n", encoding="utf-8")
    errors = run_hugo(clone / "site", tmp_path / "public")
    output = errors.stdout + errors.stderr
    assert errors.returncode != 0
    assert 'the page shows the image "/images/tiny/squares.png", which does not exist (figgen.yaml declares it): ' \
           "run figgen build" in output
    assert '"/images/tiny/nope.png", which does not exist: it is not declared by any figure' in output
