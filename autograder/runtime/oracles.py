"""Library code in the shape of the exercises' functions, for checks' expected data.

`torch.optim` optimizers work on parameters in place; the exercises' update functions are pure
(`new_param, new_state = step(param, grad, state, ...)`). These adapters run one real torch
optimizer step in that shape, so a check can compare the two directly.
"""

from __future__ import annotations

from typing import Any

import torch


def torch_sgd_step(param: torch.Tensor, grad: torch.Tensor, lr: float,
                   weight_decay: float) -> torch.Tensor:
    """One step of torch.optim.SGD (no momentum) from `param` with gradient `grad`."""
    weight = torch.nn.Parameter(param.detach().clone())
    weight.grad = grad.detach().clone()
    torch.optim.SGD([weight], lr=lr, weight_decay=weight_decay).step()
    return weight.detach()


def torch_adam_step(optimizer: type[torch.optim.Optimizer]):
    """A pure Adam-style step `(param, grad, state, lr, betas, eps, weight_decay)` backed by one
    step of `optimizer` (torch.optim.Adam or AdamW); state as the exercises define it."""

    def step(param: torch.Tensor, grad: torch.Tensor, state: dict[str, Any] | None,
             lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
             weight_decay: float = 0.0) -> tuple[torch.Tensor, dict[str, Any]]:
        weight = torch.nn.Parameter(param.detach().clone())
        weight.grad = grad.detach().clone()
        opt = optimizer([weight], lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                        foreach=False)
        if state is not None:
            opt.state[weight] = {"step": torch.tensor(float(state["step"])),
                                 "exp_avg": state["exp_avg"].clone(),
                                 "exp_avg_sq": state["exp_avg_sq"].clone()}
        opt.step()
        new = opt.state[weight]
        return weight.detach(), {"step": int(new["step"].item()), "exp_avg": new["exp_avg"],
                                 "exp_avg_sq": new["exp_avg_sq"]}

    return step


adam_step = torch_adam_step(torch.optim.Adam)
adamw_step = torch_adam_step(torch.optim.AdamW)


def weight_decay_gap(param: torch.Tensor, grads: list[torch.Tensor], lr: float,
                     weight_decay: float, betas: tuple[float, float] = (0.9, 0.999),
                     eps: float = 1e-8) -> dict[str, float]:
    """The L2-versus-decoupled gap with torch's optimizers: SGD's weight_decay is both forms at
    once (they coincide), Adam's weight_decay is the L2 form and AdamW's the decoupled one."""
    adam_l2 = adam_dec = param
    state_l2 = state_dec = None
    for grad in grads:
        adam_l2, state_l2 = adam_step(adam_l2, grad, state_l2, lr, betas, eps, weight_decay)
        adam_dec, state_dec = adamw_step(adam_dec, grad, state_dec, lr, betas, eps, weight_decay)
    return {"sgd": 0.0, "adam": float((adam_l2 - adam_dec).abs().max())}
