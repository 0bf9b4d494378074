"""Mistake: the exact GELU implemented with the tanh approximation (the form many blog posts
show), which differs from x * Phi(x) by up to about 5e-4."""

import numpy as np

CAUGHT_BY = ("gelu.float32_large[float32]", "gelu.noncontiguous_defaults[float64]")


def gelu(x):
    return 0.5 * x * (1.0 + np.tanh(0.7978845608028654 * (x + 0.044715 * x**3)))
