"""Mistake: forward applies F.dropout(h, p) without training=self.training; F.dropout defaults to
training=True, so dropout stays on in eval mode and evaluation is random."""

import torch.nn.functional as F
from torch import nn

CAUGHT_BY = ("MLP.dropout_off_in_eval[float64]", "MLP.forward_tanh[float32]")


class MLP(nn.Module):
    def __init__(self, sizes, activation="relu", dropout=0.0):
        super().__init__()
        modules = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}
        if len(sizes) < 2 or activation not in modules or not 0.0 <= dropout < 1.0:
            raise ValueError("invalid MLP arguments")
        self.sizes, self.activation, self.dropout = list(sizes), activation, float(dropout)
        layers = []
        for index in range(len(sizes) - 1):
            layers.append(nn.Linear(sizes[index], sizes[index + 1]))
            if index < len(sizes) - 2:
                layers += [modules[activation](), nn.Identity()]
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        x = x.flatten(1)
        for layer in self.net:
            x = layer(x)
            if isinstance(layer, nn.Identity):
                x = F.dropout(x, self.dropout)
        return x
