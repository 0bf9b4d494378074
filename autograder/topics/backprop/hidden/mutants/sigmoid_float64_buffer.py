"""Mistake: the stable sigmoid fills a buffer made with np.empty(x.shape), which is float64
whatever x is: float32 x gives a float64 output and gradient, where the conventions say float32
inputs give float32 results."""

import numpy as np

CAUGHT_BY = ("Sigmoid.float32_keeps_dtype[float32]",)
CONTRACT = "dtypes"


_ReferenceSigmoid = Sigmoid  # noqa: F821 (a mutant is a patch over the reference)


class Sigmoid(_ReferenceSigmoid):
    def forward(self, x):
        s = np.empty(x.shape)
        positive = x >= 0
        s[positive] = 1.0 / (1.0 + np.exp(-x[positive]))
        e = np.exp(x[~positive])
        s[~positive] = e / (1.0 + e)
        self._s = s
        return s
