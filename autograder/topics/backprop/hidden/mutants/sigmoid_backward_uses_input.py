"""Mistake: sigmoid's derivative s * (1 - s) evaluated on the cached input x, x * (1 - x),
instead of on the output s = sigmoid(x)."""

import numpy as np

CAUGHT_BY = ("Sigmoid.finite_differences[float64]", "Sigmoid.large_noncontiguous_3d[float64]")


class Sigmoid:
    def forward(self, x):
        self._x = x
        e = np.exp(-np.abs(x))
        return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))

    def backward(self, grad_out):
        return grad_out * self._x * (1.0 - self._x)
