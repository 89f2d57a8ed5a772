"""docs/api.md cannot rot: its example project (every block starting `# file: PATH`) is written into
a site made by `figgen init`, then built for real: the recipe trains, the figure reads it."""

from __future__ import annotations

import json
import re

import pytest

from conftest import REPO, built, run_figgen

API = REPO / "docs" / "api.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def files_in(markdown: str) -> dict[str, str]:
    """{path: text} of the fenced blocks whose first line is `# file: PATH`."""
    files = {}
    for _, body in FENCE.findall(markdown):
        first, _, rest = body.partition("\n")
        if first.startswith("# file: "):
            files[first[len("# file: "):].strip()] = rest
    return files


@pytest.mark.slow
def test_the_api_example_builds_a_trained_model_and_its_figure(tmp_path):
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "https://example.org/"\ntitle = "A site"\n', encoding="utf-8")
    run_figgen(site, "init", check=True)
    files = files_in(API.read_text(encoding="utf-8"))
    assert set(files) == {"figgen.yaml", "figcode/models/moons.py", "figcode/recipes/moons.py",
                          "figcode/figures/moons_boundary.py"}
    for path, text in files.items():
        target = site / path
        target.parent.mkdir(parents=True, exist_ok=True)
        (target.parent / "__init__.py").touch()
        target.write_text(text, encoding="utf-8")
    (site / "figcode/__init__.py").touch()

    result = run_figgen(site, "build", check=True)
    assert built(result) == {"model moons", "/images/moons.png"}
    assert (site / "assets/images/moons.png").stat().st_size > 5000
    data = json.loads((site / "data/figgen.json").read_text(encoding="utf-8"))
    assert data["models"]["moons"]["metrics"]["accuracy"] > 0.8
    figure = data["figures"]["/images/moons.png"]
    assert figure["facts"] == {"points": 300}
    assert "from 300 points" in figure["caption"]



def test_the_readme_commands_exist_and_its_torch_pin_is_the_one_tested():
    import torch

    from figgen.cli import cli

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    lines = "\n".join(body for language, body in FENCE.findall(readme) if language == "sh")
    command = r"(?:^|&& )(?:[A-Z_]+=\S+ )*(?:\S*/)?figgen (?:-C \S+ )?([a-z]+)"
    verbs = set(re.findall(command, lines, re.MULTILINE))
    assert verbs and verbs <= set(cli.commands), verbs - set(cli.commands)
    pin = re.search(r"pip install torch==(\S+) --index-url https://download.pytorch.org/whl/cpu", readme)
    assert pin and torch.__version__.split("+")[0] == pin.group(1)
