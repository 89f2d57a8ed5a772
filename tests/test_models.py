"""The course's models and their recipes: each learns, is reproducible and trains where it is told.

Every model is trained here on a small budget (a few seconds in all); the full-budget quality
bars live in test_quality_bars.py.
"""

from __future__ import annotations

import pytest
import torch

from course_models import SMALL, train
from course.data.corpus import sentences, tokenize, vocabulary
from course.data.digits import load_split
from course.data.memory_task import make_sequences

# --- data ----------------------------------------------------------------------------------


def test_digits_split_is_fixed_stratified_and_scaled():
    data = load_split()
    assert data.train_images.shape == (1437, 8, 8) and data.test_images.shape == (360, 8, 8)
    assert 0.0 <= data.train_images.min() and data.train_images.max() == 1.0
    assert torch.bincount(torch.tensor(data.test_labels)).tolist() == pytest.approx([36] * 10, abs=1)
    load_split.cache_clear()
    assert (load_split().test_labels == data.test_labels).all()  # the same split every time


def test_memory_task_marks_the_symbol_to_recall():
    x, y = make_sequences(64, delay=5, classes=8, seed=3)
    assert x.shape == (64, 7, 10)
    assert (x[:, 0, :8].argmax(dim=1) == y).all()  # step 0 holds the target symbol...
    assert (x[:, 0, 8] == 1).all() and (x[:, 1:, 8] == 0).all()  # ...and only it carries the marker
    assert (x[:, -1, 9] == 1).all() and (x.sum(dim=2) == torch.tensor([2.0] + [1.0] * 6)).all()
    assert torch.equal(make_sequences(64, 5, 8, 3)[0], x)  # deterministic
    assert not torch.equal(make_sequences(64, 5, 8, 4)[0], x)


def test_corpus_is_tokenized_french_with_the_greeting_in_context():
    assert tokenize("Bonjour, comment ça va ? L'eau, c'est peut-être aujourd'hui.") == [
        "bonjour", ",", "comment", "ça", "va", "?", "l'", "eau", ",", "c'", "est", "peut-être", "aujourd'hui", "."]
    lines = sentences()
    assert len(lines) >= 300
    greeting = [line for line in lines if " ".join(line).replace(" ,", "").find("bonjour comment ça va") >= 0]
    assert len(greeting) >= 10
    vocab = vocabulary()
    assert vocab.words[0] == "<vide>" and vocab.decode(vocab.encode(["bonjour", "va"])) == ["bonjour", "va"]


# --- each model learns ------------------------------------------------------------------------


@pytest.mark.course
def test_cnn_learns_the_digits():
    result, run = train("cnn", SMALL["cnn"])
    history = result.history
    assert history["loss"][-1] < history["loss"][0]
    assert result.metrics["test_accuracy"] > 0.5  # chance is 0.1
    confusion = history["confusion"]
    assert confusion.shape == (10, 10) and confusion.sum() == 360
    assert confusion.trace() / 360 == pytest.approx(result.metrics["test_accuracy"])


@pytest.mark.course
@pytest.mark.parametrize("name", ["rnn", "lstm"])
def test_recurrent_networks_recall_over_a_short_delay(name):
    result, run = train(name, SMALL[name])
    metrics, history = result.metrics, result.history
    assert set(metrics["accuracy_by_delay"]) == {"2", "4"}
    assert metrics["accuracy_by_delay"]["2"] > 2 * metrics["chance"]  # chance is 1/8
    losses = history["loss_by_delay"]["2"]
    assert losses[-1] < losses[0]
    steps = 4 + 2  # the symbol, the delay, the query
    assert len(history["gradient_norm_initial"]) == len(history["gradient_norm_trained"]) == steps
    assert all(norm > 0 for norm in history["gradient_norm_initial"])
    assert result.model.cell == name


@pytest.mark.course
def test_autoencoder_learns_to_reconstruct():
    result, run = train("autoencoder", SMALL["autoencoder"])
    history = result.history
    assert history["test_mse"][-1] < history["test_mse"][0]
    assert result.metrics["test_mse"] == history["test_mse"][-1]
    with torch.no_grad():
        codes = result.model.encode(torch.rand(5, 64))
    assert codes.shape == (5, 2)


@pytest.mark.course
def test_language_model_learns_and_predicts_a_word():
    result, run = train("lm", SMALL["lm"])
    history, metrics = result.history, result.metrics
    assert history["loss"][-1] < history["loss"][0]
    assert run.built_with["vocabulary_size"] == len(vocabulary())  # derived, saved with the checkpoint
    assert metrics["next_word"] == history["top_words"][0]
    assert 0 < metrics["next_word_probability"] <= 1
    assert len(history["top_words"]) == len(history["top_probabilities"]) == 8


# --- reproducible, and on the requested device ------------------------------------------------


@pytest.mark.course
@pytest.mark.parametrize("name", ["cnn", "lstm"])
def test_same_seed_gives_the_same_weights(name):
    budget = {**SMALL[name], "epochs": 1}
    first, _ = train(name, budget)
    second, _ = train(name, budget)
    other, _ = train(name, budget, seed=1)
    a, b, c = (result.model.state_dict() for result in (first, second, other))
    assert all(torch.equal(a[key], b[key]) for key in a)
    assert not all(torch.equal(a[key], c[key]) for key in a)


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


@pytest.mark.course
@pytest.mark.parametrize("device", devices)
@pytest.mark.parametrize("name", list(SMALL))
def test_model_trains_on_the_requested_device(name, device):
    budget = {**SMALL[name], "epochs": 1}
    result, run = train(name, budget, device=device)
    assert {parameter.device.type for parameter in result.model.parameters()} == {device}
