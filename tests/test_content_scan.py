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
