"""Mistake: build_mlp puts an activation after every Linear layer, the output layer included,
so the logits are squashed (ReLU clips negative scores to 0)."""

import itertools

from torch import nn

CAUGHT_BY = ("build_mlp.forward_tanh[float64]", "build_mlp.activation_types",
             "build_mlp.no_output_activation_batch_of_one[float64]")


def build_mlp(widths, activation="relu"):
    modules = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "gelu": nn.GELU,
               "leaky_relu": nn.LeakyReLU}
    if activation not in modules:
        raise ValueError(f"unknown activation {activation!r}")
    layers = []
    for fan_in, fan_out in itertools.pairwise(widths):
        layers += [nn.Linear(fan_in, fan_out), modules[activation]()]
    return nn.Sequential(*layers)
