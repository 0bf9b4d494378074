"""Mistake: the arguments are validated with assert statements instead of raising ValueError, so a
bad MLP raises AssertionError (and nothing at all under python -O), while the docstring promises
ValueError for fewer than two sizes, an unknown activation or dropout outside [0, 1)."""

from torch import nn

CAUGHT_BY = ("MLP.rejects_bad_arguments", "MLP.attributes_and_arguments")
CONTRACT = "errors"


class MLP(nn.Module):
    def __init__(self, sizes, activation="relu", dropout=0.0):
        super().__init__()
        modules = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}
        assert len(sizes) >= 2, "MLP needs at least two sizes"
        assert activation in modules, f"unknown activation {activation!r}"
        assert 0.0 <= dropout < 1.0, "dropout must be in [0, 1)"
        self.sizes, self.activation, self.dropout = list(sizes), activation, float(dropout)
        layers = []
        for index in range(len(sizes) - 1):
            layers.append(nn.Linear(sizes[index], sizes[index + 1]))
            if index < len(sizes) - 2:
                layers += [modules[activation](), nn.Dropout(dropout)]
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x.flatten(1))
