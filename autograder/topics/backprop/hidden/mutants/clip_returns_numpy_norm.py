"""Mistake: the norm is computed with NumPy (np.sqrt of a NumPy sum) and returned as it is, a
NumPy float64 scalar, where the docstring says "total_norm before clipping, as a Python float"."""

import numpy as np

CAUGHT_BY = ("clip_grad_norm.scales_the_callers_arrays",)
CONTRACT = "returns"


def clip_grad_norm(grads, max_norm):
    total = np.sqrt(sum(np.sum(g.astype(np.float64) ** 2) for g in grads))
    clip_coef = max_norm / (total + 1e-6)
    if clip_coef < 1.0:
        for g in grads:
            g *= clip_coef
    return total
