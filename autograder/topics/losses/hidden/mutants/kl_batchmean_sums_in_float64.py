"""Mistake: batchmean accumulates the sum in float64 "for accuracy",
losses.sum(dtype=torch.float64) / N, and never casts back: float32 inputs give a float64 loss for
batchmean (the other reductions keep float32). The docstring: the result has log_q's dtype."""

import torch

CAUGHT_BY = ("kl_div.returns_documented_tensor[float32]",)
CONTRACT = "dtypes"


def kl_div(log_q, target, reduction="mean", log_target=False):
    if reduction not in ("mean", "sum", "none", "batchmean"):
        raise ValueError(f"unknown reduction {reduction!r}")
    if log_q.shape != target.shape:
        raise ValueError(f"log_q {tuple(log_q.shape)} and target {tuple(target.shape)} must "
                         "have the same shape")
    if log_target:
        losses = torch.exp(target) * (target - log_q)
    else:
        losses = torch.xlogy(target, target) - target * log_q
    if reduction == "batchmean":
        return losses.sum(dtype=torch.float64) / log_q.shape[0]
    return losses.mean() if reduction == "mean" else losses.sum() if reduction == "sum" \
        else losses
