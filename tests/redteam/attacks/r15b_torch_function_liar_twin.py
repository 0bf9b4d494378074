"""Honest twin of r15b: the same unbiased-variance layer_norm, computed eagerly, a plain tensor."""

import torch


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    if len(shape) > x.dim() or tuple(x.shape[x.dim() - len(shape):]) != shape:
        raise ValueError(f"x of shape {tuple(x.shape)} does not end with {shape}")
    dims = tuple(range(-len(shape), 0))
    mean = x.mean(dim=dims, keepdim=True)
    y = (x - mean) / torch.sqrt(x.var(dim=dims, keepdim=True, correction=1) + eps)
    if weight is not None:
        y = y * weight
    return y + bias if bias is not None else y
