"""Mistake: the seed is applied with torch.manual_seed and the nn.init calls draw from the global
random state, so a Generator argument is ignored and any other code's draws change the weights."""

import torch
from torch import nn

CAUGHT_BY = ("init_weights.uses_the_generator", "init_weights.matches_reference[tanh]")
CONTRACT = "generator"


def init_weights(model, generator, nonlinearity="relu"):
    if nonlinearity not in ("relu", "tanh", "sigmoid"):
        raise ValueError(f"unknown nonlinearity {nonlinearity!r}")
    if not isinstance(generator, torch.Generator):
        torch.manual_seed(generator)
    layers = [m for m in model.modules() if isinstance(m, nn.Linear)]
    for index, layer in enumerate(layers):
        gain_of = nonlinearity if index < len(layers) - 1 else "linear"
        nn.init.kaiming_normal_(layer.weight, mode="fan_in", nonlinearity=gain_of)
        nn.init.zeros_(layer.bias)
    return model
