"""Mistake: AdamW without bias correction of the moments, so early steps are far too small."""

import torch

CAUGHT_BY = ("adam_step_decoupled.strong_decay[float64]",
             "adam_step_decoupled.long_run_float32[float32]")


def adam_step_decoupled(param, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
                        weight_decay=0.0):
    beta1, beta2 = betas
    if state is None:
        state = {"step": 0, "exp_avg": torch.zeros_like(param),
                 "exp_avg_sq": torch.zeros_like(param)}
    exp_avg = beta1 * state["exp_avg"] + (1 - beta1) * grad
    exp_avg_sq = beta2 * state["exp_avg_sq"] + (1 - beta2) * grad * grad
    new_param = param * (1 - lr * weight_decay) - lr * exp_avg / (torch.sqrt(exp_avg_sq) + eps)
    return new_param, {"step": state["step"] + 1, "exp_avg": exp_avg, "exp_avg_sq": exp_avg_sq}
