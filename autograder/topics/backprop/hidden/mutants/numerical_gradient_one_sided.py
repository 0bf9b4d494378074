"""Mistake: a one-sided (forward) difference (f(x + eps e_i) - f(x)) / eps instead of the
central one: its error is about eps * f''/2 instead of eps^2 * f'''/6."""

import numpy as np

CAUGHT_BY = ("numerical_gradient.quadratic_exact_float64",)


def numerical_gradient(f, x, eps=1e-6):
    grad = np.zeros(x.shape, dtype=np.float64)
    base = float(f(x))
    for index in np.ndindex(x.shape):
        saved = x[index]
        x[index] = saved + eps
        plus = float(f(x))
        x[index] = saved
        grad[index] = (plus - base) / eps
    return grad
