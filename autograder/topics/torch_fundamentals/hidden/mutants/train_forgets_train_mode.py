"""Mistake: model.train() is never called, so a model handed over in eval mode (after evaluate)
trains with dropout switched off."""

import torch.nn.functional as F

CAUGHT_BY = ("train_epoch.sets_train_mode_for_dropout[float64]",)


def train_epoch(model, loader, optimizer, device=None):
    device = next(model.parameters()).device if device is None else device
    total, count = 0.0, 0
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(y)
        count += len(y)
    return total / count
