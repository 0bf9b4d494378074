"""Mistake: tanh's derivative 1 - t^2 evaluated on the cached input x, 1 - x^2, instead of on
the output t = tanh(x)."""

import numpy as np

CAUGHT_BY = ("Tanh.finite_differences[float64]", "Tanh.large_noncontiguous_3d[float64]")


class Tanh:
    def forward(self, x):
        self._x = x
        return np.tanh(x)

    def backward(self, grad_out):
        return grad_out * (1.0 - self._x * self._x)
