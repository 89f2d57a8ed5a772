"""Finding the images a page shows: three syntaxes, true line numbers, hidden text ignored."""

from __future__ import annotations

from pathlib import Path

from figgen.content_scan import references_in, scan_content

PAGE = """---
title: "Test"
---
![](/images/module3/cnn.png)
Texte ![un RNN](/images/module3/rnn.png "Le RNN déplié")

{{< figure src="/images/module3/lstm.png" alt="LSTM" >}}
<p><img class="x" src='/images/module3/gru.png'></p>

<!--
![](/images/module3/gnn.png)
-->
```markdown
![](/images/module3/in-code.png)
```
![](https://example.org/remote.png) ![](data:image/png;base64,AAAA)
![](relative.png)
"""


def test_all_three_syntaxes_with_their_lines():
    found = [(ref.line, ref.src) for ref in references_in(Path("p.md"), PAGE)]
    assert found == [
        (4, "/images/module3/cnn.png"),
        (5, "/images/module3/rnn.png"),
        (7, "/images/module3/lstm.png"),
        (8, "/images/module3/gru.png"),
        (17, "relative.png"),
    ]


def test_comments_and_code_blocks_are_not_shown_to_readers():
    sources = {ref.src for ref in references_in(Path("p.md"), PAGE)}
    assert "/images/module3/gnn.png" not in sources
    assert "/images/module3/in-code.png" not in sources


def test_an_unclosed_comment_hides_the_rest_of_the_page():
    text = "![](/a.png)\n<!-- brouillon\n![](/b.png)\n"
    assert [ref.src for ref in references_in(Path("p.md"), text)] == ["/a.png"]


def test_scan_content_walks_every_page(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/a.md").write_text("![](/images/a.png)\n")
    (tmp_path / "b.md").write_text("\n\n![](/images/b.png)\n")
    found = {(ref.page.name, ref.line, ref.src) for ref in scan_content(tmp_path)}
    assert found == {("a.md", 1, "/images/a.png"), ("b.md", 3, "/images/b.png")}


def test_the_reference_page_shows_the_module3_images(tmp_path):
    import pytest

    from conftest import SHARED_SEED

    seed = SHARED_SEED / "architectures-avancees.md"
    if not seed.exists():
        pytest.skip("../shared/seed is not beside this clone")
    sources = {ref.src for ref in references_in(seed, seed.read_text(encoding="utf-8"))}
    assert {f"/images/module3/{n}.png" for n in ("nn_zoo", "cnn", "rnn", "lstm", "jpeg", "encoder")} <= sources
    assert "/images/module3/gnn.png" not in sources  # it sits in the commented-out draft


# --- read as Goldmark reads it ------------------------------------------------------------

GOLDMARK = """---
title: x
---
````
```
![](/in-long-fence.png)
```
````

    ![](/indented.png)

Text `![](/code-span.png)` and ``![](/double.png) ` `` then ![a *b*](/shown.png "T").

{{< figgen-figure src="/images/a.png" >}}
{{< metric "m.x" "percent" 1 >}} {{< details >}}![](/inner-of-pair.png){{< /details >}}
{{</* figgen-figure src="/escaped.png" */>}}

![](/images/a.png)
"""


def test_code_of_any_kind_hides_images_and_shortcodes_are_read_first():
    from figgen.content_scan import scan_page

    scan = scan_page(Path("p.md"), GOLDMARK)
    found = [(ref.line, ref.src, ref.kind, ref.ordinal, ref.standalone) for ref in scan.images]
    assert found == [
        (12, "/shown.png", "markdown", 0, False),
        (14, "/images/a.png", "shortcode", 0, True),
        (18, "/images/a.png", "markdown", 1, True),
    ]
    assert scan.images[0].alt == "a b" and scan.images[0].title == "T"
    # Hugo's .Ordinal of a shortcode counts the page's top-level calls, whatever their name
    assert [(call.name, call.ordinal) for call in scan.shortcodes] == [
        ("figgen-figure", 0), ("metric", 1), ("details", 2)]
    prose = " ".join(text for _, text in scan.prose)
    assert "code-span" not in prose and "Text " in prose


def test_metric_calls_are_found_by_the_names_a_site_gives_the_shortcode():
    from figgen.content_scan import metric_calls

    text = '{{< metric "a.b" "percent" 1 >}} {{< metrique "c.d" >}} {{< metric key="e.f" format="decimal" >}}\n'
    assert [c.spec for c in metric_calls(Path("p.md"), text)] == ["a.b:percent:1", "e.f:decimal:"]
    assert [c.spec for c in metric_calls(Path("p.md"), text, ("metric", "metrique"))] == [
        "a.b:percent:1", "c.d::", "e.f:decimal:"]


def test_figures_are_numbered_once_per_page_in_source_order():
    from figgen.content_scan import scan_page
    from figgen.page_numbers import page_entry

    text = ("![](/images/a.png)\n\nInline ![](/images/a.png) is no figure.\n\n![](/photo.png)\n\n"
            '{{< figgen-figure src="/images/b.png" >}}\n\n{{< figure src="/images/b.png" >}}\n\n![](/images/a.png)\n')
    entry = page_entry(scan_page(Path("p.md"), text), {"/images/a.png", "/images/b.png"}, "en")
    assert {key: (f["number"], f["id"]) for key, f in entry["figures"].items()} == {
        "image:0": (1, "figure-1"), "shortcode:0": (2, "figure-2"), "image:3": (3, "figure-3")}
    assert entry["first"] == entry["style"] == "image:0"


def test_each_page_is_in_its_own_language(tmp_path):
    from figgen.site_locale import site_languages

    (tmp_path / "hugo.toml").write_text('defaultContentLanguage = "en"\n[languages.en]\n  locale = "en-GB"\n'
                                        '[languages.fr]\n  contentDir = "content/fr"\n', encoding="utf-8")
    languages = site_languages(tmp_path)
    content = tmp_path / "content"
    assert languages.language_of(content / "a.md", content) == "en"
    assert languages.language_of(content / "a.fr.md", content) == "fr"
    assert languages.language_of(content / "fr" / "b.md", content) == "fr"
    assert (languages.locale("en"), languages.locale("fr")) == ("en-GB", "fr")
    assert site_languages(tmp_path, "de-CH").locale("en") == "de-CH"  # figgen.yaml's locale: wins


def test_a_multilingual_site_writes_each_pages_numbers_in_its_language(tmp_path):
    from figgen.content_scan import scan_pages
    from figgen.hugo_data import page_documents
    from figgen.site_locale import site_languages

    (tmp_path / "hugo.toml").write_text('defaultContentLanguage = "en"\n[languages.en]\n[languages.fr]\n',
                                        encoding="utf-8")
    content = tmp_path / "content"
    content.mkdir()
    (content / "results.md").write_text('Accuracy: {{< metric "cnn.accuracy" "percent" 1 >}}\n', encoding="utf-8")
    (content / "results.fr.md").write_text('Précision : {{< metric "cnn.accuracy" "pourcent" 1 >}}\n', encoding="utf-8")
    document = {"figures": {}, "models": {"cnn": {"metrics": {"accuracy": 0.978}}}}
    written = page_documents(document, scan_pages(content), content, site_languages(tmp_path))
    assert written["texts"]["en"]["cnn.accuracy:percent:1"]["text"] == "97.8%"
    assert written["texts"]["fr"]["cnn.accuracy:pourcent:1"]["text"] == "97,8\u00a0%"
    assert {page: entry["lang"] for page, entry in written["pages"].items()} == {"results.md": "en", "results.fr.md": "fr"}
