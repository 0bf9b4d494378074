"""Mistake: the ELU derivative for x <= 0 is written exp(x), dropping the factor alpha (right
only for the default alpha = 1)."""

import numpy as np

CAUGHT_BY = ("elu_grad.float32_large[float32]", "elu_grad.convention_at_zero[float64]")


def elu_grad(x, alpha=1.0):
    return np.where(x > 0, 1.0, np.exp(np.minimum(x, 0.0))).astype(x.dtype)
