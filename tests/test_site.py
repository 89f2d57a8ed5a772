"""The course site, built by the real Hugo with our theme, render hooks and shortcodes.

Three levels, from fast to slow:
- a tiny site (the theme + a few pages written here + placeholder PNGs) pins down what the
  render hooks and the metric shortcode do, and that broken pages fail the build;
- the real course pages with placeholder figures: the pages themselves build (links, math,
  shortcodes), the reference page too, in seconds and without training anything;
- the real course as `make site` builds it, after `figgen build` (slow: trains the models).
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import hugo_site  # noqa: E402
from hugo_site import (  # noqa: E402
    MODULE3_PAGE,
    SEED_PAGE,
    build_or_fail,
    copy_project,
    french_number,
    french_percent,
    html_pages,
    output_file,
    parse_page,
    referenced_images,
    run_hugo,
    write_placeholder_figures,
    write_placeholder_png,
)

# --- a tiny site, written here ------------------------------------------------------------

TINY_PAGES = {
    "_index.md": "---\ntitle: Accueil\n---\nBienvenue.\n",
    "docs/_index.md": "---\ntitle: Le cours\nweight: 1\n---\n",
    "docs/chapitre/_index.md": "---\ntitle: Un chapitre\nweight: 1\n---\nLe chapitre.\n",
    "docs/chapitre/données-et-formules.md": """---
title: Données et formules
weight: 20
---

# Des figures

![](/images/tiny/declared.png)

![Une description écrite dans la page](/images/tiny/declared.png "Une légende écrite dans la page")

Une icône ![Icône](/images/tiny/icon.png) au milieu d'une phrase.

{{< figgen-figure src="/images/tiny/declared.png" caption="La légende du shortcode" >}}

# Des formules

Le théorème de Pythagore, $a^2 + b^2 = c^2$, une perte $\\mathcal{L}(\\theta)$ à valeurs dans
$\\mathbb{R}$, et une somme :

$$
\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}
$$

# Des mesures

- pourcentage : {{< metrique "modele.precision" "pourcent" >}}
- pourcentage sans décimale : {{< metrique "modele.precision" "pourcent" 0 >}}
- décimal par défaut : {{< metrique "modele.erreur" >}}
- décimal précis : {{< metrique "modele.erreur" "decimal" 4 >}}
- grand nombre : {{< metrique "modele.pas" "decimal" 0 >}}
- clé imbriquée : {{< metrique "modele.par_delai.40" "pourcent" >}}
- texte : {{< metrique "modele.mot" >}}
- paramètres nommés : {{< metrique key="modele.precision" format="pourcent" precision=2 >}}
- durée de l'entraînement : {{< metrique "modele.seconds" "decimal" 1 >}}

Une phrase {{% affirmation "modele_precis" %}}que la mesure **soutient**, vérifiée par
`figgen check`{{% /affirmation %}}, au milieu d'un paragraphe.

Voir [la section accentuée]({{< relref "docs/chapitre/première-page/#une-section--avec-des-accents-éèà" >}}).
""",
    "docs/chapitre/première-page.md": """---
title: Première page
weight: 10
---

Du texte.

## Une section : avec des accents éèà

