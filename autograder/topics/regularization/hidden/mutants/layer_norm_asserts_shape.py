"""Mistake: the shape test is an assert, so a mismatch raises AssertionError (and nothing at all
under python -O); the docstring says ValueError if x's trailing dimensions do not equal
normalized_shape."""

import torch

CAUGHT_BY = ("layer_norm.shape_mismatch_raises", "layer_norm.errors_and_inputs_untouched[float32]")
CONTRACT = "errors"


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    assert tuple(x.shape[-len(shape):]) == shape, "x does not end with normalized_shape"
    dims = tuple(range(-len(shape), 0))
    mean = x.mean(dim=dims, keepdim=True)
    var = x.var(dim=dims, keepdim=True, correction=0)
    y = (x - mean) / torch.sqrt(var + eps)
    if weight is not None:
        y = y * weight
    if bias is not None:
        y = y + bias
    return y
