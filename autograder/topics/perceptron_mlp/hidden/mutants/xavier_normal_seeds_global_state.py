"""Mistake: to make the draw "reproducible from the generator", the global state is seeded from
it (np.random.seed(rng.integers(...))) and the weights come from np.random.normal. The same seed
still gives the same weights, but the global random state is re-seeded and drawn from, which the
rules forbid ("never np.random.seed, np.random.rand or the global state")."""

import math

import numpy as np

CAUGHT_BY = ("xavier_normal.leaves_global_state_alone",)
CONTRACT = "generator"


def xavier_normal(fan_in, fan_out, rng, gain=1.0, dtype=float):
    std = gain * math.sqrt(2.0 / (fan_in + fan_out))
    np.random.seed(int(rng.integers(2**32)))
    return np.random.normal(0.0, std, size=(fan_out, fan_in)).astype(dtype)
