"""Mistake: the exact GELU scaled with np.sqrt(2.0), a NumPy float64 scalar: x / np.sqrt(2.0) is
float64 for a float32 x (NumPy 2's promotion), so float32 in gives float64 out, where the rules
say "Float32 in, float32 out" (math.sqrt(2.0), a Python float, keeps float32)."""

import numpy as np
from scipy.special import erf

CAUGHT_BY = ("gelu.float32_large[float32]",)
CONTRACT = "dtypes"


def gelu(x):
    return 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))
