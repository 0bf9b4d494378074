"""Mistake: adam_step adds the L2 term to the caller's gradient in place
(grad.add_(param, alpha=weight_decay)); the docstring says grad is not modified, and a caller
that reuses p.grad (gradient clipping, logging, a second optimizer) sees the decayed value."""

import torch

CAUGHT_BY = ("adam_step.updates_in_place",)
CONTRACT = "unchanged"


@torch.no_grad()
def adam_step(param, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    if weight_decay != 0:
        grad.add_(param, alpha=weight_decay)
    return _adam_update(param, grad, state, lr, betas, eps)  # noqa: F821
