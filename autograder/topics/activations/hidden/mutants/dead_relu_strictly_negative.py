"""Mistake: a unit counts as dead only when its pre-activations are all strictly negative
(z < 0), although relu'(0) = 0 means a unit stuck at exactly 0 passes no gradient either."""

import numpy as np

CAUGHT_BY = ("dead_relu_fraction.zeros_are_dead[float64]",)
CONTRACT = "edges"


def dead_relu_fraction(pre_activations):
    if pre_activations.ndim < 2 or pre_activations.shape[0] == 0:
        raise ValueError("expected a batch (N, *units) with N >= 1")
    return float(np.mean(np.all(pre_activations < 0, axis=0)))
