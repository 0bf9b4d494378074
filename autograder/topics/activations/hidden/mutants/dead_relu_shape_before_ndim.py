"""Mistake: the empty batch tested before the number of dimensions, `shape[0] == 0 or ndim < 2`:
right for 1-d arrays, but a 0-d array has no shape[0], so it raises IndexError where the docstring
says ValueError "for fewer than 2 dimensions" (0 is fewer than 2)."""

import numpy as np

CAUGHT_BY = ("dead_relu_fraction.rejects_bad_shapes[float64]",
             "dead_relu_fraction.rejects_bad_shapes[float32]")
CONTRACT = "errors"


def dead_relu_fraction(pre_activations):
    if pre_activations.shape[0] == 0 or pre_activations.ndim < 2:
        raise ValueError("expected a batch (N, *units) with N >= 1")
    return float(np.mean(np.all(pre_activations <= 0, axis=0)))
