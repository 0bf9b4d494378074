"""Mistake: the previous mode is put back after the loop, not in a finally block: when a batch
raises (a corrupt file, a shape error) the model is left in eval mode, and a training loop that
catches the error and goes on trains with dropout off. The docstring says the mode is restored
"even if something raised"."""

import torch
import torch.nn.functional as F

CAUGHT_BY = ("evaluate.model_left_as_it_came",)
CONTRACT = "restores"


def evaluate(model, loader, device=None):
    device = next(model.parameters()).device if device is None else device
    was_training = model.training
    model.eval()
    loss_sum, correct, count = 0.0, 0, 0
    with torch.no_grad():
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            logits = model(x)
            loss_sum += F.cross_entropy(logits, y, reduction="sum").item()
            correct += int((logits.argmax(dim=1) == y).sum().item())
            count += len(y)
    model.train(was_training)
    return loss_sum / count, correct / count
