"""Mistake: x restored by adding and subtracting eps again (x[i] += eps, x[i] -= 2 eps,
x[i] += eps) instead of assigning the saved value back: rounding leaves some entries of x
different in the last bit after the call."""

import numpy as np

CAUGHT_BY = ("numerical_gradient.restores_x_exactly",)
CONTRACT = "unchanged"


def numerical_gradient(f, x, eps=1e-6):
    grad = np.zeros(x.shape, dtype=np.float64)
    for index in np.ndindex(x.shape):
        x[index] += eps
        plus = float(f(x))
        x[index] -= 2.0 * eps
        minus = float(f(x))
        x[index] += eps
        grad[index] = (plus - minus) / (2.0 * eps)
    return grad
