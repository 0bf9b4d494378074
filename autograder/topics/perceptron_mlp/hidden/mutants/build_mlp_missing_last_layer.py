"""Mistake (off by one): the loop over layers stops one early (range(len(widths) - 2)), so the
last hidden layer's activation ends the network and the output layer is missing."""

from torch import nn

CAUGHT_BY = ("build_mlp.forward_tanh[float64]", "build_mlp.activation_types",
             "build_mlp.forward_relu[float32]")


def build_mlp(widths, activation="relu"):
    modules = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "gelu": nn.GELU,
               "leaky_relu": nn.LeakyReLU}
    if activation not in modules:
        raise ValueError(f"unknown activation {activation!r}")
    layers = []
    for index in range(len(widths) - 2):
        layers += [nn.Linear(widths[index], widths[index + 1]), modules[activation]()]
    return nn.Sequential(*layers)
