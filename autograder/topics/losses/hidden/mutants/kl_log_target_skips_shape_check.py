"""Mistake: kl_div checks the shapes only on the log_target=False path; with log_target=True it
computes exp(t) * (t - log_q) unchecked, so log_q (4, 3) and a target (4, 1) broadcast silently
and (2, 6) against (3, 4) fail with torch's RuntimeError. The docstring's ValueError for shapes
that differ holds in every mode."""

import torch

CAUGHT_BY = ("kl_div.rejects_invalid_inputs[float32]", "kl_div.rejects_invalid_inputs[float64]")
CONTRACT = "errors"


def kl_div(log_q, target, reduction="mean", log_target=False):
    if reduction not in ("mean", "sum", "none", "batchmean"):
        raise ValueError(f"unknown reduction {reduction!r}")
    if log_target:
        losses = torch.exp(target) * (target - log_q)
    else:
        if log_q.shape != target.shape:
            raise ValueError(f"log_q {tuple(log_q.shape)} and target {tuple(target.shape)} "
                             "must have the same shape")
        losses = torch.xlogy(target, target) - target * log_q
    if reduction == "batchmean":
        return losses.sum() / log_q.shape[0]
    return losses.mean() if reduction == "mean" else losses.sum() if reduction == "sum" \
        else losses
