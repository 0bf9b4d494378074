"""Mistake: backward adds to the stored gradients (dW += ..., as torch's .grad accumulates)
instead of overwriting them, so a second backward returns the sum of both calls' gradients."""

import math

import numpy as np

CAUGHT_BY = ("Linear.second_backward_overwrites[float64]", "train.loss_history_float64")


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
        if self.dW is None:
            self.dW, self.db = np.zeros_like(self.W), np.zeros_like(self.b)
        self.dW = self.dW + self._x.T @ grad_out
        self.db = self.db + np.sum(grad_out, axis=0)
        return grad_out @ self.W.T
