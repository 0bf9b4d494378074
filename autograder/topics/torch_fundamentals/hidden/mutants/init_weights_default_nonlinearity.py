"""Mistake: nn.init.kaiming_normal_ is called without the nonlinearity argument on every layer.
Its default ("leaky_relu" with a = 0) has ReLU's gain sqrt(2), which is wrong for tanh and
sigmoid layers and for the output layer (gain 1)."""

import torch
from torch import nn

CAUGHT_BY = ("init_weights.matches_reference[relu]", "init_weights.matches_reference[tanh]",
             "init_weights.large_statistics")


def init_weights(model, generator, nonlinearity="relu"):
    if nonlinearity not in ("relu", "tanh", "sigmoid"):
        raise ValueError(f"unknown nonlinearity {nonlinearity!r}")
    layers = [m for m in model.modules() if isinstance(m, nn.Linear)]
    if not isinstance(generator, torch.Generator):
        generator = torch.Generator(device=layers[0].weight.device).manual_seed(generator)
    for layer in layers:
        nn.init.kaiming_normal_(layer.weight, mode="fan_in", generator=generator)
        nn.init.zeros_(layer.bias)
    return model
