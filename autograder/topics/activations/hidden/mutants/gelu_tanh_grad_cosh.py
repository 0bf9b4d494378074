"""Mistake: the tanh-GELU derivative with sech^2(u) written 1 / cosh(u)^2: cosh overflows for
large |u| (a RuntimeWarning), although the value it leads to, 0, is right."""

import numpy as np

CAUGHT_BY = ("gelu_tanh_grad.extremes_no_overflow[float64]",
             "gelu_tanh_grad.extremes_no_overflow[float32]")


def gelu_tanh_grad(x):
    c = 0.7978845608028654
    u = c * (x + 0.044715 * x * x * x)
    return 0.5 * (1.0 + np.tanh(u)) + 0.5 * x / np.cosh(u) ** 2 * c * (1.0 + 0.134145 * x * x)
