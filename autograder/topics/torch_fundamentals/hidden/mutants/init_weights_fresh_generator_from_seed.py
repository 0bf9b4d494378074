"""Mistake: both forms of the argument are turned into a new generator, a Generator through its
initial_seed(); the given generator is not "used as it is": its earlier draws are ignored (every
call restarts the sequence from the seed) and it does not advance, so the caller's next draws
repeat the weights' numbers."""

import torch
from torch import nn

CAUGHT_BY = ("init_weights.continues_the_given_generator",)
CONTRACT = "generator"


def init_weights(model, generator, nonlinearity="relu"):
    if nonlinearity not in ("relu", "tanh", "sigmoid"):
        raise ValueError(f"unknown nonlinearity {nonlinearity!r}")
    layers = [m for m in model.modules() if isinstance(m, nn.Linear)]
    if not layers:
        raise ValueError("the model has no nn.Linear layer")
    seed = generator.initial_seed() if isinstance(generator, torch.Generator) else generator
    g = torch.Generator(device=layers[0].weight.device).manual_seed(seed)
    for index, layer in enumerate(layers):
        gain_of = nonlinearity if index < len(layers) - 1 else "linear"
        nn.init.kaiming_normal_(layer.weight, mode="fan_in", nonlinearity=gain_of, generator=g)
        nn.init.zeros_(layer.bias)
    return model
