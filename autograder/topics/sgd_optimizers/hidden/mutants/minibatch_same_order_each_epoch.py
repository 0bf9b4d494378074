"""Mistake: each call reseeds a fresh generator from the given one's initial seed, so every epoch
comes in the same order instead of a new permutation drawn from the generator."""

import torch

CAUGHT_BY = ("minibatch_indices.each_index_once_per_epoch",)


def minibatch_indices(n, batch_size, generator, shuffle=True, drop_last=False):
    if batch_size < 1 or n < 0:
        raise ValueError("need n >= 0 and batch_size >= 1")
    device = generator.device
    fresh = torch.Generator(device=device).manual_seed(generator.initial_seed())
    order = torch.randperm(n, generator=fresh, device=device) if shuffle \
        else torch.arange(n, device=device)
    stop = n - n % batch_size if drop_last else n
    for start in range(0, stop, batch_size):
        yield order[start:start + batch_size]
