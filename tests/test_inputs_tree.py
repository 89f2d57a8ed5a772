"""The fingerprint is the hash of the inputs tree `figgen why` prints: edit any kind of input and
both move, naming that input. Computed in-process from the sources: no build, fast."""

from __future__ import annotations

import json

import pytest

from figgen.config import load_project
from figgen.inputs import InputTrees, compute, differences, fingerprint, tracked_packages
from figgen.sources import SourceIndex
from figgen.store import FigureRecords, ModelStore

SQUARES, FIT, ARCH = "/images/tiny/squares.png", "/images/tiny/fit.png", "/images/tiny/arch.png"


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def trees(project_dir):
    project = load_project(project_dir)
    sources = SourceIndex(tracked_packages(project))
    records = FigureRecords(project.cache / "figures.json")
    store = ModelStore(project.cache / "models")
    found = compute(project, sources, records, store)
    return {f"/images/{f.name}.png": (found.figures[f.output], found.figure_tree(f)) for f in project.figures}


def with_architecture_figure(project_dir):
    edit(project_dir / "figgen.yaml", "figures:\n", "figures:\n  - output: /images/tiny/arch.png\n"
         "    draw: figures.fit\n    alt: Un réseau\n    architectures: [line]\n")


def record_reads(project_dir, output=None, model=None, read=None, environment=None):
    """What a build would have recorded of a task's reads (figgen/recording.py)."""
    discovered = {"read": read or {}, "environment": environment or {}}
    if output:
        path = project_dir / ".figgen/figures.json"
        path.parent.mkdir(exist_ok=True)
        records = json.loads(path.read_text()) if path.exists() else {}
        records[output] = discovered
        path.write_text(json.dumps(records))
    if model:
        path = project_dir / f".figgen/models/{model}/reads.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(discovered))


CASES = [
    ("pixel_ratio", SQUARES, lambda p: edit(p / "figgen.yaml", "package: tinyfigs\n", "package: tinyfigs\npixel_ratio: 1\n"),
     "render.pixel_ratio: 2 -> 1"),
    ("display_dpi", SQUARES, lambda p: edit(p / "figgen.yaml", "package: tinyfigs\n", "package: tinyfigs\ndisplay_dpi: 80\n"),
     "render.display_dpi: 100 -> 80"),
    ("format", SQUARES, lambda p: edit(p / "figgen.yaml", "squares.png", "squares.svg"), None),
    ("params", SQUARES, lambda p: edit(p / "figgen.yaml", "count: 3", "count: 4"), "params.count: 3 -> 4"),
    ("params order", SQUARES, lambda p: edit(p / "figgen.yaml", "{count: 3}", "{count: 3, z: 1}"), "params.z: new (1)"),
    ("helper", SQUARES, lambda p: edit(p / "tinyfigs/shapes.py", "0.8, 0.8", "0.7, 0.7"), "code.tinyfigs/shapes.py: "),
    ("package data", SQUARES, lambda p: (p / "tinyfigs/figures/colours.txt").write_text("red\n"),
     "data.tinyfigs/figures/colours.txt: new"),
    ("training", FIT, lambda p: edit(p / "figgen.yaml", "epochs: 30", "epochs: 20"), "models.line.training.epochs: 30 -> 20"),
    ("architecture", FIT, lambda p: edit(p / "figgen.yaml", "{inputs: 1}", "{inputs: 2}"),
     "models.line.architecture.inputs: 1 -> 2"),
    ("seed", FIT, lambda p: edit(p / "figgen.yaml", "seed: 3", "seed: 4"), "models.line.seed: 3 -> 4"),
    ("recipe", FIT, lambda p: edit(p / "tinyfigs/recipes/fit_line.py", "lr=hp.learning_rate", "lr=hp.learning_rate / 2"),
     "models.line.code.tinyfigs/recipes/fit_line.py: "),
    ("libraries", FIT, lambda p: edit(p / "figgen.yaml", "package: tinyfigs\n", "package: tinyfigs\nlibraries: [numpy]\n"),
     "libraries.matplotlib: removed"),
]


