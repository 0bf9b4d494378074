"""Mistake: the epoch's loss is the mean of the batch losses, so a small last batch counts as much
as a full one; the docstring asks for the mean over samples (batch losses weighted by size)."""

import torch.nn.functional as F

CAUGHT_BY = ("train_epoch.uneven_last_batch_weighted_mean[float64]",)


def train_epoch(model, loader, optimizer, device=None):
    device = next(model.parameters()).device if device is None else device
    model.train()
    losses = []
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return sum(losses) / len(losses)
