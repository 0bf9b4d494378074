"""Adam with the bias correction folded into the step size (the Adam paper's efficient form,
CS336 assignment 1's Algorithm 1): lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t), then
w - lr_t * m / (sqrt(v) + eps). Both steps; AdamW's decay still first."""

import math

import torch


def _adam(param, grad, state, lr, betas, eps):
    beta1, beta2 = betas
    if state is None:
        state = {"step": 0, "exp_avg": torch.zeros_like(param),
                 "exp_avg_sq": torch.zeros_like(param)}
    t = state["step"] + 1
    m = beta1 * state["exp_avg"] + (1 - beta1) * grad
    v = beta2 * state["exp_avg_sq"] + (1 - beta2) * grad**2
    lr_t = lr * math.sqrt(1 - beta2**t) / (1 - beta1**t)
    return param - lr_t * m / (v.sqrt() + eps), {"step": t, "exp_avg": m, "exp_avg_sq": v}
