"""Mistake: evaluation runs under torch.no_grad() but never calls model.eval(), so dropout stays
on and the loss and accuracy are random."""

import torch
import torch.nn.functional as F

CAUGHT_BY = ("evaluate.restores_train_mode[float64]", "evaluate.large_float32[float32]")


def evaluate(model, loader, device=None):
    device = next(model.parameters()).device if device is None else device
    loss_sum, correct, count = 0.0, 0, 0
    with torch.no_grad():
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            logits = model(x)
            loss_sum += F.cross_entropy(logits, y, reduction="sum").item()
            correct += int((logits.argmax(dim=1) == y).sum().item())
            count += len(y)
    return loss_sum / count, correct / count
