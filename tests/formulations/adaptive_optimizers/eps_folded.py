"""Adam and AdamW with the bias correction folded into the step size (the Adam paper's efficient
form): lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t), then param -= lr_t * m / (sqrt(v) + eps).
AdamW's decay still first, as torch applies it."""

import math

import torch


def _adam_update(param, grad, state, lr, betas, eps):
    beta1, beta2 = betas
    if not state:
        state.update(step=0, exp_avg=torch.zeros_like(param),
                     exp_avg_sq=torch.zeros_like(param))
    state["step"] += 1
    t = state["step"]
    state["exp_avg"].mul_(beta1).add_(grad, alpha=1 - beta1)
    state["exp_avg_sq"].mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
    lr_t = lr * math.sqrt(1 - beta2**t) / (1 - beta1**t)
    param.addcdiv_(state["exp_avg"], state["exp_avg_sq"].sqrt().add_(eps), value=-lr_t)
    return param
