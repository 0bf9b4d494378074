"""Mistake: the layers are kept in a plain Python list, so nn.Module never registers them:
parameters() and state_dict() are empty, .to(device) leaves them behind, and an optimizer has
nothing to train."""

from torch import nn

CAUGHT_BY = ("MLP.layouts_and_counts", "MLP.to_moves_everything",
             "MLP.gradients_reach_every_parameter[float64]")
CONTRACT = "keys"


class MLP(nn.Module):
    def __init__(self, sizes, activation="relu", dropout=0.0):
        super().__init__()
        modules = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}
        if len(sizes) < 2 or activation not in modules or not 0.0 <= dropout < 1.0:
            raise ValueError("invalid MLP arguments")
        self.sizes, self.activation, self.dropout = list(sizes), activation, float(dropout)
        self.layers = []
        for index in range(len(sizes) - 1):
            self.layers.append(nn.Linear(sizes[index], sizes[index + 1]))
            if index < len(sizes) - 2:
                self.layers += [modules[activation](), nn.Dropout(dropout)]

    def forward(self, x):
        x = x.flatten(1)
        for layer in self.layers:
            x = layer(x)
        return x
