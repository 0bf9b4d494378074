"""Mistake: inverted dropout drops elements but never divides the kept ones by 1 - p, so the
expected activation shrinks in training."""

import torch

CAUGHT_BY = ("inverted_dropout.expectation_preserved", "inverted_dropout.keep_rate_large[float32]")


def inverted_dropout(x, p, training, generator):
    if not training:
        return x
    keep = torch.rand(x.shape, generator=generator, device=x.device, dtype=x.dtype) >= p
    return x * keep.to(x.dtype)
