"""Mistake: batch normalization always normalises with the current batch's statistics, also at
evaluation, instead of the running estimates."""

import torch

CAUGHT_BY = ("batch_norm.eval_float32[float32]", "BatchNorm1d.train_eval_sequence[float32]")


def batch_norm(x, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    n = x.shape[0]
    if training and n < 2:
        raise ValueError("need more than one sample")
    mean, var = x.mean(dim=0), x.var(dim=0, correction=0)
    if training:
        with torch.no_grad():
            running_mean.mul_(1 - momentum).add_(momentum * mean)
            running_var.mul_(1 - momentum).add_(momentum * var * n / (n - 1))
    y = (x - mean) / torch.sqrt(var + eps)
    return y * (1 if weight is None else weight) + (0 if bias is None else bias)
