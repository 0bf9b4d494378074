"""Mistake: warmup_cosine_lr computes the cosine with np.cos and np.pi, so it returns a NumPy
float64 scalar (and min_lr or base_lr * t / W unconverted elsewhere); the docstring promises
"the learning rate as a Python float"."""

import numpy as np

CAUGHT_BY = ("warmup_cosine_lr.returns_a_python_float",)
CONTRACT = "returns"


def warmup_cosine_lr(iteration, base_lr, warmup_iters, total_iters, min_lr=0.0):
    if iteration < 0 or warmup_iters < 0 or total_iters <= warmup_iters:
        raise ValueError("need iteration >= 0 and 0 <= warmup_iters < total_iters")
    if iteration < warmup_iters:
        return base_lr * iteration / warmup_iters
    if iteration >= total_iters:
        return min_lr
    progress = (iteration - warmup_iters) / (total_iters - warmup_iters)
    return min_lr + (base_lr - min_lr) * (1.0 + np.cos(np.pi * progress)) / 2.0
