"""Mistake: the bias correction uses the step count before it is incremented, so t = 0 on the
first step and 1 - beta^0 = 0: the first update divides by zero (and every later one uses t - 1)."""

import torch

CAUGHT_BY = ("adam_step.bias_correction_at_step_one[float64]",
             "adamw_step.bias_correction_at_step_one[float64]", "adam_step.large_param[float32]",
             "AdamW.matches_torch_over_500_steps[float64]")


def _adam_update(param, grad, state, lr, betas, eps):
    beta1, beta2 = betas
    if not state:
        state.update(step=0, exp_avg=torch.zeros_like(param),
                     exp_avg_sq=torch.zeros_like(param))
    t = state["step"]
    state["step"] += 1
    state["exp_avg"].mul_(beta1).add_((1 - beta1) * grad)
    state["exp_avg_sq"].mul_(beta2).add_((1 - beta2) * grad * grad)
    m_hat = state["exp_avg"] / (1 - beta1**t)
    v_hat = state["exp_avg_sq"] / (1 - beta2**t)
    param.sub_(lr * m_hat / (v_hat.sqrt() + eps))
    return param
