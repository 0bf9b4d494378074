"""Mistake: each array clipped by its own norm instead of all of them by one global norm: the
direction of the whole gradient changes, and the returned norm is the last array's."""

import math

import numpy as np

CAUGHT_BY = ("clip_grad_norm.matches_torch_several_cases[max_norm_1]",
             "clip_grad_norm.large_many_arrays")


def clip_grad_norm(grads, max_norm):
    total = 0.0
    for g in grads:
        total = math.sqrt(float(np.sum(g.astype(np.float64) ** 2)))
        clip_coef = max_norm / (total + 1e-6)
        if clip_coef < 1.0:
            g *= clip_coef
    return total
