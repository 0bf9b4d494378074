"""Mistake: no shape check of its own: it relies on NumPy to fail on different shapes, which it
does only when they cannot broadcast ((3, 2) and (2, 3)); (6,) against (6, 1) broadcasts to a
(6, 6) table and returns a number, where the docstring says "Raises ValueError: the shapes
differ"."""

import numpy as np

CAUGHT_BY = ("gradient_check.rejects_every_shape_mismatch",)
CONTRACT = "errors"


def gradient_check(analytic, numeric, floor=1e-8):
    a, n = np.asarray(analytic, dtype=np.float64), np.asarray(numeric, dtype=np.float64)
    error = np.abs(a - n) / np.maximum(np.abs(a) + np.abs(n), floor)
    if error.size == 0:
        return 0.0
    return float(np.max(error))
