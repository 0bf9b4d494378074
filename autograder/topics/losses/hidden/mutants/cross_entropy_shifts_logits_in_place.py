"""Mistake: the max shift of the log-sum-exp done in place, under torch.no_grad() because "the
shift needs no gradient": logits -= logits.amax(dim=1, keepdim=True). The loss and its gradient
are right (the loss does not change when a row is shifted), but the caller's logits are
overwritten: whatever uses them after the loss (accuracy, a second loss, the model's output kept
for logging) sees shifted values. Nothing in the docstring lets the loss modify its arguments."""

import torch

CAUGHT_BY = ("cross_entropy.leaves_arguments_unchanged[float32]",
             "cross_entropy.leaves_arguments_unchanged[float64]")
CONTRACT = "unchanged"


def cross_entropy(logits, target, reduction="mean"):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"unknown reduction {reduction!r}")
    if logits.dim() != 2 or target.shape != logits.shape[:1]:
        raise ValueError(f"logits {tuple(logits.shape)} and target {tuple(target.shape)}")
    with torch.no_grad():
        logits -= logits.amax(dim=1, keepdim=True)
    log_sum_exp = torch.log(torch.exp(logits).sum(dim=1))
    losses = log_sum_exp - logits.gather(1, target[:, None]).squeeze(1)
    return losses.mean() if reduction == "mean" else losses.sum() if reduction == "sum" \
        else losses
