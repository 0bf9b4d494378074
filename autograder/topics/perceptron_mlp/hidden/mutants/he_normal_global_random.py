"""Mistake: He normal draws from NumPy's global state (np.random.normal) instead of the rng it
is given ("rng: a np.random.Generator; draw from it only"), so a run is not reproducible from
the generator's seed."""

import numpy as np

CAUGHT_BY = ("he_normal.uses_the_generator", "he_normal.leaves_global_state_alone")
CONTRACT = "generator"


def he_normal(fan_in, fan_out, rng, nonlinearity="relu", negative_slope=0.0, mode="fan_in",
              dtype=float):
    std = _he_std(fan_in, fan_out, nonlinearity, negative_slope, mode)  # noqa: F821 (the reference's)
    return np.random.normal(0.0, std, size=(fan_out, fan_in)).astype(dtype)
