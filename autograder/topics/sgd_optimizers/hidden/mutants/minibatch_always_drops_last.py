"""Mistake: the iterator stops at the last full batch whatever drop_last says, so the last, shorter
batch is lost even when it should be kept."""

import torch

CAUGHT_BY = ("minibatch_indices.keeps_partial_last_batch",
             "minibatch_indices.each_index_once_per_epoch")


def minibatch_indices(n, batch_size, generator, shuffle=True, drop_last=False):
    if batch_size < 1 or n < 0:
        raise ValueError("need n >= 0 and batch_size >= 1")
    device = generator.device
    order = torch.randperm(n, generator=generator, device=device) if shuffle \
        else torch.arange(n, device=device)
    for start in range(0, n - batch_size + 1, batch_size):
        yield order[start:start + batch_size]
