"""Mistake: He initialisation with std sqrt(1 / in_features) (LeCun's, for tanh) instead of
sqrt(2 / in_features): ReLU halves the signal's variance and the 2 is what makes up for it."""

import math

import numpy as np

CAUGHT_BY = ("Linear.init_matches_formula_float64", "MLP.init_he_matches_formula_float64")


_ReferenceLinear = Linear  # noqa: F821 (a mutant is a patch over the reference)


class Linear(_ReferenceLinear):
    def __init__(self, in_features, out_features, rng, init="he"):
        stds = {"he": math.sqrt(1.0 / in_features),
                "xavier": math.sqrt(2.0 / (in_features + out_features))}
        if init not in stds:
            raise ValueError(f"unknown init {init!r}")
        self.W = rng.standard_normal((in_features, out_features)) * stds[init]
        self.b = np.zeros(out_features)
        self.dW = None
        self.db = None
