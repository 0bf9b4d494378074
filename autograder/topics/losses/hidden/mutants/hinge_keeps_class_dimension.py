"""Mistake: the per-sample hinge summed with keepdim=True, margins.sum(dim=1, keepdim=True) / C,
so reduction "none" returns an (N, 1) tensor instead of the documented (N,) (mean and sum are
unaffected). An (N, 1) loss broadcasts against an (N,) weight into (N, N) downstream."""

import torch

CAUGHT_BY = ("multi_margin_loss.returns_documented_tensor[float32]",
             "multi_margin_loss.returns_documented_tensor[float64]")
CONTRACT = "returns"


def multi_margin_loss(logits, target, reduction="mean"):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"unknown reduction {reduction!r}")
    if logits.dim() != 2 or target.shape != logits.shape[:1]:
        raise ValueError(f"logits {tuple(logits.shape)} and target {tuple(target.shape)}")
    true_score = logits.gather(1, target[:, None])
    margins = torch.relu(1.0 - true_score + logits)
    classes = torch.arange(logits.shape[1], device=logits.device)
    margins = torch.where(classes == target[:, None], 0.0, margins)
    losses = margins.sum(dim=1, keepdim=True) / logits.shape[1]
    return losses.mean() if reduction == "mean" else losses.sum() if reduction == "sum" \
        else losses
