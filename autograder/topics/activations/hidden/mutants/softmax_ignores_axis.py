"""Mistake: softmax always normalises over the last axis, whatever axis it is given (the common
(N, C) case hides it)."""

import numpy as np

CAUGHT_BY = ("softmax.axis_0_3d[float64]", "softmax.axis_1_noncontiguous[float64]")


def softmax(x, axis=-1):
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)
