"""Mistake: the loss returned as NumPy computed it, -np.mean(np.log(picked)), without float(): a
np.float64 (np.float32 for float32 p), where the docstring promises "L as a Python float"."""

import numpy as np

CAUGHT_BY = ("cross_entropy.python_float_inputs_unchanged[float64]",
             "cross_entropy.python_float_inputs_unchanged[float32]")
CONTRACT = "returns"


def cross_entropy(p, y):
    picked = np.clip(p[np.arange(p.shape[0]), y], 1e-12, 1.0)
    return -np.mean(np.log(picked))
