"""Mistake: the running total adds the loss tensor (loss * B) instead of loss.item() * B, so the
function returns a tensor and keeps every batch's autograd graph alive until the epoch ends."""

import torch.nn.functional as F

CAUGHT_BY = ("train_epoch.batch_of_one[float64]", "train_epoch.default_device[float64]")
CONTRACT = "returns"


def train_epoch(model, loader, optimizer, device=None):
    device = next(model.parameters()).device if device is None else device
    model.train()
    total, count = 0.0, 0
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        total = total + loss * len(y)
        count += len(y)
    return total / count
