"""Issue 12: every number on the page from the run, every figure explained.

On the tiny project, built for real: facts a figure reports, placeholders in alt texts and
captions, the one formatter shared with the metric shortcode, hand-typed numbers refused,
`figgen why`, distinct names for figures and models, the provenance block, and a changed
epoch count followed by every number of the page.
"""

from __future__ import annotations

import html as html_lib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, run_figgen
from figgen.numbers import format_value

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hugo_site import build_or_fail, parse_page, run_hugo  # noqa: E402

SQUARES_ALT = 'alt: "Des carrés de couleur"'


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def figgen_json(project: Path) -> dict:
    return json.loads((project / "site/data/figgen.json").read_text(encoding="utf-8"))


def line_of(project: Path, needle: str) -> int:
    lines = (project / "figgen.yaml").read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if needle in line)


def with_layouts(project: Path) -> Path:
    """The course's Hugo layouts beside the tiny project's figures: a site Hugo can build."""
    site = project / "site"
    for name in ("layouts", "assets", "themes", "hugo.toml"):  # the course site, figgen component included
        source = REPO / "site" / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, site / name, **(
            {"dirs_exist_ok": True} if source.is_dir() else {}))
    return site


# --- facts and placeholders -----------------------------------------------------------------


def test_alt_placeholders_follow_facts_and_metrics(tiny):
    config = tiny / "figgen.yaml"
    edit(config, SQUARES_ALT, 'alt: "{@squares.count} carrés"\n    caption: "Perte de la droite : {line.final_loss:decimal:3}"')
    run_figgen(tiny, "build", check=True)
    data = figgen_json(tiny)
    squares = data["figures"]["/images/tiny/squares.png"]
    assert squares["facts"] == {"count": 3}
    assert squares["alt"] == "3 carrés"
    loss = data["models"]["line"]["metrics"]["final_loss"]
    assert squares["caption"] == f"Perte de la droite : {format_value(loss, 'decimal', 3)}"
    edit(config, "count: 3", "count: 4")
    run_figgen(tiny, "build", check=True)
    assert figgen_json(tiny)["figures"]["/images/tiny/squares.png"]["alt"] == "4 carrés"
    assert run_figgen(tiny, "check").returncode == 0


@pytest.mark.parametrize("placeholder, message", [
    ("{lnie.final_loss}", "no model 'lnie'"),
    ("{@sqares.count}", "no figure 'sqares'"),
    ("{line.final_loss:pourcents}", 'unknown format "pourcents"'),
])
def test_an_unknown_placeholder_is_a_located_error(tiny, placeholder, message):
    edit(tiny / "figgen.yaml", SQUARES_ALT, f'alt: "Des carrés {placeholder}"')
    result = run_figgen(tiny, "build")
    assert result.returncode == 2
    assert f"figgen.yaml:{line_of(tiny, placeholder)}:" in result.stderr and message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_fact_the_figure_did_not_report_fails_build_and_check(tiny):
    edit(tiny / "figgen.yaml", SQUARES_ALT, 'alt: "Des carrés\n      ({@squares.colour})"')
    result = run_figgen(tiny, "build")
    assert result.returncode == 2
    line = line_of(tiny, "{@squares.colour}")
    assert f'figgen.yaml:{line}: figure /images/tiny/squares.png: alt: unknown metric "@squares.colour"' in result.stderr
    assert 'figure "squares" has no "colour"' in result.stderr and "(known here: count)" in result.stderr
    check = run_figgen(tiny, "check")
    assert check.returncode == 1 and f"figgen.yaml:{line}:" in check.stdout


def test_a_hand_typed_measured_number_fails_check_unless_fixed(tiny):
    config = tiny / "figgen.yaml"
    edit(config, SQUARES_ALT, 'alt: "Des carrés,\n      dont 97,8 % sont bleus et 0.25 verts, en 8×8"')
    result = run_figgen(tiny, "check")
    assert result.returncode == 1
    line = line_of(tiny, "97,8 %")
    assert f'figgen.yaml:{line}: figure /images/tiny/squares.png: alt quotes "97,8 %" by hand' in result.stdout
    assert 'quotes "0.25" by hand' in result.stdout
    assert "8×8" not in result.stdout  # a definition, not a measurement
    edit(config, "params: {count: 3}", 'params: {count: 3}\n    fixed: ["97,8 %", "0.25"]')
    run_figgen(tiny, "build", check=True)  # figgen.json must hold the new alt text for check to pass
    assert run_figgen(tiny, "check").returncode == 0


# --- the metric shortcode: figgen formats, Hugo prints -------------------------------------


