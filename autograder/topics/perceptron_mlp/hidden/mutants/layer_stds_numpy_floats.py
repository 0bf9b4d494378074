"""Mistake: each layer's std is appended as np.std returns it, a np.float64, while the docstring
promises "A list of L Python floats"."""

import itertools

import numpy as np

CAUGHT_BY = ("layer_stds.python_floats",)
CONTRACT = "returns"


def layer_stds(x, widths, activation, init, rng):
    functions = {"relu": lambda z: np.maximum(z, 0.0), "tanh": np.tanh, "linear": lambda z: z}
    if activation not in functions:
        raise ValueError(f"unknown activation {activation!r}")
    h, stds = np.asarray(x, dtype=np.float64), []
    for fan_in, fan_out in itertools.pairwise(widths):
        h = functions[activation](h @ init(fan_in, fan_out, rng).T)
        stds.append(np.std(h))
    return stds
