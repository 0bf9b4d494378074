"""Mistake: the weights are drawn first and the init name checked afterwards: an unknown name still
raises ValueError, but only after rng.standard_normal has advanced the caller's generator, where
the docstring says "Raise ValueError for another init name (before drawing anything)"."""

import math

import numpy as np

CAUGHT_BY = ("Linear.rejects_unknown_init_before_drawing",)
CONTRACT = "generator"


_ReferenceLinear = Linear  # noqa: F821 (a mutant is a patch over the reference)


class Linear(_ReferenceLinear):
    def __init__(self, in_features, out_features, rng, init="he"):
        W = rng.standard_normal((in_features, out_features))  # noqa: N806
        if init == "he":
            self.W = W * math.sqrt(2.0 / in_features)
        elif init == "xavier":
            self.W = W * math.sqrt(2.0 / (in_features + out_features))
        else:
            raise ValueError(f"unknown init {init!r}")
        self.b = np.zeros(out_features)
        self.dW = None
        self.db = None
