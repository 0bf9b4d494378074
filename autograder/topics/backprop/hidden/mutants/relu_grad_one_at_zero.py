"""Mistake: the ReLU gradient passes where x >= 0, so relu'(0) = 1 instead of torch's 0."""

import numpy as np

CAUGHT_BY = ("ReLU.convention_at_zero[float64]",)
CONTRACT = "edges"


_ReferenceReLU = ReLU  # noqa: F821 (a mutant is a patch over the reference)


class ReLU(_ReferenceReLU):
    def forward(self, x):
        self._positive = x >= 0
        return np.maximum(x, 0)
