"""5-04's "as F" losses computed by torch.nn.functional itself. The argument checks the
docstrings add to torch's (same shapes, nothing broadcast; the reduction's name) stay the
reference's own helpers, defined above this patch."""

import warnings

import torch.nn.functional as F


def mse_loss(pred, target, reduction="mean"):
    _check_reduction(reduction)  # noqa: F821 (the reference's, above this patch)
    _check_same_shape(pred, target, ("pred", "target"))  # noqa: F821
    return F.mse_loss(pred, target, reduction=reduction)


def mae_loss(pred, target, reduction="mean"):
    _check_reduction(reduction)  # noqa: F821
    _check_same_shape(pred, target, ("pred", "target"))  # noqa: F821
    return F.l1_loss(pred, target, reduction=reduction)


def huber_loss(pred, target, delta=1.0, reduction="mean"):
    _check_reduction(reduction)  # noqa: F821
    _check_same_shape(pred, target, ("pred", "target"))  # noqa: F821
    return F.huber_loss(pred, target, reduction=reduction, delta=delta)


def kl_div(log_q, target, reduction="mean", log_target=False):
    _check_reduction(reduction, ("mean", "sum", "none", "batchmean"))  # noqa: F821
    _check_same_shape(log_q, target, ("log_q", "target"))  # noqa: F821
    with warnings.catch_warnings():  # torch's notice that "mean" is not "batchmean"
        warnings.simplefilter("ignore")
        return F.kl_div(log_q, target, reduction=reduction, log_target=log_target)
