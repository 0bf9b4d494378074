"""Mistake (CS336's form, the wrong rate): AdamW decays after the update by the bias-corrected
step size, theta -= lr_t * weight_decay * theta, where the decay takes the plain lr."""

import math

import torch

CAUGHT_BY = ("adamw_step.decoupled_vs_coupled[float64]",
             "AdamW.state_dict_round_trip[float64]")


@torch.no_grad()
def adamw_step(param, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    beta1, beta2 = betas
    if not state:
        state.update(step=0, exp_avg=torch.zeros_like(param),
                     exp_avg_sq=torch.zeros_like(param))
    state["step"] += 1
    t = state["step"]
    m, v = state["exp_avg"], state["exp_avg_sq"]
    m.mul_(beta1).add_((1 - beta1) * grad)
    v.mul_(beta2).add_((1 - beta2) * grad * grad)
    lr_t = lr * math.sqrt(1 - beta2**t) / (1 - beta1**t)
    param.sub_(lr_t * m / (v.sqrt() + eps))
    param.sub_(lr_t * weight_decay * param)
    return param
