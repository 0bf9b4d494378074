"""Mistake: layer normalization computes its statistics over the batch dimension (dim 0), as
batch norm does, instead of over each sample's last dimensions."""

import torch

CAUGHT_BY = ("layer_norm.noncontiguous_no_affine[float64]",
             "layer_norm.large_float32_int_shape[float32]")


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    if tuple(x.shape[-len(shape):]) != shape:
        raise ValueError("shape mismatch")
    mean = x.mean(dim=0, keepdim=True)
    var = x.var(dim=0, keepdim=True, correction=0)
    y = (x - mean) / torch.sqrt(var + eps)
    return y * (1 if weight is None else weight) + (0 if bias is None else bias)
