"""Mistake: the layer sizes are consumed with widths.pop(0), which empties the caller's list;
the docstring reads widths, it never says it is modified."""

import numpy as np

CAUGHT_BY = ("layer_stds.inputs_unchanged",)
CONTRACT = "unchanged"


def layer_stds(x, widths, activation, init, rng):
    functions = {"relu": lambda z: np.maximum(z, 0.0), "tanh": np.tanh, "linear": lambda z: z}
    if activation not in functions:
        raise ValueError(f"unknown activation {activation!r}")
    h, stds = np.asarray(x, dtype=np.float64), []
    fan_in = widths.pop(0)
    while widths:
        fan_out = widths.pop(0)
        h = functions[activation](h @ init(fan_in, fan_out, rng).T)
        stds.append(float(np.std(h)))
        fan_in = fan_out
    return stds
