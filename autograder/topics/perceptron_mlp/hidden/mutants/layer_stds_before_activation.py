"""Mistake: layer_stds reports the std of each layer's pre-activations z = h @ W.T instead of its
activations act(z)."""

import itertools

import numpy as np

CAUGHT_BY = ("layer_stds.float64_tanh_xavier", "layer_stds.large_he_relu")


def layer_stds(x, widths, activation, init, rng):
    functions = {"relu": lambda z: np.maximum(z, 0.0), "tanh": np.tanh, "linear": lambda z: z}
    if activation not in functions:
        raise ValueError(f"unknown activation {activation!r}")
    h, stds = np.asarray(x, dtype=np.float64), []
    for fan_in, fan_out in itertools.pairwise(widths):
        z = h @ init(fan_in, fan_out, rng).T
        stds.append(float(np.std(z)))
        h = functions[activation](z)
    return stds