def test_figgen_formats_the_numbers_the_pages_quote(tiny):
    page = tiny / "content/docs/page.md"
    page.write_text(page.read_text(encoding="utf-8") + '\nPerte {{< metric "line.final_loss" "decimal" 4 >}}, '
                    '{{< metric "@squares.count" >}} carrés, {{< metric "line.final_los" >}}.\n',
                    encoding="utf-8")
    run_figgen(tiny, "build", check=True)
    data = figgen_json(tiny)
    loss = data["models"]["line"]["metrics"]["final_loss"]
    texts = data["texts"]["en"]  # the tiny site has no Hugo configuration: Hugo's default language
    assert texts["line.final_loss:decimal:4"] == {"value": loss, "text": format_value(loss, "decimal", 4, "en")}
    assert texts["@squares.count::"] == {"value": 3, "text": "3"}
    check = run_figgen(tiny, "check")
    assert check.returncode == 1
    assert 'content/docs/page.md:9: unknown metric "line.final_los": model "line" has no "final_los"' in check.stdout
    assert "in site/data/figgen.json (its metrics: final_loss)" in check.stdout  # names, not record fields


# --- figgen why, names ------------------------------------------------------------------------


def test_why_names_exactly_what_changed(tiny):
    assert "fresh" in run_figgen(tiny, "why", "fit", check=True).stdout
    edit(tiny / "figgen.yaml", "epochs: 30", "epochs: 20")
    shapes = tiny / "tinyfigs/shapes.py"
    shapes.write_text(shapes.read_text(encoding="utf-8") + "EDITED = 1\n", encoding="utf-8")
    fit = run_figgen(tiny, "why", "tiny/fit", check=True).stdout
    assert "stale" in fit and "models.line.training.epochs: 30 -> 20" in fit
    assert "shapes.py" not in fit  # fit does not import shapes
    squares = run_figgen(tiny, "why", "squares.png", check=True).stdout
    assert re.search(r"code\.tinyfigs/shapes\.py: \w+ -> \w+", squares), squares
    listing = run_figgen(tiny, "list", check=True).stdout
    assert "models.line.training.epochs changed" in listing
    assert run_figgen(tiny, "why", "model:line", check=True).stdout == fit


def test_figures_and_models_have_distinct_names(tiny):
    result = run_figgen(tiny, "build", "line")
    assert result.returncode == 2 and "'line' is a model, not a figure: write model:line" in result.stderr
    result = run_figgen(tiny, "build", "model:lnie")
    assert result.returncode == 2 and "did you mean model:line?" in result.stderr
    config = tiny / "figgen.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "  - output: /images/tiny/line.png\n"
                      "    draw: figures.squares\n    alt: Une figure qui porte le nom d'un modèle\n    params: {count: 1}\n")
    result = run_figgen(tiny, "build", "line")
    assert result.returncode == 2
    assert "'line' is both the figure tiny/line and a model: write tiny/line (or line.png) for the figure, " \
           "model:line for the model" in result.stderr
    result = run_figgen(tiny, "build", "line.png", check=True)
    assert (tiny / "site/static/images/tiny/line.png").is_file()


def test_version():
    from importlib.metadata import version

    result = run_figgen(REPO, "--version", check=True)
    assert result.stdout.strip() == f"figgen {version('figgen')}"


# --- provenance and a changed epoch count, through Hugo ---------------------------------------


