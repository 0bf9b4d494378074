"""Mistake: He normal always divides by sqrt(fan_in), ignoring mode='fan_out'."""

import math

CAUGHT_BY = ("he_normal.leaky_relu_fan_out[float64]",)


def he_normal(fan_in, fan_out, rng, nonlinearity="relu", negative_slope=0.0, mode="fan_in",
              dtype=float):
    gains = {"linear": 1.0, "sigmoid": 1.0, "tanh": 5.0 / 3.0, "relu": math.sqrt(2.0),
             "leaky_relu": math.sqrt(2.0 / (1.0 + negative_slope**2))}
    std = gains[nonlinearity] / math.sqrt(fan_in)
    return rng.normal(0.0, std, size=(fan_out, fan_in)).astype(dtype)
