"""Mistake: the shape validated with an assert, which raises AssertionError (and disappears under
python -O) where the docstring says "Raises: ValueError: for fewer than 2 dimensions or an empty
batch (N = 0)"."""

import numpy as np

CAUGHT_BY = ("dead_relu_fraction.rejects_bad_shapes[float64]",
             "dead_relu_fraction.rejects_bad_shapes[float32]",
             "dead_relu_fraction.rejects_empty_batch")
CONTRACT = "errors"


def dead_relu_fraction(pre_activations):
    assert pre_activations.ndim >= 2 and pre_activations.shape[0] > 0, "expected (N, *units)"
    return float(np.mean(np.all(pre_activations <= 0, axis=0)))
