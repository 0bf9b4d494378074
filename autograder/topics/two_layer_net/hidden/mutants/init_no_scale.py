"""Mistake: unscaled standard-normal weights (variance 1 instead of 1 / fan-in): with many inputs
tanh saturates from the start."""

import numpy as np

CAUGHT_BY = ("init_params.matches_reference_float64", "init_params.large_statistics")


def init_params(input_size, hidden_size, output_size, rng):
    w1 = rng.standard_normal((input_size, hidden_size))
    w2 = rng.standard_normal((hidden_size, output_size))
    return {"W1": w1, "b1": np.zeros(hidden_size), "W2": w2, "b2": np.zeros(output_size)}
