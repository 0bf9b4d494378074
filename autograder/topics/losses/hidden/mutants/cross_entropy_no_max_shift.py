"""Mistake: the log-sum-exp of cross-entropy without subtracting each row's maximum first:
exp(100) overflows float32 (exp(1000) float64) to inf, and the loss and its gradient become inf
or NaN."""

import torch

CAUGHT_BY = ("cross_entropy.extreme_logits_stable[float32]",
             "cross_entropy.extreme_logits_stable[float64]")
CONTRACT = "edges"


def cross_entropy(logits, target, reduction="mean"):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"unknown reduction {reduction!r}")
    if logits.dim() != 2 or target.shape != logits.shape[:1]:
        raise ValueError(f"logits {tuple(logits.shape)} and target {tuple(target.shape)}")
    log_sum_exp = torch.log(torch.exp(logits).sum(dim=1))
    losses = log_sum_exp - logits.gather(1, target[:, None]).squeeze(1)
    return losses.mean() if reduction == "mean" else losses.sum() if reduction == "sum" \
        else losses