Encore du texte.
""",
}

TINY_DECLARED_ALT = "Une description déclarée dans figgen.yaml"
TINY_FIGGEN = {
    "figures": {
        "/images/tiny/declared.png": {
            "alt": TINY_DECLARED_ALT,
            "width": 360,
            "height": 240,
            "fingerprint": "0" * 64,
            "models": ["modele"],
            "stale": False,
        }
    },
    "models": {
        "modele": {
            "metrics": {
                "precision": 0.97812,
                "erreur": 0.012345,
                "pas": 12345.6,
                "par_delai": {"5": 1.0, "40": 0.125},
                "mot": "va",
            },
            "seconds": 3.14,
            "device": "cpu",
        }
    },
}
TINY_PAGE = Path("docs") / "chapitre" / "données-et-formules" / "index.html"
TINY_SOURCE = "content/docs/chapitre/données-et-formules.md"


def make_tiny_site(root: Path) -> Path:
    content = root / "tiny-content"
    for name, text in TINY_PAGES.items():
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_text(text, encoding="utf-8")
    site = copy_project(root, with_figures=False, content=content)
    write_placeholder_png(site / "static/images/tiny/declared.png", 720, 480)  # 2x of 360x240
    write_placeholder_png(site / "static/images/tiny/icon.png", 24, 16)  # not figgen's: as is
    (site / "data").mkdir(exist_ok=True)
    write_figgen_json(site, TINY_FIGGEN)
    return site


def write_figgen_json(site: Path, document: dict) -> None:
    """figgen.json as figgen writes it: with the texts of the pages' metric calls."""
    document = hugo_site.with_metric_texts(document, site.parent / "content", site)
    (site / "data/figgen.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


@pytest.fixture(scope="module")
def tiny_site(tmp_path_factory) -> Path:
    return make_tiny_site(tmp_path_factory.mktemp("tiny"))


@pytest.fixture(scope="module")
def tiny_public(tiny_site, tmp_path_factory) -> Path:
    return build_or_fail(tiny_site, tmp_path_factory.mktemp("tiny-public"))


@pytest.fixture(scope="module")
def tiny_page(tiny_public):
    return parse_page(tiny_public / TINY_PAGE)


def test_an_image_without_alt_gets_the_declared_one_as_alt_never_as_caption(tiny_page):
    img, caption = tiny_page.figures[0]["img"], tiny_page.figures[0]["caption"]
    assert img["alt"] == TINY_DECLARED_ALT
    assert caption == "Figure 1"  # no caption declared: the number alone, not the alt text read twice
    assert img["src"] == "/images/tiny/declared.png"
    # The display size: the PNG is 720x480, drawn at 2x for hi-DPI screens.
    assert (img["width"], img["height"]) == ("360", "240")
    assert "loading" not in img


def test_written_alt_and_title_win(tiny_page):
    img, caption = tiny_page.figures[1]["img"], tiny_page.figures[1]["caption"]
    assert img["alt"] == "Une description écrite dans la page"
    assert caption == "Figure 2\u00a0: Une légende écrite dans la page"


def test_an_image_that_is_not_figgens_is_rendered_as_hugo_renders_it(tiny_page):
    icon = next(img for img in tiny_page.images if img["src"].endswith("icon.png"))
    assert icon not in [figure["img"] for figure in tiny_page.figures]
    assert icon == {"src": "/images/tiny/icon.png", "alt": "Icône"}  # Hugo's own <img>, nothing added


def test_the_figgen_figure_shortcode_follows_the_same_rules(tiny_page):
    img, caption = tiny_page.figures[2]["img"], tiny_page.figures[2]["caption"]
    # numbered in the same sequence as the Markdown figures (the inline icon is no figure)
    assert (img["alt"], img["width"], caption) == (TINY_DECLARED_ALT, "360", "Figure 3\u00a0: La légende du shortcode")


def test_math_is_rendered_at_build_time_to_mathml(tiny_public, tiny_page):
    assert tiny_page.maths == 4
    assert "$" not in tiny_page.text
    html = (tiny_public / TINY_PAGE).read_text(encoding="utf-8")
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">' in html
    # \mathcal and \mathbb as Unicode letters: Chromium ignores MathML's mathvariant.
    assert "<mi>ℒ</mi>" in html and "<mi>ℝ</mi>" in html and 'mathvariant="script"' not in html
    # Nothing for the reader's browser to fetch: no script file (only the inline one that applies
    # the reader's light/dark choice before the first paint), and only our own stylesheet.
    assert tiny_page.scripts == 1 and "<script src" not in html and 'localStorage.getItem("theme")' in html
    assert all(href.startswith("/") for href in tiny_page.stylesheets)


def test_metrics_are_written_the_french_way(tiny_page):
    assert [metric["text"] for metric in tiny_page.metrics] == [
        "97,8\u00a0%",
        "98\u00a0%",
        "0,01",
        "0,0123",
        "12\u202f346",
        "12,5\u00a0%",
        "97,81\u00a0%",
        "3,1",
    ]
    assert "texte : va" in tiny_page.text  # text metrics are printed as they are
    assert tiny_page.metrics[0]["value"] == "0.97812"  # the exact value stays in the HTML


def test_a_claim_mark_shows_its_sentence_as_the_page_wrote_it(tiny_public):
    html = (tiny_public / TINY_PAGE).read_text(encoding="utf-8")
    assert "<p>Une phrase que la mesure <strong>soutient</strong>, vérifiée par\n<code>figgen check</code>, au" in html


def test_links_to_accented_headings_resolve(tiny_public, tiny_page):
    link = next(link for link in tiny_page.links if link["text"] == "la section accentuée")
    target, _, anchor = link["href"].partition("#")
    assert anchor == "une-section--avec-des-accents-éèà"
    assert anchor in parse_page(output_file(tiny_public, target)).ids


def test_sidebar_and_previous_next_follow_the_weights(tiny_public, tiny_page):
    sidebar = [link["text"] for link in tiny_page.links if link.get("href", "").startswith("/docs/")]
    assert sidebar[:3] == ["Un chapitre", "Première page", "Données et formules"]
    current = [link["text"] for link in tiny_page.links if link.get("aria-current") == "page"]
    assert current == ["Données et formules"]
    around = {link["rel"]: link["text"] for link in tiny_page.links if link.get("rel") in ("prev", "next")}
    assert around == {"prev": "Précédent Première page"}
    first = parse_page(tiny_public / "docs/chapitre/première-page/index.html")
    around = {link["rel"]: link["text"] for link in first.links if link.get("rel") in ("prev", "next")}
    assert around == {"prev": "Précédent Un chapitre", "next": "Suivant Données et formules"}


def test_the_site_works_under_a_sub_path(tiny_site, tmp_path):
    public = build_or_fail(tiny_site, tmp_path / "public", "--baseURL", "https://example.org/cours/")
    page = parse_page(public / TINY_PAGE)
    ours = [figure["img"] for figure in page.figures]
    assert ours and all(img["src"].startswith("/cours/images/tiny/") for img in ours)
    for url in [img["src"] for img in ours] + page.stylesheets:
        assert output_file(public, url, base_path="/cours/").is_file(), url


def test_a_missing_figure_fails_the_build_naming_page_and_image(tmp_path):
    site = make_tiny_site(tmp_path)
    (site / "static/images/tiny/declared.png").unlink()
    result = run_hugo(site, tmp_path / "public")
    assert result.returncode != 0
    errors = result.stdout + result.stderr
    assert f'{TINY_SOURCE}:8: the page shows the image "/images/tiny/declared.png", which does not exist' in errors
    assert "run figgen build" in errors  # the default hint: figgen.json names no other


def test_a_stale_figure_stops_a_publishing_build(tmp_path):
    site = make_tiny_site(tmp_path)
    data = json.loads((site / "data/figgen.json").read_text(encoding="utf-8"))
    data["figures"]["/images/tiny/declared.png"]["stale"] = True  # its code changed since
    (site / "data/figgen.json").write_text(json.dumps(data), encoding="utf-8")
    result = run_hugo(site, tmp_path / "public")  # --panicOnWarning, as `make site`
    assert result.returncode != 0
    assert 'the figure "/images/tiny/declared.png" is out of date' in result.stdout + result.stderr


def test_an_image_that_is_not_figgens_builds_as_the_host_would_without_alt(tmp_path):
    site = make_tiny_site(tmp_path)
    page = site.parent / "content/docs/chapitre/données-et-formules.md"
    page.write_text(page.read_text(encoding="utf-8").replace("![Icône]", "![]"), encoding="utf-8")
    public = build_or_fail(site, tmp_path / "public")  # figgen judges its own figures only
    assert {"src": "/images/tiny/icon.png", "alt": ""} in parse_page(public / TINY_PAGE).images


@pytest.mark.parametrize(
    "call, message",
    [
        ('"modele.precison" "pourcent"', 'unknown metric "modele.precison": model "modele" has no "precison"'),
        ('"modeel.precision"', 'unknown metric "modeel.precision": no model "modeel"'),
        ('"modele.par_delai.7"', 'model "modele" has no "7" in site/data/figgen.json (known here: 40, 5)'),
        ('"modele.par_delai"', 'the metric "modele.par_delai" is a group of values'),
        ('"modele.precision" "pourcents"', 'unknown format "pourcents"'),
        ('"modele.mot" "pourcent"', 'the metric "modele.mot" is text ("va")'),
    ],
)
def test_an_unknown_metric_fails_the_build(tmp_path, call, message):
    site = make_tiny_site(tmp_path)
    page = site.parent / "content/docs/chapitre/données-et-formules.md"
    text = page.read_text(encoding="utf-8").replace('"modele.seconds" "decimal" 1', call)
    page.write_text(text, encoding="utf-8")
    write_figgen_json(site, TINY_FIGGEN)  # what `figgen build` does after a page is edited
    result = run_hugo(site, tmp_path / "public")
    assert result.returncode != 0
    assert message in result.stdout + result.stderr


# --- the real pages, with placeholder figures ----------------------------------------------

MODULE3_IMAGES = {
    f"/images/module3/{name}.png"
    for name in (
        "nn_zoo christmas cnn imagenet cnn_filters cnn_feature_maps cnn_learning_curves cnn_confusion "
        "rnn lstm memory_by_delay vanishing_gradient next_word autoencoder enc_dec funnel "
        "autoencoder_reconstructions latent_space jpeg jpeg_vs_autoencoder encoder gnn"
    ).split()
}


def placeholder_course(root: Path, *, seed_page: bool = False) -> tuple[Path, Path]:
    """The repository's pages (and the reference page, if asked) with placeholder figures."""
    site = copy_project(root, with_figures=False)
    if seed_page:
        shutil.copy(SEED_PAGE, root / "content/docs/module3" / SEED_PAGE.name)
    write_placeholder_figures(site, referenced_images(root / "content"))
    return site, build_or_fail(site, root / "public")


def seed_page_images() -> set[str]:
    """What the reference page shows (its commented-out GNN part shows nothing)."""
    from figgen.content_scan import references_in

    return {ref.src for ref in references_in(SEED_PAGE, SEED_PAGE.read_text(encoding="utf-8"))}


def test_the_module3_page_shows_every_figure_of_the_course():
    from figgen.content_scan import references_in

    page = hugo_site.CONTENT / "docs/module3/architectures-avancées.md"
    shown = {ref.src for ref in references_in(page, page.read_text(encoding="utf-8"))}
    assert shown == MODULE3_IMAGES
    if SEED_PAGE.exists():
        assert seed_page_images() <= shown


@pytest.mark.course
def test_the_course_pages_build_with_placeholder_figures(tmp_path):
    _, public = placeholder_course(tmp_path)
    page = parse_page(public / MODULE3_PAGE)
    assert {img["src"] for img in page.images} == MODULE3_IMAGES
    assert all(figure["caption"] and figure["img"]["alt"] for figure in page.figures)
    assert page.maths >= 8 and "$" not in page.text
    for html in html_pages(public):
        for link in parse_page(html).links:
            href = link.get("href", "")
            if href.startswith("/") and not href.startswith("//"):
                target, _, anchor = href.partition("#")
                assert output_file(public, target).is_file(), f"{html}: broken link {href}"
                if anchor:
                    assert anchor in parse_page(output_file(public, target)).ids, f"{html}: no #{anchor}"


@pytest.mark.course
@pytest.mark.skipif(not SEED_PAGE.exists(), reason=f"the reference page is not here ({SEED_PAGE})")
def test_the_reference_page_builds_as_it_is(tmp_path):
    _, public = placeholder_course(tmp_path, seed_page=True)
    page = parse_page(public / "docs/module3/architectures-avancees/index.html")
    assert {img["src"] for img in page.images} == seed_page_images()
    assert all(figure["img"]["alt"] for figure in page.figures)
    anchors = {link["href"].partition("#")[2] for link in page.links if "#" in link.get("href", "")}
    assert {"plus-de-couches-cachées", "vers-des-représentations-plus-compactes--les-plongements-lexicaux"} <= anchors


# --- the real course, as `make site` builds it (trains the models: slow) -------------------

METRIC_CALL = re.compile(r'\{\{<\s*metrique\s+"([^"]+)"(?:\s+"([^"]+)")?(?:\s+(\d+))?\s*>\}\}')


def measured(data: dict, key: str):
    """figgen.json's value for a metric key ("rnn.accuracy_by_delay.40") or a figure's fact
    ("@funnel.pixels": the fact `pixels` of /images/.../funnel.png)."""
    if key.startswith("@"):
        stem, fact = key[1:].split(".", 1)
        (figure,) = [f for path, f in data["figures"].items() if path.endswith(f"/{stem}.png")]
        return figure["facts"][fact]
    model, *path = key.split(".")
    value = data["models"][model]["metrics"]
    for part in path:
        value = value[part]
    return value


def expected_text(value, style: str, decimals: str) -> str:
    if isinstance(value, str):
        return value
    if style == "pourcent":
        return french_percent(value, int(decimals or 1))
    if isinstance(value, int) and not style:
        return french_number(value, int(decimals or 0))  # a count stays a whole number
    return french_number(value, int(decimals or 2))


@pytest.fixture(scope="module")
def course():
    return hugo_site.real_course()


@pytest.mark.course
def test_every_image_of_the_course_is_there_and_described(course):
    shown = set()
    for html in html_pages(course.public):
        for img in parse_page(html).images:
            assert img.get("alt", "").strip(), f"{html}: {img['src']} has no alt text"
            assert output_file(course.public, img["src"]).is_file(), f"{html}: {img['src']} is missing"
            shown.add(img["src"])
    assert MODULE3_IMAGES <= shown


@pytest.mark.course
def test_figures_carry_their_declared_alt_and_display_size(course):
    page = parse_page(course.public / MODULE3_PAGE)
    for figure in page.figures:
        img = figure["img"]
        declared = course.data["figures"][img["src"]]
        assert img["alt"] == declared["alt"]
        assert (int(img["width"]), int(img["height"])) == (declared["width"], declared["height"])
        assert figure["caption"]
        assert not declared["stale"]


@pytest.mark.course
def test_module3_math_is_rendered(course):
    page = parse_page(course.public / MODULE3_PAGE)
    assert page.maths >= 8
    assert "$" not in page.text


@pytest.mark.course
def test_quoted_numbers_are_the_measured_ones(course):
    source = (hugo_site.CONTENT / "docs/module3/architectures-avancées.md").read_text(encoding="utf-8")
    calls = METRIC_CALL.findall(source)
    assert calls, "the module 3 page quotes no measured number"
    values = [(measured(course.data, key), style, decimals) for key, style, decimals in calls]
    page = parse_page(course.public / MODULE3_PAGE)
    numbers = [(value, expected_text(value, style, decimals)) for value, style, decimals in values
               if not isinstance(value, str)]
    assert [(float(metric["value"]), metric["text"]) for metric in page.metrics] == numbers
    for (key, _, _), (value, _, _) in zip(calls, values):
        if isinstance(value, str):  # a word in quotes, or a size such as 8×8 pixels
            pattern = (rf"«\s*{re.escape(value)}\s*»" if key.startswith("lm.") else  # a word, an order of magnitude
                       re.escape(value) if value.startswith("10") else rf"{re.escape(value)}\s+pixels")
            assert re.search(pattern, page.text), value


@pytest.mark.course
@pytest.mark.skipif(not SEED_PAGE.exists(), reason=f"the reference page is not here ({SEED_PAGE})")
def test_the_reference_page_builds_with_the_real_figures(course, tmp_path):
    site = copy_project(tmp_path)
    shutil.copy(SEED_PAGE, tmp_path / "content/docs/module3" / SEED_PAGE.name)
    # figgen numbers each page's figures when it builds: what `figgen build` writes for this content
    data = site / "data" / "figgen.json"
    data.write_text(json.dumps(hugo_site.with_metric_texts(course.data, tmp_path / "content", site)),
                    encoding="utf-8")
    public = build_or_fail(site, tmp_path / "public")
    page = parse_page(public / "docs/module3/architectures-avancees/index.html")
    assert {img["src"] for img in page.images} == seed_page_images()
    for img in page.images:
        assert output_file(public, img["src"]).is_file()
        assert img["alt"] == course.data["figures"][img["src"]]["alt"]
