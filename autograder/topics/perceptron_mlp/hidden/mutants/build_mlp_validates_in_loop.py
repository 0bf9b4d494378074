"""Mistake: the activation name is checked only where an activation module is created, inside
the loop, so a network without a hidden layer (widths [d_0, d_1]) accepts any name instead of
raising the documented ValueError."""

import itertools

from torch import nn

CAUGHT_BY = ("build_mlp.rejects_unknown_activation_any_depth",)
CONTRACT = "errors"


def build_mlp(widths, activation="relu"):
    modules = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "gelu": nn.GELU,
               "leaky_relu": nn.LeakyReLU}
    layers = []
    for index, (fan_in, fan_out) in enumerate(itertools.pairwise(widths)):
        layers.append(nn.Linear(fan_in, fan_out))
        if index < len(widths) - 2:
            if activation not in modules:
                raise ValueError(f"unknown activation {activation!r}")
            layers.append(modules[activation]())
    return nn.Sequential(*layers)
