"""Mistake: gradient tracking is switched off with torch.set_grad_enabled(False) for the copies
and never switched back on (a `with torch.no_grad():` block would restore it): after the load no
forward pass records a graph, so loss.backward() fails or the model silently stops training."""

import numpy as np
import torch
from torch import nn

CAUGHT_BY = ("load_numpy_weights.leaves_arguments_as_documented",
             "load_numpy_weights.in_place_keeps_parameters")
CONTRACT = "restores"


def load_numpy_weights(model, params):
    layers = [m for m in model.modules() if isinstance(m, nn.Linear)]
    if set(params) != {f"{kind}{k}" for k in range(1, len(layers) + 1) for kind in "Wb"}:
        raise ValueError("params do not match the model's layers")
    pairs = []
    for k, layer in enumerate(layers, start=1):
        weight = torch.as_tensor(np.asarray(params[f"W{k}"])).T
        bias = torch.as_tensor(np.asarray(params[f"b{k}"]))
        if weight.shape != layer.weight.shape or bias.shape != layer.bias.shape:
            raise ValueError(f"W{k} or b{k} does not fit its layer")
        pairs.append((layer, weight, bias))
    torch.set_grad_enabled(False)
    for layer, weight, bias in pairs:
        layer.weight.copy_(weight)
        layer.bias.copy_(bias)
    return model
