"""Mistake: the keys are never compared with the model's layers; each layer just reads
params[f"W{k}"], so a missing key raises KeyError (not the documented ValueError) and extra keys
(a deeper network's W3, b3) are silently ignored."""

import numpy as np
import torch
from torch import nn

CAUGHT_BY = ("load_numpy_weights.rejects_mismatched_params",
             "load_numpy_weights.leaves_arguments_as_documented")
CONTRACT = "errors"


def load_numpy_weights(model, params):
    layers = [m for m in model.modules() if isinstance(m, nn.Linear)]
    pairs = []
    for k, layer in enumerate(layers, start=1):
        weight = torch.as_tensor(np.asarray(params[f"W{k}"])).T
        bias = torch.as_tensor(np.asarray(params[f"b{k}"]))
        if weight.shape != layer.weight.shape or bias.shape != layer.bias.shape:
            raise ValueError(f"W{k} or b{k} does not fit its layer")
        pairs.append((layer, weight, bias))
    with torch.no_grad():
        for layer, weight, bias in pairs:
            layer.weight.copy_(weight)
            layer.bias.copy_(bias)
    return model
