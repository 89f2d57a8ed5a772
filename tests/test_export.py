"""Models exported for the browser, on the tiny project: `export: onnx` on its model `line`.

The build exports the trained checkpoint through the project's hook (tinyfigs/exports/line.py),
publishes the .onnx and its card into the static folder and figgen.json; onnxruntime gives the
card's reference outputs; a retraining makes the export stale and rebuilt, a comment does not;
`figgen check` fails on a stale or missing export and `figgen why` says why; a second clone
pulls the export from the remote cache and exports nothing itself.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import TINY, built, run_figgen

HOOK = '''"""The line model for a page: x in, y out."""

import torch

from figgen.export import Export


def export(trained):
    return Export(module=trained.module, inputs={"x": torch.tensor([[0.5]])}, outputs=("y",),
                  references=tuple({"x": torch.tensor([[v]])} for v in (0.0, 0.5, 1.0)),
                  meta={"slope": float(trained.module.linear.weight)})
'''


def exporting(folder: Path, yaml_extra: str = "") -> Path:
    """A never-built copy of the tiny project whose model `line` is declared `export: onnx`."""
    project = folder / "project"
    shutil.copytree(TINY, project, ignore=shutil.ignore_patterns(".figgen", "images", "data", "__pycache__"))
    config = project / "figgen.yaml"
    config.write_text(config.read_text().replace("    training: {epochs: 30, learning_rate: 0.1}\n",
                                                 "    training: {epochs: 30, learning_rate: 0.1}\n    export: onnx\n")
                      + yaml_extra)
    (project / "tinyfigs/exports").mkdir()
    (project / "tinyfigs/exports/__init__.py").write_text("")
    (project / "tinyfigs/exports/line.py").write_text(HOOK)
    return project


@pytest.fixture(scope="module")
def shared(tmp_path_factory) -> Path:
    """The remote cache (a shared folder) the first build pushes to."""
    return tmp_path_factory.mktemp("shared-cache")


@pytest.fixture(scope="module")
def exported(tmp_path_factory, shared) -> Path:
    project = exporting(tmp_path_factory.mktemp("export"), f"\ncache:\n  url: file://{shared}\n")
    result = run_figgen(project, "build", check=True)
    assert "export line" in built(result) and "pushed 4" in result.stdout, result.stdout
    return project


@pytest.fixture
def copy(exported, tmp_path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(exported, project)
    return project


def card(project: Path) -> dict:
    return json.loads((project / "site/static/figgen/models/line.json").read_text())


def test_the_build_publishes_the_export_its_card_and_figgen_json_entry(exported):
    onnx = exported / "site/static/figgen/models/line.onnx"
    document = card(exported)
    assert document["model"] == "line" and len(document["digest"]) == 20
    assert document["inputs"] == [{"name": "x", "dtype": "float32", "shape": [1, 1]}]
    assert document["outputs"] == [{"name": "y", "dtype": "float32", "shape": [1, 1]}]
    slope = document["meta"]["slope"]  # the trained slope, as the hook read it
    entry = json.loads((exported / "site/data/figgen.json").read_text())["exports"]["line"]
    assert entry == {"onnx": "/figgen/models/line.onnx", "card": "/figgen/models/line.json",
                     "digest": document["digest"], "bytes": onnx.stat().st_size}
    import numpy
    import onnx as onnx_library
    import onnxruntime

    assert onnx_library.load(str(onnx)).opset_import[0].version >= 17
    session = onnxruntime.InferenceSession(str(onnx), providers=["CPUExecutionProvider"])
    assert len(document["references"]) == 3
    for reference in document["references"]:
        (got,) = session.run(None, {"x": numpy.asarray(reference["inputs"]["x"], dtype=numpy.float32).reshape(1, 1)})
        assert abs(got.item() - reference["outputs"]["y"][0]) <= 1e-5
    y = [reference["outputs"]["y"][0] for reference in document["references"]]  # at x = 0, 0.5, 1
    assert y[0] < y[1] < y[2] and abs((y[2] - y[0]) - slope) < 1e-5
    result = run_figgen(exported, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    again = run_figgen(exported, "build", check=True)
    assert "up to date" in again.stdout and not built(again)


def test_a_comment_does_not_export_again_a_retraining_does(copy):
    hook = copy / "tinyfigs/exports/line.py"
    hook.write_text(hook.read_text().replace("def export(trained):", "# the whole line\ndef export(trained):"))
    result = run_figgen(copy, "build", check=True)
    assert "export line" not in built(result)
    before = card(copy)["digest"]

    config = copy / "figgen.yaml"
    config.write_text(config.read_text().replace("epochs: 30", "epochs: 31"))
    check = run_figgen(copy, "check")
    assert check.returncode == 1
    lines = [line for line in check.stdout.splitlines() if "export line" in line]
    assert len(lines) == 1 and lines[0].startswith("figgen.yaml:11: export line is stale (model line changed"), check.stdout
    why = run_figgen(copy, "why", "export:line", check=True).stdout
    assert why.startswith("export line: stale: model line changed") and "model.training.epochs: 30 -> 31" in why

    result = run_figgen(copy, "build", check=True)
    assert {"model line", "export line"} <= built(result)
    assert card(copy)["digest"] != before
    assert run_figgen(copy, "check").returncode == 0
    assert run_figgen(copy, "why", "export:line", check=True).stdout.startswith("export line: fresh")


def test_check_fails_on_a_missing_export_and_the_build_publishes_it_again(copy):
    (copy / "site/static/figgen/models/line.onnx").unlink()
    check = run_figgen(copy, "check")
    assert check.returncode == 1
    assert check.stdout.splitlines() == [  # one line, the export's (figgen.json's drift is not repeated)
        "figgen.yaml:11: export line is missing (its inputs are unchanged, but its files were deleted): "
        "run figgen build"]
    result = run_figgen(copy, "build", check=True)
    assert not built(result), "copied back from .figgen/exports: nothing trained or exported again"
    assert run_figgen(copy, "check").returncode == 0


def test_check_names_every_lab_that_shows_no_exported_model_at_its_line(copy):
    page = copy / "content/docs/labs.md"
    page.write_text('---\ntitle: Labs\n---\n'
                    '{{< figgen-lab model="line" kind="grid" >}}\n'      # line 4: fine
                    '{{< figgen-lab model="lines" kind="grid" >}}\n'     # 5: misspelt
                    '{{< figgen-lab model="line" kind="wheel" >}}\n'     # 6: no such kind
                    '```\n{{</* figgen-lab model="nope" */>}}\n```\n'   # 8: shown as text, not a lab
                    '{{< figgen-lab kind="plane" >}}\n', encoding="utf-8")  # 10: no model
    check = run_figgen(copy, "check")
    assert check.returncode == 1
    assert [line for line in check.stdout.splitlines() if "labs.md" in line] == [
        "content/docs/labs.md:5: figgen-lab shows the model 'lines', which figgen.yaml does not declare "
        "(exported models: line)",
        "content/docs/labs.md:6: figgen-lab needs kind=\"grid\", \"plane\" or \"prefix\" (not 'wheel')",
        "content/docs/labs.md:10: figgen-lab needs model=\"NAME\" (one of figgen.yaml's models declared "
        "`export: onnx`)"]
    config = copy / "figgen.yaml"
    config.write_text(config.read_text().replace("    export: onnx\n", "", 1))
    page.write_text('---\ntitle: Labs\n---\n{{< figgen-lab model="line" kind="grid" >}}\n', encoding="utf-8")
    assert [line for line in run_figgen(copy, "check").stdout.splitlines() if "labs.md" in line] == [
        "content/docs/labs.md:4: figgen-lab shows the model 'line', which is not exported: "
        "add `export: onnx` to it in figgen.yaml (figgen.yaml:5)"]


def test_a_second_clone_pulls_the_export_from_the_remote_and_exports_nothing(exported, shared, tmp_path):
    pushed = shared / "exports/line" / card(exported)["digest"]  # by its key, as checkpoints are
    assert sorted(p.name for p in pushed.iterdir()) == ["card.json", "manifest.json", "model.onnx"]
    second = exporting(tmp_path, f"\ncache:\n  url: file://{shared}\n")
    result = run_figgen(second, "build", check=True)
    assert not built(result), result.stdout
    assert [line.split()[:3] for line in result.stdout.splitlines() if line.startswith("export line")] == [
        ["export", "line", "pulled"]]
    for name in ("line.onnx", "line.json"):
        assert (second / "site/static/figgen/models" / name).read_bytes() == \
            (exported / "site/static/figgen/models" / name).read_bytes()
    assert run_figgen(second, "check").returncode == 0
    other = tmp_path / "other-cache"  # `figgen push` shares the export too, with a remote set up later
    pushed = run_figgen(exported, "push", env={"FIGGEN_CACHE_URL": f"file://{other}"}, check=True)
    assert "pushed 4" in pushed.stdout and len(list(other.glob("exports/line/*/model.onnx"))) == 1
