"""Mistake: the zero probabilities clipped in the caller's array, p[p < EPS] = EPS, before
picking: the loss is right, but p is modified ("Never modify an argument in place"), so the
caller's probabilities (forward's cache["p"], used by backward) silently change."""

import numpy as np

CAUGHT_BY = ("cross_entropy.python_float_inputs_unchanged[float64]",
             "cross_entropy.python_float_inputs_unchanged[float32]")
CONTRACT = "unchanged"


def cross_entropy(p, y):
    p[p < 1e-12] = 1e-12
    return float(-np.mean(np.log(p[np.arange(p.shape[0]), y])))
