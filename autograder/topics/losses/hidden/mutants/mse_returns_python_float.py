"""Mistake: the reduced MSE returned as a Python number, float(losses.mean()), "because a loss is
a number": the docstring promises a 0-dim tensor for "mean" and "sum", and a float carries no
autograd graph, so loss.backward() is impossible."""

CAUGHT_BY = ("mse_loss.returns_documented_tensor[float32]",
             "mse_loss.returns_documented_tensor[float64]")
CONTRACT = "returns"


def mse_loss(pred, target, reduction="mean"):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"unknown reduction {reduction!r}")
    if pred.shape != target.shape:
        raise ValueError(f"pred {tuple(pred.shape)} and target {tuple(target.shape)} must have "
                         "the same shape")
    losses = (pred - target) ** 2
    if reduction == "mean":
        return float(losses.mean())
    if reduction == "sum":
        return float(losses.sum())
    return losses
