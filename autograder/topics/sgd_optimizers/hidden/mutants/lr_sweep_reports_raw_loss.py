"""Mistake: the sweep reports every final loss as it is, so a diverged run shows nan or a huge
finite number instead of +inf, and max_loss is ignored."""

import torch

CAUGHT_BY = ("lr_sweep.too_large_rate_diverges[quadratic]",
             "lr_sweep.too_large_rate_diverges[rosenbrock]", "lr_sweep.max_loss_threshold")


def lr_sweep(function, start, lrs, steps, momentum=0.0, nesterov=False, max_loss=1e10):
    losses = []
    for lr in lrs:
        path = trajectory(function, start, steps, lr, momentum, nesterov)  # noqa: F821
        with torch.no_grad():
            losses.append(float(function(path[-1])))
    return torch.tensor(losses, dtype=torch.float64, device=start.device)
