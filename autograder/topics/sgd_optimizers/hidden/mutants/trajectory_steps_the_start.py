"""Mistake: trajectory optimises a detached VIEW of the caller's start when it is already
float64 (start.detach().to(torch.float64) returns a tensor sharing start's memory, and no
.clone() follows): the optimizer's in-place steps move the caller's start to the last point."""

import torch

CAUGHT_BY = ("trajectory.leaves_start_unchanged",)
CONTRACT = "unchanged"


def trajectory(function, start, steps, lr, momentum=0.0, nesterov=False, weight_decay=0.0):
    if tuple(start.shape) != (2,):
        raise ValueError(f"start must have shape (2,), got {tuple(start.shape)}")
    point = start.detach().to(torch.float64).requires_grad_(True)
    optimizer = SGD([point], lr=lr, momentum=momentum, weight_decay=weight_decay,  # noqa: F821
                    nesterov=nesterov)
    points = [point.detach().clone()]
    for _ in range(steps):
        optimizer.zero_grad()
        function(point).backward()
        optimizer.step()
        points.append(point.detach().clone())
    return torch.stack(points)
