"""init_params scaled by dividing by sqrt(fan-in) instead of multiplying by sqrt(1 / fan-in): the
same formula, a different last bit in some weights."""

import math

import numpy as np


def init_params(input_size, hidden_size, output_size, rng):
    w1 = rng.standard_normal((input_size, hidden_size)) / math.sqrt(input_size)
    w2 = rng.standard_normal((hidden_size, output_size)) / np.sqrt(hidden_size)
    return {"W1": w1, "b1": np.zeros(hidden_size), "W2": w2, "b2": np.zeros(output_size)}
