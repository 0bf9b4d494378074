"""Mistake: MAE computed in float64 "for accuracy" and never cast back, so float32 inputs give a
float64 loss (and twice the memory on a GPU)."""

CAUGHT_BY = ("mae_loss.large_float32[float32]",)
CONTRACT = "dtypes"


def mae_loss(pred, target, reduction="mean"):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"unknown reduction {reduction!r}")
    if pred.shape != target.shape:
        raise ValueError(f"pred {tuple(pred.shape)} and target {tuple(target.shape)}")
    losses = (pred.double() - target.double()).abs()
    return losses.mean() if reduction == "mean" else losses.sum() if reduction == "sum" \
        else losses
