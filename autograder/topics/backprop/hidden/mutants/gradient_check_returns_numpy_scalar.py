"""Mistake: the maximum is returned as np.max gives it, a NumPy float64 scalar, and empty arrays
give the int 0, where the docstring says "A Python float in [0, 1] (0.0 for empty arrays)"."""

import numpy as np

CAUGHT_BY = ("gradient_check.returns_python_float_inputs_unchanged",)
CONTRACT = "returns"


def gradient_check(analytic, numeric, floor=1e-8):
    a, n = np.asarray(analytic, dtype=np.float64), np.asarray(numeric, dtype=np.float64)
    if a.shape != n.shape:
        raise ValueError(f"shapes differ: analytic {a.shape}, numeric {n.shape}")
    if a.size == 0:
        return 0
    return np.max(np.abs(a - n) / np.maximum(np.abs(a) + np.abs(n), floor))
