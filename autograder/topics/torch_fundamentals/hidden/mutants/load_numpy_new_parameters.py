"""Mistake: every layer gets a brand-new nn.Parameter built from the NumPy array (float64), instead
of copying into the existing parameter: the dtype changes, and an optimizer created before the
load still holds the old, now unused, parameters."""

import numpy as np
import torch
from torch import nn

CAUGHT_BY = ("load_numpy_weights.in_place_keeps_parameters",)
CONTRACT = "dtypes"


def load_numpy_weights(model, params):
    layers = [m for m in model.modules() if isinstance(m, nn.Linear)]
    if set(params) != {f"{kind}{k}" for k in range(1, len(layers) + 1) for kind in "Wb"}:
        raise ValueError("params do not match the model's layers")
    for k, layer in enumerate(layers, start=1):
        weight = torch.as_tensor(np.asarray(params[f"W{k}"])).T
        if weight.shape != layer.weight.shape:
            raise ValueError(f"W{k} does not fit its layer")
    for k, layer in enumerate(layers, start=1):
        weight = torch.as_tensor(np.asarray(params[f"W{k}"])).T
        layer.weight = nn.Parameter(weight.to(layer.weight.device).contiguous())
        layer.bias = nn.Parameter(torch.as_tensor(np.asarray(params[f"b{k}"])).to(
            layer.bias.device))
    return model
