"""Mistake: the loss summed over the batch instead of averaged (no 1 / N)."""

import numpy as np

CAUGHT_BY = ("cross_entropy.float32_large[float32]", "train.loss_history_float64")


def cross_entropy(p, y):
    picked = np.clip(p[np.arange(p.shape[0]), y], 1e-12, 1.0)
    return float(-np.sum(np.log(picked)))
