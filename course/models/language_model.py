"""A word-level language model: read the words so far, predict the next one.

Each word becomes a learned vector (embedding), an LSTM summarises the sentence so far in its
hidden state, and a linear layer turns that state into one score per word of the vocabulary.
"""

import torch
from torch import nn


class WordLSTM(nn.Module):
    def __init__(self, vocabulary_size: int = 0, embedding: int = 32, hidden_size: int = 64):
        super().__init__()
        if vocabulary_size <= 0:
            raise ValueError("vocabulary_size comes from the corpus: build with run.build_model(vocabulary_size=...)")
        self.embedding = nn.Embedding(vocabulary_size, embedding)
        self.recurrent = nn.LSTM(embedding, hidden_size, batch_first=True)
        self.readout = nn.Linear(hidden_size, vocabulary_size)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        """tokens: (B, T) word ids -> (B, T, vocabulary_size) next-word logits at every step."""
        # figgen-show: La passe avant : chaque mot devient un vecteur, le LSTM lit la phrase, un score sort pour chaque mot possible
        vectors = self.embedding(tokens)  # (B, T) -> (B, T, embedding)
        hidden, _ = self.recurrent(vectors)  # (B, T, embedding) -> (B, T, hidden_size)
        return self.readout(hidden)  # (B, T, hidden_size) -> (B, T, vocabulary_size)
