"""Mistake (CS336's order, one factor dropped): AdamW decays after the Adam update by
theta -= weight_decay * theta, without the learning rate (the decay is lr * weight_decay)."""

import torch

CAUGHT_BY = ("adamw_step.decoupled_vs_coupled[float64]",
             "AdamW.matches_torch_over_500_steps[float64]")


@torch.no_grad()
def adamw_step(param, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    _adam_update(param, grad, state, lr, betas, eps)  # noqa: F821
    param.sub_(weight_decay * param)
    return param
