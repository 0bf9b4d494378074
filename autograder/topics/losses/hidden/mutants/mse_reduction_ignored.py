"""Mistake: the reduction argument is validated but ignored: the loss is always the mean."""

CAUGHT_BY = ("mse_loss.reductions_other_shape[float64]", "mse_loss.batch_of_one[float64]")


def mse_loss(pred, target, reduction="mean"):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"unknown reduction {reduction!r}")
    if pred.shape != target.shape:
        raise ValueError(f"pred {tuple(pred.shape)} and target {tuple(target.shape)}")
    return ((pred - target) ** 2).mean()
