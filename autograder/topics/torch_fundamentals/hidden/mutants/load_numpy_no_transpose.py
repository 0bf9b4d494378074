"""Mistake: W_k is copied into nn.Linear's weight without the transpose, reshaped to fit
(weight.copy_(W.reshape(weight.shape))): the shapes agree but the values land in the wrong
places (for a square W the reshape does nothing at all)."""

import numpy as np
import torch
from torch import nn

CAUGHT_BY = ("load_numpy_weights.square_layers[float64]",
             "load_numpy_weights.large_float32[float32]")


def load_numpy_weights(model, params):
    layers = [m for m in model.modules() if isinstance(m, nn.Linear)]
    if len(params) != 2 * len(layers):
        raise ValueError("params do not match the model's layers")
    with torch.no_grad():
        for k, layer in enumerate(layers, start=1):
            weight = torch.as_tensor(np.asarray(params[f"W{k}"]))
            layer.weight.copy_(weight.reshape(layer.weight.shape))
            layer.bias.copy_(torch.as_tensor(np.asarray(params[f"b{k}"])))
    return model
