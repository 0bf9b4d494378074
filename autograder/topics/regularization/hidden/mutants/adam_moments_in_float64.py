"""Mistake: the Adam step promotes param and grad to float64 "for numerical stability" and never
casts back, so a float32 parameter comes back (with its moments) as float64. The module's rule
is tensors in, tensors out of the input's dtype: a float32 model would silently turn float64."""

import torch

CAUGHT_BY = ("adam_step_l2.result_types_and_inputs[float32]",)
CONTRACT = "dtypes"
_reference_adam = _adam  # noqa: F821 (a mutant patches the reference)


def adam_step_l2(param, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    param, grad = param.to(torch.float64), grad.to(torch.float64)
    if state is not None:
        state = {"step": state["step"], "exp_avg": state["exp_avg"].to(torch.float64),
                 "exp_avg_sq": state["exp_avg_sq"].to(torch.float64)}
    return _reference_adam(param, grad + weight_decay * param, state, lr, betas, eps)
