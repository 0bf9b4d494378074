"""Mistake: p * (log p - log q) written directly: where p = 0, log p = -inf and 0 * -inf = NaN,
instead of the convention 0 log 0 = 0 (torch.xlogy)."""

import torch

CAUGHT_BY = ("kl_div.zero_target_probabilities[float64]",)
CONTRACT = "edges"


def kl_div(log_q, target, reduction="mean", log_target=False):
    if reduction not in ("mean", "sum", "none", "batchmean"):
        raise ValueError(f"unknown reduction {reduction!r}")
    if log_q.shape != target.shape:
        raise ValueError(f"log_q {tuple(log_q.shape)} and target {tuple(target.shape)}")
    if log_target:
        losses = torch.exp(target) * (target - log_q)
    else:
        losses = target * (torch.log(target) - log_q)
    if reduction == "batchmean":
        return losses.sum() / log_q.shape[0]
    return losses.mean() if reduction == "mean" else losses.sum() if reduction == "sum" \
        else losses
