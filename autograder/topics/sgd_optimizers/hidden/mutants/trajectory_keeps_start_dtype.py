"""Mistake: the trajectory is computed in the start's dtype, so a float32 start gives a float32 path
with float32 rounding, instead of converting the start to float64 first."""

import torch

CAUGHT_BY = ("trajectory.float32_start_gives_float64[float32]",)
CONTRACT = "dtypes"


def trajectory(function, start, steps, lr, momentum=0.0, nesterov=False, weight_decay=0.0):
    if tuple(start.shape) != (2,):
        raise ValueError("start must have shape (2,)")
    point = start.detach().clone().requires_grad_(True)
    optimizer = SGD([point], lr=lr, momentum=momentum, weight_decay=weight_decay,  # noqa: F821
                    nesterov=nesterov)
    points = [point.detach().clone()]
    for _ in range(steps):
        optimizer.zero_grad()
        function(point).backward()
        optimizer.step()
        points.append(point.detach().clone())
    return torch.stack(points)
