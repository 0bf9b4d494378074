"""Mistake: evaluation switches to eval mode but forgets torch.no_grad(), so every forward pass
records an autograd graph (memory and time wasted, and a later backward could reach it)."""

import torch.nn.functional as F

CAUGHT_BY = ("evaluate.no_grad_batch_of_one[float64]", "evaluate.keeps_eval_mode[float64]")


def evaluate(model, loader, device=None):
    device = next(model.parameters()).device if device is None else device
    was_training = model.training
    model.eval()
    loss_sum, correct, count = 0.0, 0, 0
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        logits = model(x)
        loss_sum += F.cross_entropy(logits, y, reduction="sum").item()
        correct += int((logits.argmax(dim=1) == y).sum().item())
        count += len(y)
    model.train(was_training)
    return loss_sum / count, correct / count
