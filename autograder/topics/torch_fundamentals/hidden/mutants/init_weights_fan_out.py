"""Mistake: Kaiming initialisation with mode="fan_out", so the weights are scaled by the layer's
output size instead of its input size (std gain / sqrt(fan_out))."""

import torch
from torch import nn

CAUGHT_BY = ("init_weights.matches_reference[relu]", "init_weights.large_statistics")


def init_weights(model, generator, nonlinearity="relu"):
    if nonlinearity not in ("relu", "tanh", "sigmoid"):
        raise ValueError(f"unknown nonlinearity {nonlinearity!r}")
    layers = [m for m in model.modules() if isinstance(m, nn.Linear)]
    if not isinstance(generator, torch.Generator):
        generator = torch.Generator(device=layers[0].weight.device).manual_seed(generator)
    for index, layer in enumerate(layers):
        gain_of = nonlinearity if index < len(layers) - 1 else "linear"
        nn.init.kaiming_normal_(layer.weight, mode="fan_out", nonlinearity=gain_of,
                                generator=generator)
        nn.init.zeros_(layer.bias)
    return model
