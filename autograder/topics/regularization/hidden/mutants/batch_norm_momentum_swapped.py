"""Mistake: momentum weights the old running estimate instead of the new batch
(running = momentum * running + (1 - momentum) * batch), the Keras convention, not torch's."""

import torch

CAUGHT_BY = ("batch_norm.noncontiguous_no_affine_momentum[float64]",
             "BatchNorm1d.train_eval_sequence[float32]")


def batch_norm(x, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    if training:
        n = x.shape[0]
        if n < 2:
            raise ValueError("need more than one sample")
        mean, var = x.mean(dim=0), x.var(dim=0, correction=0)
        with torch.no_grad():
            running_mean.mul_(momentum).add_((1 - momentum) * mean)
            running_var.mul_(momentum).add_((1 - momentum) * var * n / (n - 1))
    else:
        mean, var = running_mean, running_var
    y = (x - mean) / torch.sqrt(var + eps)
    return y * (1 if weight is None else weight) + (0 if bias is None else bias)
