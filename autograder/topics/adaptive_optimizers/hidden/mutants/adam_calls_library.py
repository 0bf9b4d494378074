"""Mistake (a shortcut): adam_step hands the update to torch.optim's functional Adam instead of
writing it."""

import torch
from torch.optim.adam import adam as library_adam

CAUGHT_BY = ("adam_step.no_library_shortcut",)


@torch.no_grad()
def adam_step(param, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    if not state:
        state.update(step=0, exp_avg=torch.zeros_like(param),
                     exp_avg_sq=torch.zeros_like(param))
    step = torch.tensor(float(state["step"]))
    library_adam([param], [grad], [state["exp_avg"]], [state["exp_avg_sq"]], [], [step],
                 foreach=False, amsgrad=False, beta1=betas[0], beta2=betas[1], lr=lr,
                 weight_decay=weight_decay, eps=eps, maximize=False)
    state["step"] = int(step.item())
    return param
