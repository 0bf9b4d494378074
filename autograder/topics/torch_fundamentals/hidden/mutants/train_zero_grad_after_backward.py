"""Mistake: optimizer.zero_grad() sits between loss.backward() and optimizer.step(), so every
step sees zero gradients and the parameters never move (with weight decay they only shrink)."""

import torch.nn.functional as F

CAUGHT_BY = ("train_epoch.uneven_last_batch_weighted_mean[float64]",
             "train_epoch.stateful_optimizers[momentum-float64]")


def train_epoch(model, loader, optimizer, device=None):
    device = next(model.parameters()).device if device is None else device
    model.train()
    total, count = 0.0, 0
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.zero_grad()
        optimizer.step()
        total += loss.item() * len(y)
        count += len(y)
    return total / count
