"""Mistake: the true class's score picked with logits.gather(1, target.unsqueeze_(1)): the in-place
unsqueeze_ turns the caller's target (N,) into (N, 1), so the next call with the same target (the
next batch's loss, an evaluation) is rejected or misread. The loss must leave its arguments as
they were."""

import torch

CAUGHT_BY = ("multi_margin_loss.leaves_arguments_unchanged[float32]",
             "multi_margin_loss.leaves_arguments_unchanged[float64]")
CONTRACT = "unchanged"


def multi_margin_loss(logits, target, reduction="mean"):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"unknown reduction {reduction!r}")
    if logits.dim() != 2 or target.shape != logits.shape[:1]:
        raise ValueError(f"logits {tuple(logits.shape)} and target {tuple(target.shape)}")
    true_score = logits.gather(1, target.unsqueeze_(1))
    margins = torch.relu(1.0 - true_score + logits)
    classes = torch.arange(logits.shape[1], device=logits.device)
    margins = torch.where(classes == target, 0.0, margins)
    losses = margins.sum(dim=1) / logits.shape[1]
    return losses.mean() if reduction == "mean" else losses.sum() if reduction == "sum" \
        else losses
