"""Bad input: one clear line (with file and line where there is one), exit 2, nothing lost."""

from __future__ import annotations

import pytest

from conftest import run_figgen


def error_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if not line.startswith("HEAVY-IMPORTS:")]


def assert_bad_input(result, *expected: str) -> None:
    lines = error_lines(result)
    assert result.returncode == 2, result.stdout + result.stderr
    assert len(lines) == 1 and "Traceback" not in result.stderr, lines
    for fragment in expected:
        assert fragment in lines[0]


def edit_config(project, old: str, new: str) -> None:
    config = project / "figgen.yaml"
    text = config.read_text()
    assert old in text
    config.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize("old, new, expected", [
    ("models:", "models: [", ("figgen.yaml:", "malformed YAML")),
    ("package: tinyfigs", "package: tinyfigs\ncolour: blue", ("figgen.yaml:3:", "unknown key 'colour'", "accepted: cache, check, claim_shortcodes, claims, content")),
    ("package: tinyfigs", "package: tinyfigs\ncache:\n  ur: /tmp/x", ("figgen.yaml:4:", "cache: unknown key 'ur' (accepted: timeout, url)")),
    ("package: tinyfigs", "package: tinyfigs\ncache: {url: 3}", ("figgen.yaml:3:", "cache.url must be str, not int")),
    ("    seed: 3", "    seed: trois", ("figgen.yaml:8:", "models.line.seed must be int, not text")),
    ("    draw: figures.fit", "    draw: figures.fit\n    modles: [line]", ("figgen.yaml:19:", "unknown key 'modles'", "accepted: alt, architectures")),
    ("models: [line]", "models: [lines]", ("figgen.yaml:", "unknown model 'lines'", "declared: line")),
    ("/images/tiny/fit.png", "/images/tiny/squares.png", ("figgen.yaml:17:", "declared twice (first at line 13)")),
    ("/images/tiny/fit.png", "/images/../../etc/fit.png", ("must be a site path",)),
    ("/images/tiny/fit.png", "/etc/passwd.png", ("must be a site path",)),
    ("draw: figures.fit", "draw: ../../evil", ("is not a module path inside the package",)),
    ("    seed: 3", "    seed: 3\n    exprot: onnx", ("figgen.yaml:9:", "unknown key 'exprot'",
                                                   "accepted: architecture, class, env, export, recipe, seed")),
    ("    seed: 3", "    seed: 3\n    export: tflite", ("figgen.yaml:9:", "models.line.export", "onnx")),
])
def test_malformed_configuration_is_one_located_line(fresh_tiny, old, new, expected):
    edit_config(fresh_tiny, old, new)
    assert_bad_input(run_figgen(fresh_tiny, "build"), *expected)
    assert_bad_input(run_figgen(fresh_tiny, "check"), *expected)


@pytest.mark.parametrize("old, new, expected", [
    ("epochs: 30", "epoch: 30", ("figgen.yaml:10:", "models.line.training: unknown key 'epoch'", "accepted: batch_size, epochs, fail, learning_rate")),
    ("epochs: 30", "epochs: 0", ("figgen.yaml:10:", "models.line.training.epochs must be at least 1, not 0")),
    ("epochs: 30", "epochs: 30, batch_size: 0", ("figgen.yaml:10:", "models.line.training.batch_size must be at least 1, not 0")),
    ("learning_rate: 0.1", "learning_rate: rapide", ("figgen.yaml:10:", "models.line.training.learning_rate must be float")),
    ("inputs: 1", "inputs: un", ("figgen.yaml:9:", "models.line.architecture.inputs must be int")),
    ("inputs: 1", "inputz: 1", ("figgen.yaml:9:", "unknown key 'inputz'", "accepted: inputs")),
])
def test_wrong_hyperparameters_are_refused_before_training(built_tiny, tmp_path, old, new, expected):
    import shutil

    project = tmp_path / "p"
    shutil.copytree(built_tiny, project)
    image = project / "site/static/images/tiny/fit.png"
    before = image.read_bytes()
    edit_config(project, old, new)
    assert_bad_input(run_figgen(project, "build"), *expected)
    assert image.read_bytes() == before  # the previous good figure is untouched


def test_unknown_figure_name_suggests_close_ones(fresh_tiny):
    assert_bad_input(run_figgen(fresh_tiny, "build", "squres"), "unknown figure 'squres'", "did you mean", "squares")


def test_jobs_must_be_positive(fresh_tiny):
    assert_bad_input(run_figgen(fresh_tiny, "build", "--jobs", "0"), "--jobs must be at least 1")


def test_asking_for_cuda_where_there_is_none(fresh_tiny):
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    assert_bad_input(run_figgen(fresh_tiny, "build", "--device", "cuda"), "--device cuda: no cuda device here")


def test_unknown_device_and_option_are_usage_errors(fresh_tiny):
    assert run_figgen(fresh_tiny, "build", "--device", "tpu").returncode == 2
    assert run_figgen(fresh_tiny, "build", "--nope").returncode == 2


def test_no_project_here(tmp_path):
    assert_bad_input(run_figgen(tmp_path, "build"), "no figgen.yaml in")


def test_yaml_is_read_safely(fresh_tiny):
    marker = fresh_tiny / "executed"
    edit_config(fresh_tiny, "package: tinyfigs",
                f"package: !!python/object/apply:os.system ['touch {marker}']")
    assert_bad_input(run_figgen(fresh_tiny, "build"), "figgen.yaml:")
    assert not marker.exists()


@pytest.mark.parametrize("old, new, expected", [
    ("params: {count: 3}", "params: {count: 3, cuont: 4}",
     ("figgen.yaml:16:", "figure /images/tiny/squares.png: params: unknown key 'cuont'", "accepted: count, fail, sleep")),
    ("params: {count: 3}", "params: {count: 30}",
     ("figgen.yaml:16:", "figure /images/tiny/squares.png: params.count must be at most 10, not 30")),
    ("params: {count: 3}", "params:\n      count: trois",
     ("figgen.yaml:17:", "params.count must be int, not text 'trois'")),
])
def test_figure_params_are_checked_against_the_modules_params_before_drawing(tiny, old, new, expected):
    image = tiny / "site/static/images/tiny/squares.png"
    before = image.read_bytes()
    edit_config(tiny, old, new)
    assert_bad_input(run_figgen(tiny, "build"), *expected)
    assert image.read_bytes() == before  # nothing was drawn
