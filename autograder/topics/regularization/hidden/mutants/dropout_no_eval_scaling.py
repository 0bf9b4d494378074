"""Mistake: standard dropout returns x unchanged at evaluation, forgetting to scale by the keep
probability (mixing it up with inverted dropout, where evaluation is the identity)."""

import torch

CAUGHT_BY = ("dropout.eval_scales_by_keep_probability[float32]",)


def dropout(x, p, training, generator):
    if not training:
        return x
    keep = torch.rand(x.shape, generator=generator, device=x.device, dtype=x.dtype) >= p
    return x * keep.to(x.dtype)
