"""The language model for the page's next-word lab: the word ids of a prefix in, P(next word) out."""

from __future__ import annotations

import torch
from torch import nn

from course.data.corpus import BROWSER_TOKEN, tokenize, vocabulary
from figgen.export import Export


class NextWord(nn.Module):
    """The probabilities of the word after the prefix's last one (a softmax over the vocabulary)."""

    def __init__(self, model: nn.Module):
        super().__init__()
        self.model = model

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        # WordLSTM.forward, read out at the last word only: the same numbers, and a graph whose
        # length stays dynamic (the exporter fixes T in a readout over every step)
        hidden, _ = self.model.recurrent(self.model.embedding(tokens))  # (1, T) -> (1, T, hidden)
        logits = self.model.readout(hidden[:, -1])  # (1, hidden) -> (1, V): after the last word
        return torch.softmax(logits, dim=-1)


def export(trained) -> Export:
    vocab = vocabulary()

    def ids(text: str) -> torch.Tensor:
        return torch.tensor([vocab.encode(tokenize(text))], dtype=torch.int64)  # (1, T)

    # the lab's first prompt, the figure's prompt, a single word, and a phrase no line holds
    prompts = ["bonjour comment", trained.history.get("prompt", "bonjour comment ça"), "je",
               trained.history.get("unseen_prompt", "demain il fait")]
    return Export(
        module=NextWord(trained.module),
        inputs={"tokens": ids(prompts[0])},
        outputs=("probabilities",),
        references=tuple({"tokens": ids(prompt)} for prompt in prompts),
        dynamic={"tokens": (1,)},
        meta={"vocabulary": list(vocab.words), "unknown": None,
              "tokenizer": {"lowercase": True, "pattern": BROWSER_TOKEN, "flags": "gu",
                            "replace": {"\u2019": "'"}}},  # a typographic apostrophe reads as '
    )
