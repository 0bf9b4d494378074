"""Mistake: the vector-Jacobian product built in the caller's upstream array (upstream -= ...,
then upstream *= s) to save an allocation: dL/dx is right, but the caller's dL/ds is destroyed
(and the result aliases it), although the function only computes a gradient and nothing in the
docstring allows modifying an argument."""

import numpy as np

CAUGHT_BY = ("softmax_vjp.leaves_inputs_unchanged[float64]",)
CONTRACT = "unchanged"


def softmax_vjp(x, upstream, axis=-1):
    s = softmax(x, axis)  # noqa: F821 (the reference's softmax, in the same namespace)
    upstream -= np.sum(upstream * s, axis=axis, keepdims=True)
    upstream *= s
    return upstream
