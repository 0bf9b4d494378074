"""Mistake: He uniform uses the normal std gain / sqrt(fan) as the bound, forgetting that U(-a, a)
has std a / sqrt(3), so a = sqrt(3) * std."""

import math

CAUGHT_BY = ("he_uniform.float32_large[float32]", "he_uniform.tanh_gain[float64]",
             "he_uniform.leaky_relu_fan_out[float64]")


def he_uniform(fan_in, fan_out, rng, nonlinearity="relu", negative_slope=0.0, mode="fan_in",
               dtype=float):
    gains = {"linear": 1.0, "sigmoid": 1.0, "tanh": 5.0 / 3.0, "relu": math.sqrt(2.0),
             "leaky_relu": math.sqrt(2.0 / (1.0 + negative_slope**2))}
    bound = gains[nonlinearity] / math.sqrt(fan_in if mode == "fan_in" else fan_out)
    return rng.uniform(-bound, bound, size=(fan_out, fan_in)).astype(dtype)
