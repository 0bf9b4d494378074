"""Mistake: nothing is validated; the name goes straight to nn.init, trusting torch to reject a bad
one. torch.nn.init knows more gains than relu, tanh and sigmoid ('linear', 'leaky_relu', 'selu',
...), so those are accepted, and a model without nn.Linear layers returns silently untouched,
where the docstring promises ValueError for both."""

import torch
from torch import nn

CAUGHT_BY = ("init_weights.rejects_bad_arguments",)
CONTRACT = "errors"


def init_weights(model, generator, nonlinearity="relu"):
    layers = [m for m in model.modules() if isinstance(m, nn.Linear)]
    if not isinstance(generator, torch.Generator):
        device = layers[0].weight.device if layers else "cpu"
        generator = torch.Generator(device=device).manual_seed(generator)
    for index, layer in enumerate(layers):
        gain_of = nonlinearity if index < len(layers) - 1 else "linear"
        nn.init.kaiming_normal_(layer.weight, mode="fan_in", nonlinearity=gain_of,
                                generator=generator)
        nn.init.zeros_(layer.bias)
    return model
