"""Adam (L2) in torch's form, AdamW in CS336 assignment 1's (eps folded into the step size, the
decay after the update): each function correct on its own, the two written differently."""

import math

import torch


def adam_step_decoupled(param, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
                        weight_decay=0.0):
    beta1, beta2 = betas
    if state is None:
        state = {"step": 0, "exp_avg": torch.zeros_like(param),
                 "exp_avg_sq": torch.zeros_like(param)}
    t = state["step"] + 1
    m = beta1 * state["exp_avg"] + (1 - beta1) * grad
    v = beta2 * state["exp_avg_sq"] + (1 - beta2) * grad * grad
    alpha_t = lr * math.sqrt(1 - beta2**t) / (1 - beta1**t)
    new_param = param - alpha_t * m / (torch.sqrt(v) + eps)
    new_param = new_param - lr * weight_decay * new_param
    return new_param, {"step": t, "exp_avg": m, "exp_avg_sq": v}
