"""Mistake: the clipped gradients are put into the list as new arrays (grads[i] = g * clip_coef)
instead of scaling each array in place: the list holds the right values, but the caller's arrays
(a model's gradients) are never clipped, where the docstring says "every g *= clip_coef (in
place)"."""

import math

import numpy as np

CAUGHT_BY = ("clip_grad_norm.scales_the_callers_arrays",)
CONTRACT = "unchanged"


def clip_grad_norm(grads, max_norm):
    total = math.sqrt(sum(float(np.sum(np.square(g, dtype=np.float64))) for g in grads))
    clip_coef = max_norm / (total + 1e-6)
    if clip_coef < 1.0:
        for i, g in enumerate(grads):
            grads[i] = g * clip_coef
    return total
