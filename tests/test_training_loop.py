"""The shared training loop (figgen/training/loop.py) and the device-safety of the recipes."""

from __future__ import annotations

import dataclasses

import pytest
import torch
from torch import nn

from course_models import course
from figgen.context import model_class
from course.recipes.language_model import padded_lines
from course.recipes.memory_task import gradient_norms
from course.data.corpus import vocabulary
from course.data.memory_task import make_sequences
from figgen.training.loop import cosine_schedule, fit
from figgen.training.run import TrainingDiverged, TrainingRun


def line_run(seed: int = 0, events: list | None = None) -> TrainingRun:
    """A run of the course's project whose model is a plain linear layer (built by the test)."""
    spec = dataclasses.replace(course().models["cnn"], seed=seed)
    return TrainingRun(spec=spec, model_class=nn.Linear, device=torch.device("cpu"),
                       report=(events.append if events is not None else lambda event: None))


def line_data(count: int = 50):
    generator = torch.Generator().manual_seed(0)
    x = torch.rand(count, 1, generator=generator)
    return x, 3 * x - 1 + 0.01 * torch.randn(count, 1, generator=generator)


def mse(model, x, y):
    return nn.functional.mse_loss(model(x), y)


def fresh_line():
    torch.manual_seed(0)
    return nn.Linear(1, 1)


def test_the_epoch_loss_is_the_mean_over_every_example_whatever_the_batch_size():
    x, y = line_data(50)  # 50 = 3 batches of 16 + a short one of 2: it must weigh 2, not 16
    model = fresh_line()
    expected = mse(model, x, y).item()
    for batch_size in (None, 16, 7, 50):
        frozen = torch.optim.SGD(model.parameters(), lr=0.0)  # nothing moves: every epoch sees `expected`
        history = fit(line_run(), model, frozen, mse, [x, y], epochs=2, batch_size=batch_size)
        assert history["loss"] == pytest.approx([expected] * 2, rel=1e-5)


def test_it_learns_reports_every_epoch_and_evaluates_in_eval_mode_without_gradients():
    x, y = line_data()
    model, events, seen = fresh_line(), [], []

    def evaluate(model):
        seen.append((model.training, torch.is_grad_enabled()))
        return {"slope": model.weight[0, 0], "constant": 1}

    history = fit(line_run(events=events), model, torch.optim.Adam(model.parameters(), lr=0.05), mse, [x, y],
                  epochs=60, batch_size=10, evaluate=evaluate, schedule=cosine_schedule, clip=1.0)
    assert history["epoch"] == list(range(1, 61)) and len(history["loss"]) == 60
    assert history["loss"][-1] < 0.01 * history["loss"][0]
    assert history["slope"][-1] == pytest.approx(3, abs=0.2) and history["constant"] == [1.0] * 60
    assert seen == [(False, False)] * 60
    assert [event.epoch for event in events] == list(range(1, 61)) and events[-1].epochs == 60
    assert all(isinstance(value, float) for value in history["loss"] + history["slope"])


def test_a_solved_task_stops_early():
    x, y = line_data()
    model = fresh_line()
    history = fit(line_run(), model, torch.optim.Adam(model.parameters(), lr=0.05), mse, [x, y],
                  epochs=50, batch_size=10, stop_below=float("inf"))
    assert history["epoch"] == [1]


def test_the_shuffle_follows_the_seed_and_full_batch_needs_none():
    x, y = line_data()

    def trained(seed, batch_size):
        model = fresh_line()
        fit(line_run(seed), model, torch.optim.SGD(model.parameters(), lr=0.1), mse, [x, y], epochs=3,
            batch_size=batch_size)
        return model.weight.detach().clone()

    assert torch.equal(trained(0, 8), trained(0, 8))
    assert not torch.equal(trained(0, 8), trained(1, 8))  # another seed, another order
    assert torch.equal(trained(0, None), trained(1, None))  # one batch: the order does not matter


def test_a_diverging_training_is_stopped_by_name():
    x, y = line_data()
    model = fresh_line()
    with pytest.raises(TrainingDiverged, match="model 'cnn': loss became"):
        fit(line_run(), model, torch.optim.SGD(model.parameters(), lr=1e6), mse, [x, y * 1e30], epochs=5)


def test_a_weighted_loss_counts_its_items():
    """A loss_fn may return (mean loss, weight): here each row counts its own weight."""
    x, y = line_data(20)
    weights = torch.arange(1, 21, dtype=torch.float32)
    model = fresh_line()

    def weighted(model, x, y, w):
        return (((model(x) - y) ** 2).squeeze(1) * w).sum() / w.sum(), w.sum()

    expected = weighted(model, x, y, weights)[0].item()
    history = fit(line_run(), model, torch.optim.SGD(model.parameters(), lr=0.0), weighted, [x, y, weights],
                  epochs=1, batch_size=6)
    assert history["loss"] == pytest.approx([expected], rel=1e-5)


def test_the_gradient_probe_runs_in_training_mode_and_restores_the_mode():
    """cuDNN refuses a recurrent backward pass in eval mode ("cudnn RNN backward can only be
    called in training mode"): the probe, called on a trained model in eval mode, must switch."""
    project = course()
    spec = project.models["lstm"]
    model = model_class(project, spec)(**spec.architecture)
    modes = []
    model.recurrent.register_forward_hook(lambda module, inputs, output: modes.append(module.training))
    x, y = make_sequences(8, 3, 8, seed=0)
    model.eval()
    norms = gradient_norms(model, x, y)
    assert len(norms) == 5 and all(norm > 0 for norm in norms)
    assert modes == [True] * 5 and not model.training
    assert all(parameter.grad is None for parameter in model.parameters())


def test_trailing_padding_changes_no_prediction_of_the_language_model():
    """The recipe keeps the full padded width (one shape, no host sync to trim): harmless,
    because the network reads left to right and the loss ignores padding."""
    project = course()
    spec = project.models["lm"]
    vocab = vocabulary()
    torch.manual_seed(0)
    model = model_class(project, spec)(vocabulary_size=len(vocab), **spec.architecture).eval()
    lines = padded_lines(vocab)[:4]
    width = int((lines != 0).sum(dim=1).max())
    assert width < lines.shape[1]
    with torch.no_grad():
        assert torch.allclose(model(lines)[:, :width], model(lines[:, :width]), atol=1e-6)