@pytest.mark.parametrize("name, output, change, named", CASES, ids=[case[0] for case in CASES])
def test_each_kind_of_input_moves_the_fingerprint_and_why_names_it(fresh_tiny, name, output, change, named):
    before = trees(fresh_tiny)
    change(fresh_tiny)
    after = trees(fresh_tiny)
    assert before[output][0] != after[output][0]
    if named:
        assert any(line.startswith(named) for line in differences(before[output][1], after[output][1])), \
            differences(before[output][1], after[output][1])
    assert after[output][0] == fingerprint(after[output][1])


def test_a_model_class_edit_names_the_class_file_for_a_figure_that_only_traces_it(fresh_tiny):
    with_architecture_figure(fresh_tiny)
    before = trees(fresh_tiny)
    edit(fresh_tiny / "tinyfigs/models/line.py", "y = a x + b.", "y = a x + b, edited.")
    after = trees(fresh_tiny)
    assert before[ARCH][0] != after[ARCH][0]
    assert [line.split(":")[0] for line in differences(before[ARCH][1], after[ARCH][1])] == [
        "architectures.line.code.tinyfigs/models/line.py"]


def test_the_figure_and_engine_code_it_runs_are_in_its_tree(fresh_tiny):
    code = trees(fresh_tiny)[SQUARES][1]["code"]
    assert {"figgen/saving.py", "figgen/context.py", "figgen/worker.py", "tinyfigs/figures/squares.py",
            "tinyfigs/shapes.py"} <= set(code)
    model_code = trees(fresh_tiny)[FIT][1]["models"]["line"]["code"]
    assert {"figgen/training/checkpoint.py", "figgen/training/run.py", "tinyfigs/models/line.py"} <= set(model_code)
    assert "figgen/saving.py" not in model_code  # editing how figures are saved retrains nothing


def test_recorded_reads_are_compared_with_today(fresh_tiny, monkeypatch):
    (fresh_tiny / "palette").mkdir()
    (fresh_tiny / "palette/colours.txt").write_text("red\n")
    record_reads(fresh_tiny, output=SQUARES, read={"palette/colours.txt": "x", "palette/": "y"},
                 environment={"USER": None})  # a variable every task sees (figgen/hermetic.py)
    record_reads(fresh_tiny, model="line", read={"data/slope.txt": "z"})
    monkeypatch.delenv("USER", raising=False)
    before = trees(fresh_tiny)
    (fresh_tiny / "palette/colours.txt").write_text("blue\n")
    (fresh_tiny / "palette/more.txt").write_text("green\n")
    monkeypatch.setenv("USER", "bold")
    monkeypatch.setenv("TINY_MODE", "bold")  # declared nowhere: no task can see it
    (fresh_tiny / "data").mkdir()
    (fresh_tiny / "data/slope.txt").write_text("3\n")
    after = trees(fresh_tiny)
    changed = [line.split(":")[0] for line in differences(before[SQUARES][1], after[SQUARES][1])]
    assert changed == ["environment.USER", "read.palette/", "read.palette/colours.txt"]
    assert before[SQUARES][1]["read"]["palette/colours.txt"] != "x"  # today's digest, not the recorded one
    assert [line.split(":")[0] for line in differences(before[FIT][1], after[FIT][1])] == [
        "models.line.read.data/slope.txt"]


def test_a_tree_with_what_the_task_read_is_what_the_next_build_computes(fresh_tiny):
    """The runner records the hash of the tree with the digests read; unchanged files give it again."""
    project = load_project(fresh_tiny)
    (fresh_tiny / "colours.txt").write_text("red\n")
    builder = InputTrees(project, SourceIndex(tracked_packages(project)))
    today = builder._today({"read": {"colours.txt": ""}})
    squares = next(f for f in project.figures if f.output == SQUARES)
    recorded = fingerprint(builder.figure(squares, today))
    record_reads(fresh_tiny, output=SQUARES, read=today["read"])
    assert trees(fresh_tiny)[SQUARES][0] == recorded
