"""Mistake: inverted dropout also divides by 1 - p at evaluation, scaling the activations up
twice over."""

import torch

CAUGHT_BY = ("inverted_dropout.eval_identity_any_p[float32]",
             "inverted_dropout.eval_identity_any_p[float64]")


def inverted_dropout(x, p, training, generator):
    if p == 1.0:
        return x * 0.0
    if not training:
        return x / (1.0 - p)
    keep = torch.rand(x.shape, generator=generator, device=x.device, dtype=x.dtype) >= p
    return x * keep.to(x.dtype) / (1.0 - p)
