"""Mistake: layer normalization divides by the unbiased variance (torch.var's default,
correction 1) instead of the biased one that F.layer_norm uses."""

import torch

CAUGHT_BY = ("layer_norm.batch_of_one[float64]", "layer_norm.gradients_match_F[float64]")


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    if tuple(x.shape[-len(shape):]) != shape:
        raise ValueError("shape mismatch")
    dims = tuple(range(-len(shape), 0))
    mean = x.mean(dim=dims, keepdim=True)
    var = x.var(dim=dims, keepdim=True)
    y = (x - mean) / torch.sqrt(var + eps)
    return y * (1 if weight is None else weight) + (0 if bias is None else bias)
