"""Mistake: the leaky ReLU gain is sqrt(2) whatever the slope, instead of
calculate_gain('leaky_relu', a) = sqrt(2 / (1 + a^2))."""

import math

CAUGHT_BY = ("he_uniform.leaky_relu_fan_out[float64]", "he_normal.leaky_relu_fan_out[float64]")


def _gain(nonlinearity, negative_slope):
    gains = {"linear": 1.0, "sigmoid": 1.0, "tanh": 5.0 / 3.0, "relu": math.sqrt(2.0),
             "leaky_relu": math.sqrt(2.0)}
    if nonlinearity not in gains:
        raise ValueError(f"unknown nonlinearity {nonlinearity!r}")
    return gains[nonlinearity]
