"""The smaller points a guest site met (issue: a guest in a real blog), on the tiny project."""

from __future__ import annotations

from conftest import run_figgen


def _edit(project, old: str, new: str) -> None:
    config = project / "figgen.yaml"
    text = config.read_text(encoding="utf-8")
    assert old in text
    config.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_misspelt_param_is_the_one_line_check_says(tiny):
    _edit(tiny, "params: {count: 3}", "params: {count: 3, cuont: 4}")
    result = run_figgen(tiny, "check")
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, lines  # not "stale", not "unknown fact ... (known here: none)"
    assert lines[0].startswith("figgen.yaml:16: figure /images/tiny/squares.png: params: unknown key 'cuont'")


def test_a_figure_taken_out_of_figgen_yaml_loses_its_image(tiny):
    image = tiny / "site/static/images/tiny/squares.png"
    hand_made = tiny / "site/static/images/tiny/other.png"
    hand_made.write_bytes(b"\x89PNG hand made")
    assert image.is_file()
    _edit(tiny, '  - output: /images/tiny/squares.png\n    draw: figures.squares\n    alt: "Des carrés de couleur"\n'
                "    params: {count: 3}\n", "")
    page = tiny / "content/docs/page.md"
    page.write_text(page.read_text(encoding="utf-8").replace("![](/images/tiny/squares.png)", ""), encoding="utf-8")
    run_figgen(tiny, "build", check=True)
    assert not image.exists() and hand_made.is_file()  # figgen's file only
    assert run_figgen(tiny, "check").returncode == 0


def test_a_text_per_language_is_checked_like_the_default_one(tiny):
    _edit(tiny, 'alt: "Des carrés de couleur"', 'alt:\n      en: "Colour squares"\n      de: "{@squares.colour} Quadrate"')
    result = run_figgen(tiny, "check")
    assert result.returncode == 1
    assert "figgen.yaml:15: figure /images/tiny/squares.png: alt (de): " in result.stdout and "colour" in result.stdout


def test_a_mapping_of_texts_needs_the_default_language(tiny):
    _edit(tiny, 'alt: "Des carrés de couleur"', 'alt: {fr: "Des carrés"}')
    result = run_figgen(tiny, "build")
    assert result.returncode == 2
    assert "figgen.yaml:15: figure /images/tiny/squares.png: alt gives no text for the site's default language 'en'" \
        in result.stderr
