"""Mistake: the output softmax as exp(z2) / sum(exp(z2)) without subtracting each row's maximum:
logits of a few hundred overflow np.exp to inf, and inf / inf gives NaN."""

import numpy as np

CAUGHT_BY = ("forward.extreme_logits_no_overflow[float64]",)
CONTRACT = "edges"


def _softmax_rows(z):
    e = np.exp(z)
    return e / np.sum(e, axis=1, keepdims=True)
