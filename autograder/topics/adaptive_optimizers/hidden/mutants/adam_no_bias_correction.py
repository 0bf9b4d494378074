"""Mistake: Adam without bias correction (m and v used as they are), so the first steps are far
too large: at t = 1 the update is lr * 0.1 g / (sqrt(0.001) |g|), about 3 lr instead of lr."""

import torch

CAUGHT_BY = ("adam_step.bias_correction_at_step_one[float64]",
             "adam_step.strong_l2_decay[float64]", "adam_step.long_run_float32[float32]")


@torch.no_grad()
def adam_step(param, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    beta1, beta2 = betas
    if not state:
        state.update(step=0, exp_avg=torch.zeros_like(param),
                     exp_avg_sq=torch.zeros_like(param))
    if weight_decay != 0:
        grad = grad + weight_decay * param
    state["step"] += 1
    state["exp_avg"].mul_(beta1).add_((1 - beta1) * grad)
    state["exp_avg_sq"].mul_(beta2).add_((1 - beta2) * grad * grad)
    param.sub_(lr * state["exp_avg"] / (state["exp_avg_sq"].sqrt() + eps))
    return param
