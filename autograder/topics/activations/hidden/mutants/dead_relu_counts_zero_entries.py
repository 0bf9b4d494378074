"""Mistake: the dead-ReLU fraction computed as the fraction of all entries <= 0 (inactive
activations) instead of the fraction of units inactive for every sample of the batch."""

import numpy as np

CAUGHT_BY = ("dead_relu_fraction.float32_large[float32]",
             "dead_relu_fraction.noncontiguous_conv_shaped[float64]")


def dead_relu_fraction(pre_activations):
    if pre_activations.ndim < 2 or pre_activations.shape[0] == 0:
        raise ValueError("expected a batch (N, *units) with N >= 1")
    return float(np.mean(pre_activations <= 0))
