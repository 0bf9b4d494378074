"""Mistake: the number of correct predictions is accumulated as a tensor ((argmax == y).sum()
without .item()), so the accuracy comes back as a 0-d tensor, not the Python float the docstring
promises ("type float, not tensors or NumPy scalars")."""

import torch
import torch.nn.functional as F

CAUGHT_BY = ("evaluate.model_left_as_it_came", "evaluate.restores_train_mode[float64]")
CONTRACT = "returns"


def evaluate(model, loader, device=None):
    device = next(model.parameters()).device if device is None else device
    was_training = model.training
    model.eval()
    loss_sum, correct, count = 0.0, 0, 0
    try:
        with torch.no_grad():
            for x, y in loader:
                x, y = x.to(device), y.to(device)
                logits = model(x)
                loss_sum += F.cross_entropy(logits, y, reduction="sum").item()
                correct += (logits.argmax(dim=1) == y).sum()
                count += len(y)
    finally:
        model.train(was_training)
    return loss_sum / count, correct / count
