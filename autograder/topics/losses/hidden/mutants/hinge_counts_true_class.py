"""Mistake: the multi-class hinge sums max(0, 1 - x_y + x_i) over every class, the true one
included, which adds max(0, 1) = 1 (1/C after the division) to every sample."""

import torch

CAUGHT_BY = ("multi_margin_loss.reductions_other_shape[float64]",
             "multi_margin_loss.two_classes[float64]")


def multi_margin_loss(logits, target, reduction="mean"):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"unknown reduction {reduction!r}")
    if logits.dim() != 2 or target.shape != logits.shape[:1]:
        raise ValueError(f"logits {tuple(logits.shape)} and target {tuple(target.shape)}")
    margins = torch.relu(1.0 - logits.gather(1, target[:, None]) + logits)
    losses = margins.sum(dim=1) / logits.shape[1]
    return losses.mean() if reduction == "mean" else losses.sum() if reduction == "sum" \
        else losses
