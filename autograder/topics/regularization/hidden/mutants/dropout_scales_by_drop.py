"""Mistake: standard dropout scales by p, the drop probability, at evaluation instead of 1 - p."""

import torch

CAUGHT_BY = ("dropout.eval_scales_by_keep_probability[float32]",)


def dropout(x, p, training, generator):
    if not training:
        return x * p
    keep = torch.rand(x.shape, generator=generator, device=x.device, dtype=x.dtype) >= p
    return x * keep.to(x.dtype)
