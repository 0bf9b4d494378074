"""Mistake: the gradients always rescaled to norm max_norm (g *= max_norm / (norm + 1e-6))
without the min(., 1): gradients below the maximum are scaled up."""

import math

import numpy as np

CAUGHT_BY = ("clip_grad_norm.below_max_unchanged",)
CONTRACT = "edges"


def clip_grad_norm(grads, max_norm):
    total = math.sqrt(sum(float(np.sum(np.square(g, dtype=np.float64))) for g in grads))
    clip_coef = max_norm / (total + 1e-6)
    for g in grads:
        g *= clip_coef
    return total
