"""Mistake (mean over the wrong dimensions): cross-entropy as the mean of -one_hot * log_probs
over the whole (N, C) array, which divides by N * C instead of by the N samples."""

import torch

CAUGHT_BY = ("cross_entropy.reductions_other_shape[float64]",
             "cross_entropy.batch_of_one[float64]")


def cross_entropy(logits, target, reduction="mean"):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"unknown reduction {reduction!r}")
    if logits.dim() != 2 or target.shape != logits.shape[:1]:
        raise ValueError(f"logits {tuple(logits.shape)} and target {tuple(target.shape)}")
    shifted = logits - logits.amax(dim=1, keepdim=True).detach()
    log_probs = shifted - torch.log(torch.exp(shifted).sum(dim=1, keepdim=True))
    classes = torch.arange(logits.shape[1], device=logits.device)
    terms = -log_probs * (classes == target[:, None]).to(logits.dtype)  # (N, C)
    if reduction == "none":
        return terms.sum(dim=1)
    return terms.sum() if reduction == "sum" else terms.mean()
