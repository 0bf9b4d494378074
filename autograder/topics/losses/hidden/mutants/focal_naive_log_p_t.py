"""Mistake: focal loss written from the paper's formula, -alpha_t (1 - p_t)^gamma log(p_t), with
p_t from sigmoid: for a logit of +100 with target 0 (or -100 with target 1) p_t rounds to 0, so
log(p_t) = -inf and the loss is inf. The docstring builds it on the stable bce_with_logits:
finite values and gradients for any finite logits."""

import torch

CAUGHT_BY = ("focal_loss.extreme_logits_stable[float32]",
             "focal_loss.extreme_logits_stable[float64]")
CONTRACT = "edges"


def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="mean"):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"unknown reduction {reduction!r}")
    if logits.shape != targets.shape:
        raise ValueError(f"logits {tuple(logits.shape)} and targets {tuple(targets.shape)} must "
                         "have the same shape")
    p = torch.sigmoid(logits)
    p_t = p * targets + (1 - p) * (1 - targets)
    losses = -(1 - p_t) ** gamma * torch.log(p_t)
    if alpha is not None:
        losses = (alpha * targets + (1 - alpha) * (1 - targets)) * losses
    return losses.mean() if reduction == "mean" else losses.sum() if reduction == "sum" \
        else losses
