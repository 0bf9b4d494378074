"""Mistake: the permutation is drawn from the global random state (torch.randperm(n)) instead of
the generator given, so runs are not reproducible from the generator's seed."""

import torch

CAUGHT_BY = ("minibatch_indices.uses_the_generator", "minibatch_indices.keeps_partial_last_batch")
CONTRACT = "generator"


def minibatch_indices(n, batch_size, generator, shuffle=True, drop_last=False):
    if batch_size < 1 or n < 0:
        raise ValueError("need n >= 0 and batch_size >= 1")
    device = generator.device
    order = torch.randperm(n, device=device) if shuffle else torch.arange(n, device=device)
    stop = n - n % batch_size if drop_last else n
    for start in range(0, stop, batch_size):
        yield order[start:start + batch_size]
