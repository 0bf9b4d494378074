"""Mistake: the denominator max(|a|, |n|, floor) (another common convention) instead of the
stated max(|a| + |n|, floor): errors come out up to twice as large."""

import numpy as np

CAUGHT_BY = ("gradient_check.matches_formula_float64", "gradient_check.large_float64")


def gradient_check(analytic, numeric, floor=1e-8):
    a, n = np.asarray(analytic, dtype=np.float64), np.asarray(numeric, dtype=np.float64)
    if a.shape != n.shape:
        raise ValueError(f"shapes differ: analytic {a.shape}, numeric {n.shape}")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - n) / np.maximum(np.maximum(np.abs(a), np.abs(n)), floor)))
