"""Mistake (a shortcut): cross-entropy built on torch.logsumexp, the library's stable
log-sum-exp, which this topic asks the student to write."""

import torch

CAUGHT_BY = ("cross_entropy.no_library_shortcut",)


def cross_entropy(logits, target, reduction="mean"):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"unknown reduction {reduction!r}")
    if logits.dim() != 2 or target.shape != logits.shape[:1]:
        raise ValueError(f"logits {tuple(logits.shape)} and target {tuple(target.shape)}")
    losses = torch.logsumexp(logits, dim=1) - logits.gather(1, target[:, None]).squeeze(1)
    return losses.mean() if reduction == "mean" else losses.sum() if reduction == "sum" \
        else losses
