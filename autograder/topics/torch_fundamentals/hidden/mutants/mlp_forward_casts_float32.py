"""Mistake: forward casts its input with x.float(), a habit from image code where pixels arrive as
uint8; the docstring says x has the parameters' dtype, and a float64 model then fails on a float32
input it made itself (or, with .to(dtype) on the layers, silently computes in float32)."""

from torch import nn

CAUGHT_BY = ("MLP.forward_sigmoid[float64]", "MLP.batch_of_one[float64]")
CONTRACT = "dtypes"


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
                layers += [modules[activation](), nn.Dropout(dropout)]
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x.flatten(1).float())
