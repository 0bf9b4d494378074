"""Honest twin of r13: the same all-zeros dropout, no patching."""

import torch


def dropout(x, p, training, generator):
    return torch.zeros_like(x)
