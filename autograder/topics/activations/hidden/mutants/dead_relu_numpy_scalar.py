"""Mistake: the fraction returned as np.mean(dead), a NumPy float64 scalar, without float(): the
value is right, but the docstring promises "The fraction as a Python float", and a NumPy scalar is
not one (type(...) is np.float64, which JSON logging and `type(f) is float` tests reject)."""

import numpy as np

CAUGHT_BY = ("dead_relu_fraction.returns_a_python_float[float64]",
             "dead_relu_fraction.returns_a_python_float[float32]")
CONTRACT = "returns"


def dead_relu_fraction(pre_activations):
    if pre_activations.ndim < 2 or pre_activations.shape[0] == 0:
        raise ValueError("expected a batch (N, *units) with N >= 1")
    return np.mean(np.all(pre_activations <= 0, axis=0))
