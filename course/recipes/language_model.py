"""Train a word-level language model on the French corpus: predict each next word.

Every line of the corpus is one training sequence: the network reads words 1..n-1 and is
scored (cross-entropy) on predicting words 2..n. Padding added to even out line lengths in a
batch is ignored by the loss. At the end we ask it what follows a prompt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import torch
from pydantic import Field
from torch import nn

from course.data.corpus import sentences, tokenize, vocabulary
from figgen.training.loop import fit
from figgen.training.run import TrainingResult


@dataclass
class Hyperparameters:
    epochs: Annotated[int, Field(ge=1)] = 10
    batch_size: Annotated[int, Field(ge=1)] = 16
    learning_rate: Annotated[float, Field(gt=0)] = 0.01
    prompt: str = "bonjour comment ça"  # the words whose continuation the site shows
    top_k: Annotated[int, Field(ge=1)] = 8  # how many candidate next words to keep for the bar chart


def padded_lines(vocab) -> torch.Tensor:
    """(lines, longest) word ids, each line followed by PAD (id 0) up to the longest."""
    lines = [vocab.encode(line) for line in sentences() if len(line) >= 2]
    ids = torch.zeros(len(lines), max(map(len, lines)), dtype=torch.long)
    for row, line in enumerate(lines):
        ids[row, : len(line)] = torch.tensor(line)
    return ids


@torch.no_grad()
def next_word_distribution(model: nn.Module, vocab, prompt: str, device) -> torch.Tensor:
    """P(next word | prompt) over the whole vocabulary."""
    ids = torch.tensor([vocab.encode(tokenize(prompt))], device=device)  # (1, T)
    logits = model(ids)[0, -1]  # the prediction after the prompt's last word
    return torch.softmax(logits, dim=0).cpu()


def next_word_loss(model: nn.Module, lines: torch.Tensor):
    """(mean cross-entropy per real word, number of real words): padding is not scored."""
    inputs, targets = lines[:, :-1], lines[:, 1:]  # predict word t+1 from words 1..t
    logits = model(inputs)  # (B, T, vocabulary)
    loss = nn.functional.cross_entropy(logits.flatten(0, 1), targets.flatten(), ignore_index=0)
    return loss, (targets != 0).sum()


def train(run) -> TrainingResult:
    hp = run.hyperparameters(Hyperparameters)
    vocab = vocabulary()
    # Every batch keeps the full padded width: one shape for the whole training suits cuDNN and
    # needs no host sync to trim; the network reads left to right, so trailing padding changes
    # no prediction, and the loss ignores it.
    lines = padded_lines(vocab)

    model = run.build_model(vocabulary_size=len(vocab))  # derived from the data, saved with the weights
    history = fit(
        run, model, torch.optim.Adam(model.parameters(), lr=hp.learning_rate), next_word_loss,
        [lines], epochs=hp.epochs, batch_size=hp.batch_size, clip=1.0,
    )

    probabilities = next_word_distribution(model, vocab, hp.prompt, run.device)
    top = torch.topk(probabilities, hp.top_k)
    history["prompt"] = hp.prompt
    history["top_words"] = vocab.decode(top.indices)
    history["top_probabilities"] = top.values
    metrics = {
        "next_word": history["top_words"][0],
        "next_word_probability": float(top.values[0]),
        "vocabulary_size": len(vocab),
        "final_loss": history["loss"][-1],
    }
    return TrainingResult(model=model, metrics=metrics, history=history)
