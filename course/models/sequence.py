"""A recurrent network that reads a sequence step by step and classifies it at the end.

The hidden state h_t is the network's only memory of the past. A plain RNN squashes it through
tanh at every step, so old information (and its gradient) fades; an LSTM adds a cell state that
gates can carry forward unchanged, which lets it remember across long delays.
"""

import torch
from torch import nn


CHRONO_MAX = 100  # the longest delay (in steps) an LSTM is initialised to remember over


class SequenceRNN(nn.Module):
    def __init__(self, cell: str = "rnn", input_size: int = 10, hidden_size: int = 32, classes: int = 8):
        super().__init__()
        if cell == "rnn":
            self.recurrent = nn.RNN(input_size, hidden_size, batch_first=True, nonlinearity="tanh")
        elif cell == "lstm":
            self.recurrent = nn.LSTM(input_size, hidden_size, batch_first=True)
            self._chrono_init(hidden_size)
        else:
            raise ValueError(f"cell must be 'rnn' or 'lstm', not {cell!r}")
        self.cell = cell
        self.readout = nn.Linear(hidden_size, classes)

    @torch.no_grad()
    def _chrono_init(self, hidden_size: int) -> None:
        """Start with gates that remember (Tallec & Ollivier's "chrono" initialisation, 2018).

        Each cell's forget-gate bias is log(u), u uniform in [1, CHRONO_MAX - 1]: it forgets on a
        time scale of about u steps, so some cells hold on for a long time from the start. The
        input gate is biased the other way, so noise does not overwrite what is stored.
        Biases are stacked as [input, forget, cell, output] blocks of hidden_size.
        """
        forget = torch.log(1 + (CHRONO_MAX - 2) * torch.rand(hidden_size))
        self.recurrent.bias_hh_l0.zero_()
        self.recurrent.bias_ih_l0.zero_()
        self.recurrent.bias_ih_l0[:hidden_size] = -forget
        self.recurrent.bias_ih_l0[hidden_size : 2 * hidden_size] = forget

    def states(self, x: torch.Tensor) -> torch.Tensor:
        """x: (B, T, input_size) -> every hidden state h_1..h_T, (B, T, hidden_size)."""
        # figgen-show: La récurrence : la couche lit la séquence pas à pas et renvoie chaque état caché h_t
        hidden, _ = self.recurrent(x)
        return hidden

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: (B, T, input_size) -> (B, classes) logits read from the last hidden state."""
        # figgen-show: La passe avant : seul le dernier état caché sert à répondre
        return self.readout(self.states(x)[:, -1])  # (B, T, hidden) -> (B, hidden) -> (B, classes)
