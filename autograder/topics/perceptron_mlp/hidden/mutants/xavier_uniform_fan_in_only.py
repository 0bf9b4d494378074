"""Mistake: Xavier uniform with fan_in only (LeCun's a = gain * sqrt(3 / fan_in)) instead of
averaging both fans, a = gain * sqrt(6 / (fan_in + fan_out))."""

import math

CAUGHT_BY = ("xavier_uniform.float32_large[float32]", "xavier_uniform.tanh_gain[float64]")


def xavier_uniform(fan_in, fan_out, rng, gain=1.0, dtype=float):
    bound = gain * math.sqrt(3.0 / fan_in)
    return rng.uniform(-bound, bound, size=(fan_out, fan_in)).astype(dtype)
