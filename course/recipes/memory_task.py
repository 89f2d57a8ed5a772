"""Train a recurrent network to recall a symbol after a delay, for several delays T.

For each T a fresh network (same initial weights) learns the task of course/data/memory_task.py,
then is scored on unseen sequences: accuracy against delay shows how far back it can remember.
The gradient norms ||dL/dh_t|| show why: for a plain RNN the error signal shrinks
geometrically on its way back from the last step to the first (the vanishing gradient), so the
marked symbol at step 0 hardly receives any, while the LSTM's cell state lets it through.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Annotated

import torch
from pydantic import Field
from torch import nn

from course.data.memory_task import input_size, make_sequences
from figgen.training.loop import fit
from figgen.training.run import TrainingResult


@dataclass
class Hyperparameters:
    delays: list[Annotated[int, Field(ge=1)]] = field(default_factory=lambda: [5, 10, 20, 40, 80])
    train_size: Annotated[int, Field(ge=1)] = 2048  # training sequences per delay
    test_size: Annotated[int, Field(ge=1)] = 1000
    epochs: Annotated[int, Field(ge=1)] = 25  # at most, per delay: training stops once the task is solved
    batch_size: Annotated[int, Field(ge=1)] = 128
    learning_rate: Annotated[float, Field(gt=0)] = 0.003
    clip: Annotated[float, Field(gt=0)] = 1.0  # gradient norm clipping: keeps a plain RNN's rare huge gradients in check
    solved_loss: Annotated[float, Field(ge=0)] = 0.01  # stop a delay early when the epoch's mean loss falls below this


def gradient_norms(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> list[float]:
    """||dL/dh_t|| for every step t: how much error signal reaches each hidden state.

    The network is unrolled one step at a time so that each h_t is a tensor of its own whose
    gradient we can read (the fused recurrent layer would only expose the last one). It runs in
    training mode, whatever mode the model was in: cuDNN's recurrent layers only run a backward
    pass in training mode (these networks have no dropout, so the numbers are the same).
    """
    was_training = model.training
    model.train()
    state, hiddens = None, []
    for t in range(x.shape[1]):
        _, state = model.recurrent(x[:, t : t + 1], state)
        hidden = state[0] if isinstance(state, tuple) else state  # (1, B, hidden); LSTM state is (h, c)
        hidden.retain_grad()
        hiddens.append(hidden)
    loss = nn.functional.cross_entropy(model.readout(hiddens[-1][0]), y)
    model.zero_grad()
    loss.backward()
    gradients = torch.cat([h.grad for h in hiddens]).cpu()  # (T, B, hidden), one transfer
    model.zero_grad()
    model.train(was_training)
    return gradients.double().norm(dim=-1).mean(dim=1).tolist()  # float64 (on the CPU): tiny norms stay > 0


# figgen-show: La perte : l'entropie croisée de la réponse donnée au dernier pas
def recall_loss(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return nn.functional.cross_entropy(model(x), y)  # read at the query step, the last one


def accuracy(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    with torch.no_grad():
        return (model(x).argmax(dim=1) == y).float().mean().item()


def train(run) -> TrainingResult:
    hp = run.hyperparameters(Hyperparameters)
    delays = sorted(hp.delays)
    history = {"delays": delays, "loss_by_delay": {}, "accuracy_by_delay": {}}

    for index, delay in enumerate(delays):
        model = run.build_model()  # seeded: the same initial weights for every delay
        classes = model.readout.out_features
        if model.recurrent.input_size != input_size(classes):
            raise ValueError(f"architecture.input_size must be classes + 2 = {input_size(classes)}")
        x_train, y_train = make_sequences(hp.train_size, delay, classes, 2 * delay + 1000 * run.seed)
        x_test, y_test = (t.to(run.device) for t in make_sequences(hp.test_size, delay, classes, 2 * delay + 1 + 1000 * run.seed))
        if delay == delays[-1]:
            probe = slice(0, 256)  # a fixed batch of test sequences to measure gradients on
            history["gradient_norm_initial"] = gradient_norms(model, x_test[probe], y_test[probe])
            # The same network with PyTorch's own initialisation (no chrono biases, models/sequence.py):
            # how much of the signal the LSTM keeps comes from its initialisation, not its gates alone.
            default = run.build_model()
            default.recurrent.reset_parameters()
            history["gradient_norm_initial_default_init"] = gradient_norms(default, x_test[probe], y_test[probe])

        # figgen-show: L'entraînement : Adam fait baisser cette perte, lot après lot (la boucle : figgen/training/loop.py)
        fitted = fit(
            run, model, torch.optim.Adam(model.parameters(), lr=hp.learning_rate), recall_loss,
            [x_train, y_train], epochs=hp.epochs, batch_size=hp.batch_size, clip=hp.clip,
            stop_below=hp.solved_loss,
            progress=lambda epoch, loss: run.progress(  # one progress bar across all delays
                index * hp.epochs + epoch, len(delays) * hp.epochs, loss, delay=delay),
        )
        history["loss_by_delay"][str(delay)] = fitted["loss"]
        history["accuracy_by_delay"][str(delay)] = accuracy(model, x_test, y_test)
        if delay == delays[-1]:
            history["gradient_norm_trained"] = gradient_norms(model, x_test[probe], y_test[probe])

    history["chance"] = 1.0 / classes
    metrics = {"accuracy_by_delay": history["accuracy_by_delay"], "chance": history["chance"],
               # log10 ||dL/dh_0|| at initialisation (as built, and with PyTorch's init): the signal that
               # reaches the symbol to remember; its order of magnitude, since 1e-20 rounds to 0 in figgen.json
               "log10_gradient_first_step": math.log10(history["gradient_norm_initial"][0]),
               "log10_gradient_first_step_default_init": math.log10(history["gradient_norm_initial_default_init"][0])}
    return TrainingResult(model=model, metrics=metrics, history=history)  # the longest delay's network
