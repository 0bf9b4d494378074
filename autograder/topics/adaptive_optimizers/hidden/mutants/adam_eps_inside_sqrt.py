"""Mistake: eps inside the square root, sqrt(v_hat + eps), in Adam and AdamW."""

import torch

CAUGHT_BY = ("adam_step.strong_l2_decay[float64]",
             "adamw_step.noncontiguous_param[float64]")


def _adam_update(param, grad, state, lr, betas, eps):
    beta1, beta2 = betas
    if not state:
        state.update(step=0, exp_avg=torch.zeros_like(param),
                     exp_avg_sq=torch.zeros_like(param))
    state["step"] += 1
    t = state["step"]
    state["exp_avg"].mul_(beta1).add_((1.0 - beta1) * grad)
    state["exp_avg_sq"].mul_(beta2).add_((1.0 - beta2) * grad * grad)
    m_hat = state["exp_avg"] / (1.0 - beta1**t)
    v_hat = state["exp_avg_sq"] / (1.0 - beta2**t)
    param.sub_(lr * m_hat / (v_hat + eps).sqrt())
    return param
