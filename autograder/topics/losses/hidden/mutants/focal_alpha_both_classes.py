"""Mistake: focal loss multiplies every element by alpha, positives and negatives alike, instead
of alpha_t = alpha for y = 1 and 1 - alpha for y = 0."""

import torch

CAUGHT_BY = ("focal_loss.alpha_weights_each_class[float64]",
             "focal_loss.reductions_other_shape[float64]")


def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="mean"):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"unknown reduction {reduction!r}")
    if logits.shape != targets.shape:
        raise ValueError(f"logits {tuple(logits.shape)} and targets {tuple(targets.shape)}")
    bce = torch.maximum(logits, torch.zeros_like(logits)) - logits * targets \
        + torch.log1p(torch.exp(-logits.abs()))
    p = torch.sigmoid(logits)
    p_t = p * targets + (1 - p) * (1 - targets)
    losses = bce * (1 - p_t) ** gamma
    if alpha is not None:
        losses = alpha * losses
    return losses.mean() if reduction == "mean" else losses.sum() if reduction == "sum" \
        else losses
