"""Mistake: no shape check, so pred (N, 1) and target (N,) broadcast to (N, N) and give a wrong
loss silently instead of a ValueError."""

CAUGHT_BY = ("mse_loss.shape_mismatch_raises",)
CONTRACT = "errors"


def mse_loss(pred, target, reduction="mean"):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"unknown reduction {reduction!r}")
    losses = (pred - target) ** 2
    return losses.mean() if reduction == "mean" else losses.sum() if reduction == "sum" \
        else losses
