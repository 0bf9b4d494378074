"""Mistake: RMSProp keeps a running average of the gradient g (with its sign) instead of g^2, and
takes the square root of its magnitude."""

import torch

CAUGHT_BY = ("rmsprop_step.many_steps_weight_decay[float64]",
             "rmsprop_step.noncontiguous_param[float64]", "rmsprop_step.long_run_float32[float32]")


@torch.no_grad()
def rmsprop_step(param, grad, state, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0):
    if not state:
        state["square_avg"] = torch.zeros_like(param)
    if weight_decay != 0:
        grad = grad + weight_decay * param
    state["square_avg"].mul_(alpha).add_((1 - alpha) * grad)
    param.sub_(lr * grad / (state["square_avg"].abs().sqrt() + eps))
    return param