def _read(block: str, public: Path | None = None) -> tuple[list[str], list[str]]:
    """The tags an HTML parser builds from `block`, and the code of its provenance blocks: the
    HTML each one fetches on unfolding (data-figgen-src, a JSON file of the built site)."""
    from html.parser import HTMLParser

    tags, sources = [], []

    class Reader(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.append(tag)
            sources.extend(value for name, value in attrs if name == "data-figgen-src")

    Reader().feed(block)
    if public is None:
        return tags, sources
    return tags, [json.loads((public / source.lstrip("/")).read_text(encoding="utf-8"))["html"] for source in sources]


def parsed_tags(block: str) -> list[str]:
    return _read(block)[0]


def deferred_code(block: str, public: Path) -> str:
    """The HTML a provenance block shows once unfolded, as a browser fetches it."""
    deferred = _read(block, public)[1]
    assert len(deferred) == 1, block[:500]
    return deferred[0]


def test_provenance_block_shows_the_code_that_drew_the_figure(tiny, tmp_path):
    site = with_layouts(tiny)
    public = build_or_fail(site, tmp_path / "public")
    text = (public / "docs/page/index.html").read_text(encoding="utf-8")
    blocks = re.findall(r'<details class="?figgen-provenance"?.*?</details>', text, re.DOTALL)
    assert len(blocks) == 2  # under both figures of the page
    # The code waits, highlighted, in a file of its own until the reader unfolds the block (a
    # browser test unfolds one): it is read here as the browser fetches it.
    codes = [deferred_code(block, public) for block in blocks]
    fit = next(code for code in codes if "LineModel" in code)
    plain = html_lib.unescape(re.sub(r"<[^>]+>", "", fit))
    assert 'ctx.model("line")' in plain  # the draw function
    assert "class LineModel" in plain  # the trained model's class
    assert "epochs" in plain and "30" in plain  # its hyperparameters from figgen.yaml
    assert "final_loss" in plain  # its measured metrics
    assert "highlight" in fit and "<span style=" in fit or "chroma" in fit  # highlighted by Hugo
    assert "pre" not in parsed_tags(blocks[0])  # no code element is built before the reader asks
    config = (site / "hugo.toml").read_text()  # the course's own [params.figgen] (dark selectors) gets the key
    config = config.replace("[params.figgen]\n", "[params.figgen]\n    provenance = false\n") if "[params.figgen]" in config \
        else config + "\n[params.figgen]\n  provenance = false\n"
    (site / "hugo.toml").write_text(config)
    html = build_or_fail(site, tmp_path / "public2") / "docs/page/index.html"
    assert not re.search(r'<details class="?figgen-provenance', html.read_text(encoding="utf-8"))


@pytest.mark.browser
def test_a_reader_unfolds_the_provenance_block_in_a_browser(tiny, tmp_path):
    from browser import chromium, chromium_missing, serve

    if chromium_missing() and not os.environ.get("CI"):
        pytest.skip(chromium_missing())
    public = build_or_fail(with_layouts(tiny), tmp_path / "public")
    with serve(public) as base, chromium(tmp_path / "profile") as driver:
        driver.get(base + "/docs/page/")
        count = "return document.querySelectorAll('.figgen-provenance pre').length"
        assert driver.execute_script(count) == 0  # nothing built before the reader asks
        summary = driver.find_elements("css selector", ".figgen-provenance summary")[-1]
        summary.click()  # the block fetches its code: wait for it
        from selenium.webdriver.support.ui import WebDriverWait

        shown = WebDriverWait(driver, 15).until(lambda d: d.execute_script(
            "const block = document.querySelectorAll('.figgen-provenance')[arguments[0]];"
            "return block.querySelector('pre') && [block.open, block.querySelector('pre').innerText];",
            len(driver.find_elements("css selector", ".figgen-provenance")) - 1,
        ))
    assert shown[0] and shown[1] and "def draw" in shown[1], shown


@pytest.mark.slow
def test_every_number_on_the_page_follows_a_changed_epoch_count(tiny, tmp_path):
    config = tiny / "figgen.yaml"
    edit(config, 'alt: "Une droite ajustée à des points"',
         'alt: "Une droite ajustée en {@fit.epochs} époques, perte {line.final_loss:decimal:4}"')
    edit(tiny / "tinyfigs/figures/fit.py", "    trained = ctx.model(\"line\")\n",
         "    trained = ctx.model(\"line\")\n    ctx.fact(\"epochs\", len(trained.history[\"losses\"]))\n")
    page = tiny / "content/docs/page.md"
    page.write_text(page.read_text(encoding="utf-8")
                    + '\nPerte finale : {{< metric "line.final_loss" "decimal" 4 >}}.\n', encoding="utf-8")
    site = with_layouts(tiny)

    def page_numbers(epochs: int, public: Path):
        edit(config, re.search(r"epochs: \d+", config.read_text()).group(0), f"epochs: {epochs}")
        run_figgen(tiny, "build", check=True)
        assert run_figgen(tiny, "check").returncode == 0
        loss = figgen_json(tiny)["models"]["line"]["metrics"]["final_loss"]
        parsed = parse_page(build_or_fail(site, public) / "docs/page/index.html")
        fit = next(f for f in parsed.figures if f["img"]["src"].endswith("fit.png"))
        return loss, fit["img"]["alt"], [(m["value"], m["text"]) for m in parsed.metrics]

    loss30, alt30, metrics30 = page_numbers(30, tmp_path / "a")
    loss5, alt5, metrics5 = page_numbers(5, tmp_path / "b")
    assert loss5 != loss30
    for epochs, loss, alt, metrics in ((30, loss30, alt30, metrics30), (5, loss5, alt5, metrics5)):
        # the course's layouts and hugo.toml: a French site, numbers written the French way
        assert alt == f"Une droite ajustée en {epochs} époques, perte {format_value(loss, 'decimal', 4, 'fr')}"
        assert metrics == [(str(loss), format_value(loss, "decimal", 4, "fr"))]


# --- the course itself: the module 3 page follows a changed epoch count ----------------------


def _course_copy(destination: Path) -> Path:
    """figgen.yaml, the course package, its pages, its site and its model cache: a private
    course whose untouched models need no training."""
    for name in ("course", "content", "site", ".figgen"):
        shutil.copytree(REPO / name, destination / name,
                        ignore=shutil.ignore_patterns("public", "resources", "__pycache__", "*.lock"))
    shutil.copy(REPO / "figgen.yaml", destination / "figgen.yaml")
    return destination


def run_course_figgen(course: Path, *args: str) -> subprocess.CompletedProcess:
    """figgen run from the copy, so that the copy's own package is the one imported."""
    result = subprocess.run([sys.executable, "-m", "figgen", *args], cwd=course, capture_output=True, text=True,
                            timeout=900, env={**os.environ, "PYTHONPATH": str(course)})
    assert result.returncode == 0, f"figgen {' '.join(args)}: {result.stdout}\n{result.stderr}"
    return result


@pytest.mark.course
def test_the_course_page_quotes_only_numbers_of_the_build(tmp_path):
    from hugo_site import MODULE3_PAGE, real_course

    real_course()  # the repository's course is built (its models cached), as `make site` does
    course = _course_copy(tmp_path / "course")
    edit(course / "figgen.yaml", "training: {epochs: 30, batch_size: 256", "training: {epochs: 7, batch_size: 256")
    result = run_course_figgen(course, "build")
    assert "model cnn" in result.stdout and "model rnn" not in result.stdout  # only cnn retrained
    run_course_figgen(course, "check")
    data = figgen_json(course)
    page = parse_page(build_or_fail(course / "site", tmp_path / "public") / MODULE3_PAGE)

    assert data["figures"]["/images/module3/cnn_learning_curves.png"]["facts"]["epochs"] == 7
    for figure in page.figures:
        declared = data["figures"][figure["img"]["src"]]
        assert figure["img"]["alt"] == declared["alt"] and "{" not in declared["alt"]
    curves = data["figures"]["/images/module3/cnn_learning_curves.png"]["alt"]
    accuracy = data["models"]["cnn"]["metrics"]["test_accuracy"]
    assert "sur 7 époques" in curves and format_value(accuracy, "pourcent", 1, "fr") in curves
    printed = {(float(m["value"]), m["text"]) for m in page.metrics}
    texts = data["texts"]["fr"]
    assert printed == {(t["value"], t["text"]) for t in texts.values() if not isinstance(t["value"], str)}
    assert (accuracy, format_value(accuracy, "pourcent", 1, "fr")) in printed


def test_a_percentage_is_never_rounded_to_certainty_or_to_zero():
    from course.draw.french import percent
    from figgen.numbers import format_value

    assert format_value(0.978, "pourcent", 1, "fr") == "97,8\u00a0%"
    assert format_value(0.99996, "pourcent", 1, "fr") == "plus de 99,9\u00a0%"
    assert format_value(0.00004, "pourcent", 1, "fr") == "moins de 0,1\u00a0%"
    assert format_value(1.0, "pourcent", 0, "fr") == "100\u00a0%" and format_value(0.0, "pourcent", 0, "fr") == "0\u00a0%"
    assert percent(99.996) == format_value(0.99996, "pourcent", 1, "fr")  # figures and pages write it alike
    assert format_value(0.99996, "percent", 1, "en") == "more than 99.9%"


@pytest.mark.parametrize("locale, percent, decimal, integer", [
    ("en", "97.8%", "12,345.68", "12,346"),
    ("en-US", "97.8%", "12,345.68", "12,346"),
    ("fr", "97,8\u00a0%", "12\u202f345,68", "12\u202f346"),
    ("de-DE", "97,8\u00a0%", "12.345,68", "12.346"),
])
def test_numbers_are_written_in_the_locale_by_babel(locale, percent, decimal, integer):
    from figgen.numbers import format_value

    assert format_value(0.978, "percent", 1, locale) == percent
    assert format_value(0.978, "pourcent", 1, locale) == percent  # the French names stay aliases
    assert format_value(12345.678, "decimal", 2, locale) == format_value(12345.678, "décimal", 2, locale) == decimal
    assert format_value(12345.678, "integer", None, locale) == format_value(12345.678, "entier", None, locale) == integer
    assert format_value(-0.5, "decimal", 1, locale).startswith("\u2212")
