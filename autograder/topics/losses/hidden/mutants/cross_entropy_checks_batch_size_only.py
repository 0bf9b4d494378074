"""Mistake: cross_entropy validates only that logits and target have the same batch size
(logits.shape[0] == target.shape[0]). The docstring says (N, C, d1, ...) logits, class-probability
targets and any shapes other than (N, C) and (N,) raise ValueError: here (4, 3, 2) logits with a
(4, 2) target give a per-position loss silently, a (4, 3) probability target or a (4, 1) target
fail inside gather with a RuntimeError, and unbatched (3,) logits with a 0-dim target with an
IndexError."""

import torch

CAUGHT_BY = ("cross_entropy.rejects_invalid_inputs[float32]",
             "cross_entropy.rejects_invalid_inputs[float64]")
CONTRACT = "errors"


def cross_entropy(logits, target, reduction="mean"):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"unknown reduction {reduction!r}")
    if logits.shape[0] != target.shape[0]:
        raise ValueError(f"logits {tuple(logits.shape)} and target {tuple(target.shape)} have "
                         "different batch sizes")
    shifted = logits - logits.amax(dim=1, keepdim=True).detach()
    log_sum_exp = torch.log(torch.exp(shifted).sum(dim=1))
    losses = log_sum_exp - shifted.gather(1, target[:, None]).squeeze(1)
    return losses.mean() if reduction == "mean" else losses.sum() if reduction == "sum" \
        else losses
