"""Mistake: the layers are built by popping the input size off `remaining = sizes`, which is the
caller's list, not a copy: after MLP(sizes) the caller's sizes holds only the output size (and a
second MLP built from the same list fails). The constructor must not modify its arguments."""

from torch import nn

CAUGHT_BY = ("MLP.attributes_and_arguments",)
CONTRACT = "unchanged"


class MLP(nn.Module):
    def __init__(self, sizes, activation="relu", dropout=0.0):
        super().__init__()
        modules = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}
        if len(sizes) < 2 or activation not in modules or not 0.0 <= dropout < 1.0:
            raise ValueError("invalid MLP arguments")
        self.sizes, self.activation, self.dropout = list(sizes), activation, float(dropout)
        layers = []
        remaining = sizes
        while len(remaining) > 1:
            layers.append(nn.Linear(remaining.pop(0), remaining[0]))
            if len(remaining) > 1:
                layers += [modules[activation](), nn.Dropout(dropout)]
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x.flatten(1))
