"""Mistake: softmax as exp(x) / sum(exp(x)) without subtracting the maximum first: exp(1000)
overflows to inf and inf / inf gives NaN."""

import numpy as np

CAUGHT_BY = ("softmax.extremes_no_overflow[float64]", "softmax.shift_invariance[float64]")


def softmax(x, axis=-1):
    e = np.exp(x)
    return e / np.sum(e, axis=axis, keepdims=True)
