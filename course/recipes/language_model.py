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
    unseen_prompt: str = "demain il fait"  # words of the corpus, in an order no line of it holds


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


def phrase_counts(lines, prompt: list[str]) -> tuple[int, dict[str, int]]:
    """(lines holding the prompt, how often each word follows it): what the model could memorise."""
    holding, followers = 0, {}
    for line in lines:
        starts = [i for i in range(len(line) - len(prompt) + 1) if list(line[i : i + len(prompt)]) == prompt]
        holding += bool(starts)
        for i in starts:
            if i + len(prompt) < len(line):
                word = line[i + len(prompt)]
                followers[word] = followers.get(word, 0) + 1
    return holding, followers


def next_word_loss(model: nn.Module, lines: torch.Tensor):
    """(mean cross-entropy per real word, number of real words): padding is not scored."""
    # figgen-show: La perte : à chaque position, prédire le mot suivant (entropie croisée ; le remplissage ne compte pas)
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
    # figgen-show: L'entraînement : Adam fait baisser cette perte, lot après lot (la boucle : figgen/training/loop.py)
    history = fit(
        run, model, torch.optim.Adam(model.parameters(), lr=hp.learning_rate), next_word_loss,
        [lines], epochs=hp.epochs, batch_size=hp.batch_size, clip=1.0,
    )

    probabilities = next_word_distribution(model, vocab, hp.prompt, run.device)
    top = torch.topk(probabilities, hp.top_k)
    history["prompt"] = hp.prompt
    history["top_words"] = vocab.decode(top.indices)
    history["top_probabilities"] = top.values
    corpus = sentences()
    prompt_lines, followers = phrase_counts(corpus, tokenize(hp.prompt))
    _, context = phrase_counts(corpus, tokenize(hp.prompt)[-2:])
    unseen = tokenize(hp.unseen_prompt)
    unseen_lines, _ = phrase_counts(corpus, unseen)
    if unseen_lines or any(word not in vocab.index for word in unseen):
        raise ValueError(f"unseen_prompt {hp.unseen_prompt!r} must use the corpus's words in an order no line holds")
    unseen_probabilities = next_word_distribution(model, vocab, hp.unseen_prompt, run.device)
    history["unseen_prompt"] = hp.unseen_prompt
    metrics = {
        "next_word": history["top_words"][0],
        "next_word_probability": float(top.values[0]),
        # how much of that is memory: the corpus's lines, those holding the prompt, what follows it there
        "corpus_lines": len(corpus),
        "prompt_lines": prompt_lines,
        "prompt_followers": sum(followers.values()),
        "prompt_followed_by_next_word": followers.get(history["top_words"][0], 0),
        "context_followers": sum(context.values()),  # the same after the prompt's last two words only
        "context_followed_by_next_word": context.get(history["top_words"][0], 0),
        # a prompt the corpus never holds: the model must generalise
        "unseen_prompt_lines": unseen_lines,
        "unseen_next_word": vocab.decode([int(unseen_probabilities.argmax())])[0],
        "unseen_next_word_probability": float(unseen_probabilities.max()),
        "vocabulary_size": len(vocab),
        "final_loss": history["loss"][-1],
    }
    return TrainingResult(model=model, metrics=metrics, history=history)
