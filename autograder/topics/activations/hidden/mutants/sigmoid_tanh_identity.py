"""Mistake: the sigmoid through the identity sigmoid(x) = (1 + tanh(x / 2)) / 2. It never
overflows, but for large negative x it adds 1 to almost -1 and rounds the tiny result to 0
(sigmoid(-40) ~ 4e-18 comes out as 0)."""

import numpy as np

CAUGHT_BY = ("sigmoid.large_negative_relative[float64]",
             "sigmoid_grad.large_negative_relative[float64]")


def sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))
