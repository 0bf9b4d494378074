"""Mistake: only the weights are re-initialised; the biases keep nn.Linear's default uniform
initialisation instead of starting at zero."""

import torch
from torch import nn

CAUGHT_BY = ("init_weights.zero_biases", "init_weights.large_statistics")


def init_weights(model, generator, nonlinearity="relu"):
    if nonlinearity not in ("relu", "tanh", "sigmoid"):
        raise ValueError(f"unknown nonlinearity {nonlinearity!r}")
    layers = [m for m in model.modules() if isinstance(m, nn.Linear)]
    if not isinstance(generator, torch.Generator):
        generator = torch.Generator(device=layers[0].weight.device).manual_seed(generator)
    for index, layer in enumerate(layers):
        gain_of = nonlinearity if index < len(layers) - 1 else "linear"
        nn.init.kaiming_normal_(layer.weight, mode="fan_in", nonlinearity=gain_of,
                                generator=generator)
    return model
