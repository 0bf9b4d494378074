"""Mistake: -mean(log(p[arange(N), y])) without clipping: a probability of exactly 0 gives
log(0) = -inf (a divide-by-zero warning) and an infinite loss."""

import numpy as np

CAUGHT_BY = ("cross_entropy.probability_zero_clipped[float64]",)
CONTRACT = "edges"


def cross_entropy(p, y):
    return float(-np.mean(np.log(p[np.arange(p.shape[0]), y])))
