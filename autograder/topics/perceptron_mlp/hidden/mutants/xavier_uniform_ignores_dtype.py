"""Mistake: Xavier uniform returns rng.uniform's float64 draw as it is and forgets the dtype
argument, so a float32 request gets float64 weights ("W of shape (fan_out, fan_in) and the given
dtype")."""

import math

CAUGHT_BY = ("xavier_uniform.float32_large[float32]",)
CONTRACT = "dtypes"


def xavier_uniform(fan_in, fan_out, rng, gain=1.0, dtype=float):
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-bound, bound, size=(fan_out, fan_in))
