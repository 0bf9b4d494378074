"""Mistake: the loss is the mean of the batch means (F.cross_entropy's default reduction per batch,
averaged), so a last batch of one sample weighs as much as a full batch."""

import torch
import torch.nn.functional as F

CAUGHT_BY = ("evaluate.uneven_last_batch_weighted_mean[float64]",)


def evaluate(model, loader, device=None):
    device = next(model.parameters()).device if device is None else device
    was_training = model.training
    model.eval()
    losses, correct, count = [], 0, 0
    with torch.no_grad():
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            logits = model(x)
            losses.append(F.cross_entropy(logits, y).item())
            correct += int((logits.argmax(dim=1) == y).sum().item())
            count += len(y)
    model.train(was_training)
    return sum(losses) / len(losses), correct / count
