"""Mistake: the mode is read as fan_in if mode == "fan_in" else fan_out, so any other string
(a typo, "fan_avg") silently uses fan_out instead of raising the documented ValueError."""

import math

CAUGHT_BY = ("he_uniform.rejects_unknown_names",)
CONTRACT = "errors"


def he_uniform(fan_in, fan_out, rng, nonlinearity="relu", negative_slope=0.0, mode="fan_in",
               dtype=float):
    fan = fan_in if mode == "fan_in" else fan_out
    gain = _gain(nonlinearity, negative_slope)  # noqa: F821 (the reference's _gain)
    bound = math.sqrt(3.0) * gain / math.sqrt(fan)
    return rng.uniform(-bound, bound, size=(fan_out, fan_in)).astype(dtype)
