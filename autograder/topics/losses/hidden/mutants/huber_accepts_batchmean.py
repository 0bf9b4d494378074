"""Mistake: huber_loss reuses a reducer written for kl_div, so it accepts reduction="batchmean"
(the sum divided by the batch size) instead of raising ValueError: its docstring allows only
"mean", "sum" and "none", and "any other value raises ValueError naming it"."""

import torch

CAUGHT_BY = ("huber_loss.rejects_invalid_inputs[float32]",
             "huber_loss.rejects_invalid_inputs[float64]")
CONTRACT = "errors"


def huber_loss(pred, target, delta=1.0, reduction="mean"):
    if reduction not in ("mean", "sum", "none", "batchmean"):
        raise ValueError(f"unknown reduction {reduction!r}")
    if pred.shape != target.shape:
        raise ValueError(f"pred {tuple(pred.shape)} and target {tuple(target.shape)} must have "
                         "the same shape")
    d = pred - target
    losses = torch.where(d.abs() < delta, 0.5 * d * d, delta * (d.abs() - 0.5 * delta))
    if reduction == "batchmean":
        return losses.sum() / pred.shape[0]
    return losses.mean() if reduction == "mean" else losses.sum() if reduction == "sum" \
        else losses
