"""Mistake: binary cross-entropy written straight from its definition,
-[y log(sigmoid(x)) + (1 - y) log(1 - sigmoid(x))]: sigmoid(x) rounds to exactly 1 for large x
(and to 0 for very negative x), so a log sees 0 and the loss is inf or NaN."""

import torch

CAUGHT_BY = ("bce_with_logits.extreme_logits_stable[float32]",
             "bce_with_logits.extreme_logits_stable[float64]")
CONTRACT = "edges"


def bce_with_logits(logits, targets, reduction="mean"):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"unknown reduction {reduction!r}")
    if logits.shape != targets.shape:
        raise ValueError(f"logits {tuple(logits.shape)} and targets {tuple(targets.shape)}")
    p = torch.sigmoid(logits)
    losses = -(targets * torch.log(p) + (1 - targets) * torch.log(1 - p))
    return losses.mean() if reduction == "mean" else losses.sum() if reduction == "sum" \
        else losses
