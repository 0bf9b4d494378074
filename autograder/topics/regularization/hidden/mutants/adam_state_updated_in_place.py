"""Mistake: the moments are updated in place in the tensors of the state passed in
(exp_avg.mul_(beta1).add_(...)), as torch.optim does inside an optimizer. Fed its own state
step after step the trajectory is right, but the docstring says "do not modify param, grad or
the tensors in state": a caller that keeps an earlier state (to restart, or to run another
optimizer from it) finds it changed."""

import torch

CAUGHT_BY = ("adam_step_decoupled.result_types_and_inputs[float64]",)
CONTRACT = "unchanged"


def adam_step_decoupled(param, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
                        weight_decay=0.0):
    beta1, beta2 = betas
    if state is None:
        state = {"step": 0, "exp_avg": torch.zeros_like(param),
                 "exp_avg_sq": torch.zeros_like(param)}
    step = state["step"] + 1
    exp_avg = state["exp_avg"].mul_(beta1).add_((1.0 - beta1) * grad)
    exp_avg_sq = state["exp_avg_sq"].mul_(beta2).add_((1.0 - beta2) * grad * grad)
    m_hat = exp_avg / (1.0 - beta1**step)
    v_hat = exp_avg_sq / (1.0 - beta2**step)
    new_param = param * (1.0 - lr * weight_decay) - lr * m_hat / (torch.sqrt(v_hat) + eps)
    return new_param, {"step": step, "exp_avg": exp_avg, "exp_avg_sq": exp_avg_sq}
