"""Mistake: np.random.seed(0) at the top of init_params "for reproducibility", while drawing from
rng: the weights are right, but the call re-seeds the global np.random state, which the docstring
forbids ("Use only `rng`: never np.random.randn or np.random.seed")."""

import math

import numpy as np

CAUGHT_BY = ("init_params.draws_only_from_rng",)
CONTRACT = "generator"


def init_params(input_size, hidden_size, output_size, rng):
    np.random.seed(0)
    w1 = rng.standard_normal((input_size, hidden_size)) * math.sqrt(1.0 / input_size)
    w2 = rng.standard_normal((hidden_size, output_size)) * math.sqrt(1.0 / hidden_size)
    return {"W1": w1, "b1": np.zeros(hidden_size), "W2": w2, "b2": np.zeros(output_size)}
