"""Mistake: the L2 form of Adam adds the penalty after the adaptive update (w -= lr * wd * w at
the end), which is really decoupled weight decay, not torch.optim.Adam's weight_decay."""

import torch

CAUGHT_BY = ("adam_step_l2.strong_decay[float64]", "adam_step_l2.long_run_float32[float32]")


def adam_step_l2(param, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    beta1, beta2 = betas
    if state is None:
        state = {"step": 0, "exp_avg": torch.zeros_like(param),
                 "exp_avg_sq": torch.zeros_like(param)}
    step = state["step"] + 1
    exp_avg = beta1 * state["exp_avg"] + (1 - beta1) * grad
    exp_avg_sq = beta2 * state["exp_avg_sq"] + (1 - beta2) * grad * grad
    update = (exp_avg / (1 - beta1**step)) / (torch.sqrt(exp_avg_sq / (1 - beta2**step)) + eps)
    new_param = param - lr * update - lr * weight_decay * param
    return new_param, {"step": step, "exp_avg": exp_avg, "exp_avg_sq": exp_avg_sq}
