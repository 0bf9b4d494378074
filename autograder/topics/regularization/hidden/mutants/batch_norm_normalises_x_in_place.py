"""Mistake: batch norm saves memory by normalising x in place (x -= mean; x /= std). The output
is right, but the caller's input tensor is overwritten; the docstring lets batch_norm update
only running_mean and running_var in place (and only in training)."""

import torch

CAUGHT_BY = ("batch_norm.updates_only_the_running_statistics[float64]",)
CONTRACT = "unchanged"


def batch_norm(x, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    if x.dim() != 2:
        raise ValueError("batch_norm expects x of shape (N, C)")
    if training:
        n = x.shape[0]
        if n < 2:
            raise ValueError("batch_norm in training needs more than one sample")
        mean, var = x.mean(dim=0), x.var(dim=0, correction=0)
        with torch.no_grad():
            running_mean.mul_(1.0 - momentum).add_(momentum * mean)
            running_var.mul_(1.0 - momentum).add_(momentum * var * (n / (n - 1)))
    else:
        mean, var = running_mean, running_var
    if x.requires_grad:
        x = x.clone()
    x -= mean
    x /= torch.sqrt(var + eps)
    if weight is not None:
        x = x * weight
    if bias is not None:
        x = x + bias
    return x
