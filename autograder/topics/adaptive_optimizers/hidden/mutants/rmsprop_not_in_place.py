"""Mistake: rmsprop_step returns a new parameter tensor and rebinds state["square_avg"] to a new
tensor instead of updating them in place, so an optimizer built on it would never move the
model's parameters."""

import torch

CAUGHT_BY = ("rmsprop_step.updates_in_place",)
CONTRACT = "returns"


@torch.no_grad()
def rmsprop_step(param, grad, state, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0):
    if not state:
        state["square_avg"] = torch.zeros_like(param)
    if weight_decay != 0:
        grad = grad + weight_decay * param
    state["square_avg"] = alpha * state["square_avg"] + (1 - alpha) * grad * grad
    return param - lr * grad / (state["square_avg"].sqrt() + eps)
