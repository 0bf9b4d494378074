"""Mistake: the linear piece of the Huber loss written as delta * |d| - 0.5, the delta = 1
constant, instead of delta * (|d| - 0.5 * delta): right for delta = 1 only, and the two pieces no
longer meet at |d| = delta."""

import torch

CAUGHT_BY = ("huber_loss.other_delta[delta_0.2]", "huber_loss.other_delta[delta_1.5]",
             "huber_loss.reductions_other_shape[float64]")


def huber_loss(pred, target, delta=1.0, reduction="mean"):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"unknown reduction {reduction!r}")
    if pred.shape != target.shape:
        raise ValueError(f"pred {tuple(pred.shape)} and target {tuple(target.shape)}")
    d = pred - target
    losses = torch.where(d.abs() < delta, 0.5 * d * d, delta * d.abs() - 0.5)
    return losses.mean() if reduction == "mean" else losses.sum() if reduction == "sum" \
        else losses
