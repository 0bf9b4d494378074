"""Mistake: ReLU applied to the caller's pre-activations in place (np.maximum(..., out=...)) to
find the units whose output is always 0: the fraction is right, but pre_activations, which the
caller still needs, now holds relu(z) with every negative entry overwritten by 0."""

import numpy as np

CAUGHT_BY = ("dead_relu_fraction.leaves_input_unchanged[float64]",)
CONTRACT = "unchanged"


def dead_relu_fraction(pre_activations):
    if pre_activations.ndim < 2 or pre_activations.shape[0] == 0:
        raise ValueError("expected a batch (N, *units) with N >= 1")
    np.maximum(pre_activations, 0.0, out=pre_activations)
    return float(np.mean(np.all(pre_activations == 0, axis=0)))
