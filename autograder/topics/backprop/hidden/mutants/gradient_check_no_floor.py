"""Mistake: the relative error |a - n| / (|a| + |n|) without the floor: entries where both
gradients are 0 give 0 / 0 = NaN (and a NumPy warning)."""

import numpy as np

CAUGHT_BY = ("gradient_check.zero_gradients_no_nan", "gradient_check.matches_formula_float64")


def gradient_check(analytic, numeric, floor=1e-8):
    a, n = np.asarray(analytic, dtype=np.float64), np.asarray(numeric, dtype=np.float64)
    if a.shape != n.shape:
        raise ValueError(f"shapes differ: analytic {a.shape}, numeric {n.shape}")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - n) / (np.abs(a) + np.abs(n))))
