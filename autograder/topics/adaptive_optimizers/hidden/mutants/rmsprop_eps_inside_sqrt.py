"""Mistake: RMSProp with eps inside the square root, sqrt(v + eps), instead of sqrt(v) + eps:
harmless for large gradients, far off when the gradients are small next to eps."""

import torch

CAUGHT_BY = ("rmsprop_step.eps_outside_sqrt[float64]",)


@torch.no_grad()
def rmsprop_step(param, grad, state, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0):
    if not state:
        state["square_avg"] = torch.zeros_like(param)
    if weight_decay != 0:
        grad = grad + weight_decay * param
    state["square_avg"].mul_(alpha).add_((1 - alpha) * grad * grad)
    param.sub_(lr * grad / (state["square_avg"] + eps).sqrt())
    return param
