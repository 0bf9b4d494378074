"""Mistake: the KL divergence with its distributions swapped, KL(q || p) = sum q (log q - log p),
where F.kl_div(log_q, p) computes KL(p || q) = sum p (log p - log q)."""

import torch

CAUGHT_BY = ("kl_div.reductions_other_shape[float64]", "kl_div.batchmean[float64]")


def kl_div(log_q, target, reduction="mean", log_target=False):
    if reduction not in ("mean", "sum", "none", "batchmean"):
        raise ValueError(f"unknown reduction {reduction!r}")
    if log_q.shape != target.shape:
        raise ValueError(f"log_q {tuple(log_q.shape)} and target {tuple(target.shape)}")
    log_p = target if log_target else torch.log(target)
    losses = torch.exp(log_q) * (log_q - log_p)
    if reduction == "batchmean":
        return losses.sum() / log_q.shape[0]
    return losses.mean() if reduction == "mean" else losses.sum() if reduction == "sum" \
        else losses
