"""Mistake: the warm-up is off by one, base_lr * (t + 1) / W, so the rate is not 0 at t = 0 and
reaches base_lr one step early."""

import math

CAUGHT_BY = ("warmup_cosine_lr.exact_at_start_and_after_the_end",
             "warmup_cosine_lr.at_warmup_end_and_mid_cosine",
             "warmup_cosine_lr.fractional_iterations")
CONTRACT = "edges"


def warmup_cosine_lr(iteration, base_lr, warmup_iters, total_iters, min_lr=0.0):
    if iteration < 0 or warmup_iters < 0 or total_iters <= warmup_iters:
        raise ValueError("bad arguments")
    if iteration < warmup_iters:
        return base_lr * (iteration + 1) / warmup_iters
    if iteration >= total_iters:
        return min_lr
    progress = (iteration - warmup_iters) / (total_iters - warmup_iters)
    return min_lr + (base_lr - min_lr) * (1 + math.cos(math.pi * progress)) / 2
