"""Mistake: dW = grad_out.T @ x, the transpose of the right product: shape (out_features,
in_features) instead of W's (in_features, out_features)."""

import math

import numpy as np

CAUGHT_BY = ("Linear.noncontiguous_input[float64]", "Linear.large_batch_sums_over_samples[float64]")


_ReferenceLinear = Linear  # noqa: F821 (a mutant is a patch over the reference)


class Linear(_ReferenceLinear):
    def __init__(self, in_features, out_features, rng, init="he"):
        stds = {"he": math.sqrt(2.0 / in_features),
                "xavier": math.sqrt(2.0 / (in_features + out_features))}
        if init not in stds:
            raise ValueError(f"unknown init {init!r}")
        self.W = rng.standard_normal((in_features, out_features)) * stds[init]
        self.b = np.zeros(out_features)
        self.dW = None
        self.db = None

    def backward(self, grad_out):
        self.dW = grad_out.T @ self._x
        self.db = np.sum(grad_out, axis=0)
        return grad_out @ self.W.T
