"""Mistake: the cosine decays to 0 instead of to the floor min_lr (the floor is only applied
after the end)."""

import math

CAUGHT_BY = ("warmup_cosine_lr.at_warmup_end_and_mid_cosine",
             "warmup_cosine_lr.fractional_iterations", "warmup_cosine_lr.no_warmup")


def warmup_cosine_lr(iteration, base_lr, warmup_iters, total_iters, min_lr=0.0):
    if iteration < 0 or warmup_iters < 0 or total_iters <= warmup_iters:
        raise ValueError("bad arguments")
    if iteration < warmup_iters:
        return base_lr * iteration / warmup_iters
    if iteration >= total_iters:
        return min_lr
    progress = (iteration - warmup_iters) / (total_iters - warmup_iters)
    return base_lr * (1 + math.cos(math.pi * progress)) / 2
