"""Mistake: optimizer.zero_grad() is never called, so loss.backward() adds each batch's gradients
to all the previous ones and every step uses their running sum."""

import torch.nn.functional as F

CAUGHT_BY = ("train_epoch.uneven_last_batch_weighted_mean[float64]",
             "train_epoch.stateful_optimizers[adam-float64]", "train_epoch.large_float32[float32]")


def train_epoch(model, loader, optimizer, device=None):
    device = next(model.parameters()).device if device is None else device
    model.train()
    total, count = 0.0, 0
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(y)
        count += len(y)
    return total / count
