"""Mistake (the efficient form, half of it): Adam's bias correction folded into the step size as
lr / (1 - beta1^t), forgetting the factor sqrt(1 - beta2^t)."""

import torch

CAUGHT_BY = ("adam_step_l2.strong_decay[float64]",
             "adam_step_decoupled.strong_decay[float64]")


def _adam(param, grad, state, lr, betas, eps):
    beta1, beta2 = betas
    if state is None:
        state = {"step": 0, "exp_avg": torch.zeros_like(param),
                 "exp_avg_sq": torch.zeros_like(param)}
    t = state["step"] + 1
    m = beta1 * state["exp_avg"] + (1 - beta1) * grad
    v = beta2 * state["exp_avg_sq"] + (1 - beta2) * grad * grad
    return param - lr / (1 - beta1**t) * m / (v.sqrt() + eps), {"step": t, "exp_avg": m,
                                                                "exp_avg_sq": v}
