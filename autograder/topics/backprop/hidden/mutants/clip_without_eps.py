"""Mistake: clipping by max_norm / total_norm when total_norm > max_norm, without torch's
+ 1e-6 in the denominator: the clipped gradients differ from clip_grad_norm_'s by a relative
1e-6 / total_norm."""

import math

import numpy as np

CAUGHT_BY = ("clip_grad_norm.matches_torch_several_cases[max_norm_1]",
             "clip_grad_norm.matches_torch_several_cases[max_norm_0.1]")


def clip_grad_norm(grads, max_norm):
    total = math.sqrt(sum(float(np.sum(np.square(g, dtype=np.float64))) for g in grads))
    if total > max_norm:
        for g in grads:
            g *= max_norm / total
    return total
