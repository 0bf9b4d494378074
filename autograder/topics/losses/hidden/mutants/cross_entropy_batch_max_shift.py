"""Mistake: the log-sum-exp shifted by one maximum for the whole batch, logits.max(), instead of
each row's own: a row far below the batch's largest logit (rows near -100 and +100) has every
exp underflow to 0, and log(0) = -inf. The docstring's m_n is the maximum of row n."""

import torch

CAUGHT_BY = ("cross_entropy.rows_of_different_scale[float32]",
             "cross_entropy.rows_of_different_scale[float64]")
CONTRACT = "edges"


def cross_entropy(logits, target, reduction="mean"):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"unknown reduction {reduction!r}")
    if logits.dim() != 2 or target.shape != logits.shape[:1]:
        raise ValueError(f"logits {tuple(logits.shape)} and target {tuple(target.shape)}")
    shifted = logits - logits.max().detach()
    log_sum_exp = torch.log(torch.exp(shifted).sum(dim=1))
    losses = log_sum_exp - shifted.gather(1, target[:, None]).squeeze(1)
    return losses.mean() if reduction == "mean" else losses.sum() if reduction == "sum" \
        else losses
