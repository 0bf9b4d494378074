"""Mistake (the efficient form, half of it): the bias correction folded into the step size as
lr / (1 - beta1^t), forgetting the factor sqrt(1 - beta2^t)."""

import torch

CAUGHT_BY = ("adam_step.bias_correction_at_step_one[float64]",
             "adamw_step.bias_correction_at_step_one[float64]")


def _adam_update(param, grad, state, lr, betas, eps):
    beta1, beta2 = betas
    if not state:
        state.update(step=0, exp_avg=torch.zeros_like(param),
                     exp_avg_sq=torch.zeros_like(param))
    state["step"] += 1
    t = state["step"]
    state["exp_avg"].mul_(beta1).add_((1.0 - beta1) * grad)
    state["exp_avg_sq"].mul_(beta2).add_((1.0 - beta2) * grad * grad)
    lr_t = lr / (1.0 - beta1**t)
    param.sub_(lr_t * state["exp_avg"] / (state["exp_avg_sq"].sqrt() + eps))
    return param
