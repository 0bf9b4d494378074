"""CS336 assignment 1's AdamW (Algorithm 1): alpha_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t),
theta -= alpha_t * m / (sqrt(v) + eps), then theta -= lr * wd * theta; Adam in the same efficient
form."""

import math

import torch


def _adam_update(param, grad, state, lr, betas, eps):
    beta1, beta2 = betas
    if not state:
        state.update(step=0, exp_avg=torch.zeros_like(param),
                     exp_avg_sq=torch.zeros_like(param))
    state["step"] += 1
    t = state["step"]
    m, v = state["exp_avg"], state["exp_avg_sq"]
    m.mul_(beta1).add_((1 - beta1) * grad)
    v.mul_(beta2).add_((1 - beta2) * grad**2)
    alpha_t = lr * math.sqrt(1 - beta2**t) / (1 - beta1**t)
    param.sub_(alpha_t * m / (torch.sqrt(v) + eps))
    return param


@torch.no_grad()
def adamw_step(param, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    _adam_update(param, grad, state, lr, betas, eps)
    param.sub_(lr * weight_decay * param)
    return param
