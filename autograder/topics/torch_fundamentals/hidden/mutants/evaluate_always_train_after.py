"""Mistake: evaluation ends with model.train() instead of restoring the previous mode, so a model
that was in eval mode (say, being evaluated on two sets in a row) comes back in train mode."""

import torch
import torch.nn.functional as F

CAUGHT_BY = ("evaluate.keeps_eval_mode[float64]",)
CONTRACT = "restores"


def evaluate(model, loader, device=None):
    device = next(model.parameters()).device if device is None else device
    model.eval()
    loss_sum, correct, count = 0.0, 0, 0
    with torch.no_grad():
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            logits = model(x)
            loss_sum += F.cross_entropy(logits, y, reduction="sum").item()
            correct += int((logits.argmax(dim=1) == y).sum().item())
            count += len(y)
    model.train()
    return loss_sum / count, correct / count
