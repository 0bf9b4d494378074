"""Mistake: p is treated as the keep probability: elements survive with probability p (and are
scaled by 1/p) instead of 1 - p."""

import torch

CAUGHT_BY = ("inverted_dropout.keep_rate_large[float32]",)


def inverted_dropout(x, p, training, generator):
    if not training:
        return x
    if p == 0.0:
        return x * 0.0
    keep = torch.rand(x.shape, generator=generator, device=x.device, dtype=x.dtype) < p
    return x * keep.to(x.dtype) / p
