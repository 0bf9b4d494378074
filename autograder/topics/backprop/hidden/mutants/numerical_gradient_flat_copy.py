"""Mistake: the entries perturbed through flat = x.reshape(-1): for a non-contiguous x that is a
copy, so f(x) never sees the perturbation and every difference is 0."""

import numpy as np

CAUGHT_BY = ("numerical_gradient.noncontiguous_3d_float64",)


def numerical_gradient(f, x, eps=1e-6):
    flat = x.reshape(-1)
    grad = np.zeros(flat.shape, dtype=np.float64)
    for i in range(flat.size):
        saved = flat[i]
        flat[i] = saved + eps
        plus = float(f(x))
        flat[i] = saved - eps
        minus = float(f(x))
        flat[i] = saved
        grad[i] = (plus - minus) / (2.0 * eps)
    return grad.reshape(x.shape)
