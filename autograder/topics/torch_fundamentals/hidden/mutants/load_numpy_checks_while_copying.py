"""Mistake: each layer's shapes are checked just before copying into it, so a mismatch in a later
layer raises ValueError after the earlier layers were already overwritten: the model is left half
NumPy, half its old weights. The docstring says to check everything first: nothing is changed
when it raises."""

import numpy as np
import torch
from torch import nn

CAUGHT_BY = ("load_numpy_weights.leaves_arguments_as_documented",)
CONTRACT = "unchanged"


def load_numpy_weights(model, params):
    layers = [m for m in model.modules() if isinstance(m, nn.Linear)]
    if set(params) != {f"{kind}{k}" for k in range(1, len(layers) + 1) for kind in "Wb"}:
        raise ValueError("params do not match the model's layers")
    with torch.no_grad():
        for k, layer in enumerate(layers, start=1):
            weight = torch.as_tensor(np.asarray(params[f"W{k}"])).T
            bias = torch.as_tensor(np.asarray(params[f"b{k}"]))
            if weight.shape != layer.weight.shape or bias.shape != layer.bias.shape:
                raise ValueError(f"W{k} or b{k} does not fit its layer")
            layer.weight.copy_(weight)
            layer.bias.copy_(bias)
    return model
