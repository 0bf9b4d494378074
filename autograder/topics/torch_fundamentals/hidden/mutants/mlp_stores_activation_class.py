"""Mistake: self.activation holds the activation's class (nn.Tanh) looked up from the dict, not
its name; the docstring says self.activation is the name ("tanh"), a str that code reading the
model's settings (a run's log, a rebuilt model) can use."""

from torch import nn

CAUGHT_BY = ("MLP.attributes_and_arguments",)
CONTRACT = "returns"


class MLP(nn.Module):
    def __init__(self, sizes, activation="relu", dropout=0.0):
        super().__init__()
        modules = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}
        if len(sizes) < 2 or activation not in modules or not 0.0 <= dropout < 1.0:
            raise ValueError("invalid MLP arguments")
        self.sizes, self.activation, self.dropout = list(sizes), modules[activation], float(dropout)
        layers = []
        for index in range(len(sizes) - 1):
            layers.append(nn.Linear(sizes[index], sizes[index + 1]))
            if index < len(sizes) - 2:
                layers += [self.activation(), nn.Dropout(dropout)]
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x.flatten(1))
