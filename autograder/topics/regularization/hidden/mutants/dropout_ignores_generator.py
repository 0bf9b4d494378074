"""Mistake: the mask comes from the global random state (torch.rand without the generator), so
runs are not reproducible from the given generator."""

import torch

CAUGHT_BY = ("inverted_dropout.uses_the_generator",)
CONTRACT = "generator"


def inverted_dropout(x, p, training, generator):
    if not training:
        return x
    if p == 1.0:
        return x * 0.0
    keep = torch.rand(x.shape, device=x.device, dtype=x.dtype) >= p
    return x * keep.to(x.dtype) / (1.0 - p)
