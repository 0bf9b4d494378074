"""Mistake: "AdamW" with coupled (L2) weight decay: weight_decay * param is added to the gradient
and goes through the adaptive scaling, which is Adam's weight_decay, not AdamW's."""

import torch

CAUGHT_BY = ("adamw_step.decoupled_vs_coupled[float64]", "adamw_step.long_run_float32[float32]",
             "adamw_step.noncontiguous_param[float64]",
             "AdamW.matches_torch_over_500_steps[float64]")


@torch.no_grad()
def adamw_step(param, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    # the reference's Adam update, in the same namespace
    return _adam_update(param, grad + weight_decay * param, state, lr, betas,  # noqa: F821
                        eps)
