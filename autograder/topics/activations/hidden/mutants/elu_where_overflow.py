"""Mistake: ELU as np.where(x > 0, x, alpha * (exp(x) - 1)). np.where evaluates exp(x) for every
element, so large positive inputs overflow (a RuntimeWarning) even though that branch is then
discarded."""

import numpy as np

CAUGHT_BY = ("elu.extremes_no_overflow[float64]", "elu.extremes_no_overflow[float32]")
CONTRACT = "edges"


def elu(x, alpha=1.0):
    return np.where(x > 0, x, alpha * (np.exp(x) - 1.0))
