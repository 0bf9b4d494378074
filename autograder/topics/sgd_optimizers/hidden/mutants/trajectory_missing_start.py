"""Mistake: the trajectory records the point after each step but not the start, so it has steps
rows instead of steps + 1 and row 0 is already one step in."""

import torch

CAUGHT_BY = ("trajectory.start_point_and_length[plain]",
             "trajectory.start_point_and_length[momentum]")


def trajectory(function, start, steps, lr, momentum=0.0, nesterov=False, weight_decay=0.0):
    if tuple(start.shape) != (2,):
        raise ValueError("start must have shape (2,)")
    point = start.detach().to(torch.float64).clone().requires_grad_(True)
    optimizer = SGD([point], lr=lr, momentum=momentum, weight_decay=weight_decay,  # noqa: F821
                    nesterov=nesterov)
    points = []
    for _ in range(steps):
        optimizer.zero_grad()
        function(point).backward()
        optimizer.step()
        points.append(point.detach().clone())
    return torch.stack(points) if points else torch.zeros((0, 2), dtype=torch.float64)
