"""Which edits make which figures stale: the import graph read from the syntax tree."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

from figgen.sources import SourceIndex


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))


def make_package(root: Path) -> SourceIndex:
    write(root / "pkg/__init__.py", "")
    write(root / "pkg/figures/__init__.py", "")
    write(root / "pkg/draw/__init__.py", "")
    write(root / "pkg/draw/arrows.py", "def arrow(): pass\n")
    write(root / "pkg/draw/blocks.py", "from .arrows import arrow\n")
    write(root / "pkg/data/__init__.py", "")
    write(root / "pkg/data/corpus.py", "from pathlib import Path\n")
    write(root / "pkg/data/words.txt", "bonjour\n")
    write(root / "pkg/figures/a.py", "from pkg.draw import blocks\n")
    write(root / "pkg/figures/b.py", """
        def draw(ctx):
            import pkg.data.corpus  # a lazy import counts too
    """)
    write(root / "pkg/figures/c.py", "import numpy\n")
    return SourceIndex({"pkg": root / "pkg"})


def digests(index: SourceIndex) -> dict[str, str]:
    fresh = SourceIndex(index.packages, index.cache)
    return {name: fresh.closure_digest(f"pkg.figures.{name}") for name in "abc"}


def edit(path: Path, text: str) -> None:
    path.write_text(path.read_text() + text)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))


def test_closure_follows_relative_absolute_and_lazy_imports(tmp_path):
    index = make_package(tmp_path)
    assert index.closure("pkg.figures.a") == (
        "pkg", "pkg.draw", "pkg.draw.arrows", "pkg.draw.blocks", "pkg.figures", "pkg.figures.a",
    )
    assert "pkg.data.corpus" in index.closure("pkg.figures.b")
    assert index.closure("pkg.figures.c") == ("pkg", "pkg.figures", "pkg.figures.c")  # numpy is not ours


def test_editing_a_shared_helper_changes_only_its_dependents(tmp_path):
    index = make_package(tmp_path)
    before = digests(index)
    edit(tmp_path / "pkg/draw/arrows.py", "# thicker arrows\n")
    after = digests(index)
    assert after["a"] != before["a"]
    assert after["b"] == before["b"] and after["c"] == before["c"]


def test_editing_an_unrelated_module_changes_nothing(tmp_path):
    index = make_package(tmp_path)
    before = digests(index)
    write(tmp_path / "pkg/unrelated.py", "X = 1\n")
    edit(tmp_path / "pkg/draw/__init__.py", "")  # same bytes: not a change
    assert digests(index) == before


def test_a_data_file_belongs_to_its_package(tmp_path):
    index = make_package(tmp_path)
    before = digests(index)
    edit(tmp_path / "pkg/data/words.txt", "au revoir\n")
    after = digests(index)
    assert after["b"] != before["b"] and after["a"] == before["a"]


def test_unchanged_files_are_not_read_again(tmp_path, monkeypatch):
    # These files were written a moment ago: inside the racy window a digest is always taken
    # again (see figgen.store.trusted). Close the window to test the cache alone.
    monkeypatch.setattr("figgen.freshness.walk.RACY_NS", 0)
    index = make_package(tmp_path)
    digests(index)
    reads = []
    original = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self) or original(self))
    digests(index)
    assert reads == []
