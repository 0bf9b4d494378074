"""Mistake: the focal factor written as p_t^gamma instead of (1 - p_t)^gamma, which weights the
easy, confident examples up instead of down."""

import torch

CAUGHT_BY = ("focal_loss.down_weights_easy_examples",)


def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="mean"):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"unknown reduction {reduction!r}")
    if logits.shape != targets.shape:
        raise ValueError(f"logits {tuple(logits.shape)} and targets {tuple(targets.shape)}")
    bce = torch.maximum(logits, torch.zeros_like(logits)) - logits * targets \
        + torch.log1p(torch.exp(-logits.abs()))
    p = torch.sigmoid(logits)
    p_t = p * targets + (1 - p) * (1 - targets)
    losses = bce * p_t ** gamma
    if alpha is not None:
        losses = (alpha * targets + (1 - alpha) * (1 - targets)) * losses
    return losses.mean() if reduction == "mean" else losses.sum() if reduction == "sum" \
        else losses
