"""The key holds exactly what changes the picture (figgen/hermetic.py, code_digest.py, reach.py, verify.py).

A task sees a fixed environment; a comment-only edit neither redraws nor retrains, while the
provenance shows today's source; `figgen build --verify` names a figure whose bytes are not
reproducible; two builds from scratch give the same bytes; a read figgen cannot see is said.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import TINY, built, run_figgen

SQUARES = "tinyfigs/figures/squares.py"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def facts(project: Path, output: str = "/images/tiny/squares.png") -> dict:
    return json.loads((project / "site/data/figgen.json").read_text(encoding="utf-8"))["figures"][output]["facts"]


def images(project: Path) -> dict[str, bytes]:
    folder = project / "site/static/images"
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.png"))}


def test_a_task_sees_a_fixed_environment(tiny):
    edit(tiny / SQUARES, 'ctx.fact("count"', 'ctx.fact("variables", sorted(os.environ))\n    '
         'ctx.fact("zone", time.strftime("%Z"))\n    ctx.fact("hash", hash("figgen"))\n    ctx.fact("count"')
    edit(tiny / SQUARES, "import time\n", "import os\nimport time\n")
    edit(tiny / "figgen.yaml", "params: {count: 3}", "params: {count: 3}\n    env: [TINY_DECLARED]")
    result = run_figgen(tiny, "build", env={"TINY_DECLARED": "1", "TINY_UNDECLARED": "2", "TZ": "Asia/Tokyo",
                                            "PYTHONHASHSEED": "random"})
    assert result.returncode == 0, result.stdout + result.stderr
    seen = facts(tiny)
    allowed = {"PATH", "HOME", "TMPDIR", "USER", "LOGNAME", "PYTHONPATH", "VIRTUAL_ENV", "CUDA_VISIBLE_DEVICES",
               "TZ", "LANG", "LC_ALL", "PYTHONHASHSEED", "MPLCONFIGDIR", "MPLBACKEND", "OMP_NUM_THREADS",
               "CUBLAS_WORKSPACE_CONFIG", "TINY_DECLARED"}
    assert "TINY_DECLARED" in seen["variables"] and set(seen["variables"]) <= allowed, seen["variables"]
    assert seen["zone"] == "UTC"
    first_hash = seen["hash"]
    edit(tiny / "figgen.yaml", "count: 3", "count: 2")  # drawn again, by another build
    assert run_figgen(tiny, "build").returncode == 0
    assert facts(tiny)["hash"] == first_hash  # PYTHONHASHSEED is fixed in the workers


def test_a_comment_costs_nothing_and_the_provenance_shows_it(tiny):
    edit(tiny / SQUARES, "def draw(ctx):\n", "# Trois carrés, un par couleur.\ndef draw(ctx):\n")
    edit(tiny / "tinyfigs/recipes/fit_line.py", "    losses = []\n", "    losses = []  # une perte par époque\n")
    result = run_figgen(tiny, "build")
    assert result.returncode == 0 and "up to date" in result.stdout, result.stdout + result.stderr
    document = json.loads((tiny / "site/data/figgen.json").read_text(encoding="utf-8"))
    assert "# Trois carrés" in json.dumps(document["figures"]["/images/tiny/squares.png"]["provenance"],
                                          ensure_ascii=False)
    edit(tiny / SQUARES, "# Trois carrés, un par couleur.\n", "")
    edit(tiny / SQUARES, 'axes.axis("off")', 'axes.axis("on")')  # code, not a comment: drawn again
    result = run_figgen(tiny, "build")
    assert "/images/tiny/squares.png" in built(result), result.stdout


def test_verify_names_the_figure_whose_bytes_differ(tiny):
    edit(tiny / SQUARES, 'square(axes, i, "C%d" % i)', 'square(axes, i, "#" + os.urandom(3).hex())')
    edit(tiny / SQUARES, "import time\n", "import os\nimport time\n")
    result = run_figgen(tiny, "build", "--verify")
    assert result.returncode != 0 and "Traceback" not in result.stdout + result.stderr
    assert "/images/tiny/squares.png: not reproducible" in result.stdout, result.stdout + result.stderr
    assert "/images/tiny/fit.png: not" not in result.stdout  # drawn again too: the same bytes
    assert "1 of 2 figures are not reproducible" in result.stderr, result.stderr


def test_two_builds_from_scratch_give_the_same_bytes(tmp_path):
    projects = []
    for name in ("first", "second"):  # the squares alone: no training, two cold builds stay short
        project = tmp_path / name
        shutil.copytree(TINY, project, ignore=shutil.ignore_patterns(".figgen", "images", "data", "__pycache__"))
        edit(project / "content/docs/page.md", "fit.png", "squares.png")
        config = (project / "figgen.yaml").read_text(encoding="utf-8")
        (project / "figgen.yaml").write_text(config.split("models:")[0] + "figures:" + config.split("figures:")[1]
                                             .split("  - output: /images/tiny/fit.png")[0], encoding="utf-8")
        edit(project / SQUARES, 'square(axes, i, "C%d" % i)',  # unseeded randomness, and a set's order
             'square(axes, i, (numpy.random.rand(), random.random(), sorted({"a", "b"}, key=lambda _: 0)[0] == "a"))')
        edit(project / SQUARES, "import time\n", "import random\nimport time\n\nimport numpy\n")
        result = run_figgen(project, "build")
        assert result.returncode == 0, result.stdout + result.stderr
        projects.append(project)
    assert images(projects[0]) == images(projects[1])
    assert facts(projects[0]) == facts(projects[1])


def built_files(project: Path) -> dict[str, bytes]:
    """What a build makes, by path: images, checkpoints and their records, the data files Hugo
    reads; the dates and seconds of figgen.json aside (a clock is not a build input)."""
    found = {str(p.relative_to(project)): p.read_bytes() for folder in ("site/static/images", ".figgen/models")
             for p in sorted((project / folder).rglob("*")) if p.is_file() and p.suffix in (".png", ".pt")}
    document = json.loads((project / "site/data/figgen.json").read_text(encoding="utf-8"))
    for entry in [*document["figures"].values(), *document["models"].values()]:
        for timing in ("built", "seconds"):
            entry.pop(timing, None)
    found["site/data/figgen.json"] = json.dumps(document, sort_keys=True).encode()
    found["site/data/figgen_declared.json"] = (project / "site/data/figgen_declared.json").read_bytes()
    return found


def test_two_builds_of_the_tiny_project_from_scratch_give_the_same_bytes(fresh_tiny, built_tiny):
    # built_tiny is the session's first build from scratch: one more cold build (a few seconds) to compare
    run_figgen(fresh_tiny, "build", check=True)
    first, second = built_files(built_tiny), built_files(fresh_tiny)
    assert sum(name.endswith(".pt") for name in first) == 1 and sum(name.endswith(".png") for name in first) == 2
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_a_read_figgen_cannot_see_is_said_on_every_build(tiny):
    edit(tiny / SQUARES, 'ctx.fact("count"', 'ctx.fact("pid", ctypes.CDLL(None).getpid() > 0)\n    ctx.fact("count"')
    edit(tiny / SQUARES, "import time\n", "import ctypes\nimport time\n")
    for _ in range(2):  # the build that draws it, and the next, which has nothing to do
        result = run_figgen(tiny, "build")
        assert result.returncode == 0, result.stdout + result.stderr
        assert "cannot vouch for /images/tiny/squares.png" in result.stderr, result.stderr
        assert "ctypes" in result.stderr


def test_env_declarations_are_checked(fresh_tiny):
    edit(fresh_tiny / "figgen.yaml", "package: tinyfigs\n", "package: tinyfigs\nenv: [NOT-A-NAME]\n")
    result = run_figgen(fresh_tiny, "list")
    assert result.returncode == 2 and "env" in result.stderr, result.stdout + result.stderr
