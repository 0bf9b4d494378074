"""Mistake: |d| written as the branch where(d >= 0, d, -d): the right values, but at a tie
(pred == target) autograd takes the d >= 0 branch and gives gradient +1 instead of sign(0) = 0,
torch's convention."""

import torch

CAUGHT_BY = ("mae_loss.gradient_at_zero[float64]",)
CONTRACT = "edges"


def mae_loss(pred, target, reduction="mean"):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"unknown reduction {reduction!r}")
    if pred.shape != target.shape:
        raise ValueError(f"pred {tuple(pred.shape)} and target {tuple(target.shape)}")
    d = pred - target
    losses = torch.where(d >= 0, d, -d)
    return losses.mean() if reduction == "mean" else losses.sum() if reduction == "sum" \
        else losses
