"""Mistake: softmax computed in place in the caller's array (x -= max, then exp and divide with
out=x), to save memory: the result is right, but the input is destroyed, and the caller's x (for
example the logits kept for the backward pass) now holds probabilities."""

import numpy as np

CAUGHT_BY = ("softmax.leaves_input_unchanged[float64]",)
CONTRACT = "unchanged"


def softmax(x, axis=-1):
    x -= np.max(x, axis=axis, keepdims=True)
    np.exp(x, out=x)
    x /= np.sum(x, axis=axis, keepdims=True)
    return x
