"""Mistake: the velocity starts at zero instead of the gradient, and the parameter moves with the
old velocity before the gradient is added to it, so the first step does not move w at all."""

import torch

CAUGHT_BY = ("momentum_step.first_step_buffer_is_gradient[float64]",)
CONTRACT = "edges"


def momentum_step(param, grad, velocity, lr, momentum=0.9, weight_decay=0.0):
    g = grad + weight_decay * param if weight_decay != 0 else grad
    if velocity is None:
        velocity = torch.zeros_like(param)
    new_param = param - lr * velocity
    return new_param, momentum * velocity + g
