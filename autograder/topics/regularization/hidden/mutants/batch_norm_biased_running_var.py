"""Mistake: the running variance is updated with the biased batch variance (divided by N), not
the unbiased one (divided by N - 1) that torch keeps."""

import torch

CAUGHT_BY = ("batch_norm.batch_of_two[float64]", "BatchNorm1d.train_eval_sequence[float32]")


def batch_norm(x, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    if training:
        if x.shape[0] < 2:
            raise ValueError("need more than one sample")
        mean, var = x.mean(dim=0), x.var(dim=0, correction=0)
        with torch.no_grad():
            running_mean.mul_(1 - momentum).add_(momentum * mean)
            running_var.mul_(1 - momentum).add_(momentum * var)
    else:
        mean, var = running_mean, running_var
    y = (x - mean) / torch.sqrt(var + eps)
    return y * (1 if weight is None else weight) + (0 if bias is None else bias)
