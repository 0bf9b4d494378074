"""Mistake: the parameter gradients averaged over the batch (x.T @ grad_out / N and
grad_out.mean(0)) instead of summed: the mean loss's 1 / N is then applied twice."""

import math

import numpy as np

CAUGHT_BY = ("Linear.large_batch_sums_over_samples[float64]",
             "MLP.finite_differences_away_from_kinks[float64]")


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
        n = grad_out.shape[0]
        self.dW = self._x.T @ grad_out / n
        self.db = np.mean(grad_out, axis=0)
        return grad_out @ self.W.T
