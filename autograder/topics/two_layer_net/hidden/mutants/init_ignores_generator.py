"""Mistake: the weights drawn from the global state (np.random.randn) instead of the generator
argument: not reproducible from the seed, and different from the reference's draws."""

import math

import numpy as np

CAUGHT_BY = ("init_params.uses_the_generator", "init_params.matches_reference_float64")
CONTRACT = "generator"


def init_params(input_size, hidden_size, output_size, rng):
    w1 = np.random.randn(input_size, hidden_size) * math.sqrt(1.0 / input_size)
    w2 = np.random.randn(hidden_size, output_size) * math.sqrt(1.0 / hidden_size)
    return {"W1": w1, "b1": np.zeros(hidden_size), "W2": w2, "b2": np.zeros(output_size)}
