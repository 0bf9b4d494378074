"""Mistake: no hold after the end: the cosine formula is used for every t >= W, so past
total_iters the rate climbs back up from min_lr."""

import math

CAUGHT_BY = ("warmup_cosine_lr.exact_at_start_and_after_the_end",
             "warmup_cosine_lr.fractional_iterations")


def warmup_cosine_lr(iteration, base_lr, warmup_iters, total_iters, min_lr=0.0):
    if iteration < 0 or warmup_iters < 0 or total_iters <= warmup_iters:
        raise ValueError("bad arguments")
    if iteration < warmup_iters:
        return base_lr * iteration / warmup_iters
    progress = (iteration - warmup_iters) / (total_iters - warmup_iters)
    return min_lr + (base_lr - min_lr) * (1 + math.cos(math.pi * progress)) / 2
