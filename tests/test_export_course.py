"""The course's three exports (course/exports/), on small trainings: each is exported by the
engine's own step, keeps the contract the labs read (names, dtypes, shapes, meta), and
onnxruntime reproduces PyTorch's reference outputs within 1e-5; the tokenizer the lm's card
gives a page splits the corpus as the recipe does.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import numpy
import pytest

from course_models import SMALL, course, train

pytestmark = pytest.mark.course

EXPECTED = {  # the contract with the labs: inputs and outputs, name, dtype, shape
    "cnn": ([("pixels", "float32", [1, 64])], [("probabilities", "float32", [1, 10])]),
    "autoencoder": ([("code", "float32", [1, 2])], [("pixels", "float32", [1, 64])]),
    "lm": ([("tokens", "int64", [1, None])], [("probabilities", "float32", [1, None])]),
}


@pytest.fixture(scope="module")
def cards(tmp_path_factory):
    """{name: (card, onnx path)} for the three exports of small trainings of the models."""
    from figgen.export.onnx_export import export_model
    from figgen.training.checkpoint import save_checkpoint

    folder = tmp_path_factory.mktemp("exports")
    project = course()
    exported = {}
    for name in ("cnn", "autoencoder", "lm"):
        assert project.models[name].export == "onnx"
        result, run = train(name, SMALL[name])
        checkpoint = folder / f"{name}.pt"
        save_checkpoint(checkpoint, result.model.cpu(), run.built_with, result.metrics, result.history)
        onnx, card = folder / f"{name}.onnx", folder / f"{name}.json"
        export_model(project, name, checkpoint, onnx, card, "0" * 20)  # checks parity within 1e-4 itself
        exported[name] = (json.loads(card.read_text()), onnx)
    return exported


@pytest.mark.parametrize("name", ["cnn", "autoencoder", "lm"])
def test_onnxruntime_reproduces_pytorch_on_the_references(cards, name):
    import onnxruntime

    card, onnx = cards[name]
    inputs, outputs = EXPECTED[name]
    assert [(i["name"], i["dtype"], i["shape"]) for i in card["inputs"]] == inputs
    assert [(o["name"], o["dtype"], o["shape"][:1]) for o in card["outputs"]] == [(n, d, s[:1]) for n, d, s in outputs]
    assert 3 <= len(card["references"]) <= 5
    session = onnxruntime.InferenceSession(str(onnx), providers=["CPUExecutionProvider"])
    for reference in card["references"]:
        feeds = {i["name"]: numpy.asarray(reference["inputs"][i["name"]], dtype=i["dtype"]).reshape(1, -1)
                 for i in card["inputs"]}
        for output, got in zip(card["outputs"], session.run(None, feeds)):
            expected = numpy.asarray(reference["outputs"][output["name"]], dtype=numpy.float64)
            assert got.shape == (1, expected.size)
            assert numpy.max(numpy.abs(got.reshape(-1) - expected)) <= 1e-5
            if name != "autoencoder":
                assert abs(expected.sum() - 1) < 1e-5  # the softmax is in the graph
            else:
                assert 0 <= expected.min() and expected.max() <= 1  # ink 0..1


def test_the_cards_carry_what_the_labs_need(cards):
    cnn, autoencoder, lm = (cards[name][0]["meta"] for name in ("cnn", "autoencoder", "lm"))
    assert cnn == {"labels": [str(d) for d in range(10)], "grid": [8, 8]}
    assert autoencoder["grid"] == [8, 8] and sorted(autoencoder["centres"], key=int) == [str(d) for d in range(10)]
    (xmin, xmax), (ymin, ymax) = autoencoder["latent_range"]
    assert all(xmin < x < xmax and ymin < y < ymax for x, y in autoencoder["centres"].values())
    assert lm["vocabulary"][0] == "<vide>" and lm["unknown"] is None and lm["tokenizer"]["lowercase"] is True
    first = cards["lm"][0]["references"][0]["inputs"]["tokens"]
    assert [lm["vocabulary"][i] for i in first] == ["bonjour", "comment"]
    lengths = {len(r["inputs"]["tokens"]) for r in cards["lm"][0]["references"]}
    assert len(lengths) > 1, "the references vary the prefix's length: the dynamic axis is exercised"


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to run the JavaScript pattern")
def test_the_browser_tokenizer_splits_the_corpus_as_the_recipe_does(cards, tmp_path):
    from course.data.corpus import CORPUS_FILE, sentences

    tokenizer = cards["lm"][0]["meta"]["tokenizer"]
    script = tmp_path / "split.js"
    script.write_text(
        "const fs = require('fs');\n"
        f"const t = {json.dumps(tokenizer)};\n"
        "const re = new RegExp(t.pattern, t.flags);\n"
        "const lines = fs.readFileSync(process.argv[2], 'utf8').split('\\n').filter(l => l.trim());\n"
        "const words = lines.map(l => { let s = l.toLowerCase();\n"
        "  for (const [a, b] of Object.entries(t.replace)) s = s.split(a).join(b);\n"
        "  return s.match(re) || []; });\n"
        "process.stdout.write(JSON.stringify(words));\n")
    done = subprocess.run(["node", str(script), str(CORPUS_FILE)], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == [list(line) for line in sentences()]
