"""Library code in the shape of the exercises' functions, for checks' expected data.

`torch.optim` optimizers work on parameters in place; the exercises' update functions are pure
(`new_param, new_state = step(param, grad, state, ...)`). These adapters run one real torch
optimizer step in that shape, so a check can compare the two directly. They call torch's
functional forms (`torch.optim.sgd.sgd`, `torch.optim.adam.adam`: what `SGD.step` and
`Adam.step`/`AdamW.step` run, bit for bit, tests/test_formulations.py): constructing an optimizer
imports torch._dynamo, a second of every `make check` that uses one. `adam_formula` writes the
other Adam formulations the docstrings accept (eps in the efficient form, AdamW's decay after the
update), for checks that accept any of them (`check.any_of`).
"""

from __future__ import annotations

import functools
import math
from typing import Any

import torch
from torch.optim.adam import adam as library_adam
from torch.optim.sgd import sgd as library_sgd


def torch_sgd_step(param: torch.Tensor, grad: torch.Tensor, lr: float,
                   weight_decay: float) -> torch.Tensor:
    """One step of torch.optim.SGD (no momentum) from `param` with gradient `grad`."""
    weight = param.detach().clone()
    library_sgd([weight], [grad.detach().clone()], [None], foreach=False,
                weight_decay=weight_decay, momentum=0.0, lr=lr, dampening=0.0, nesterov=False,
                maximize=False)
    return weight


def torch_adam_step(decoupled: bool):
    """A pure Adam-style step `(param, grad, state, lr, betas, eps, weight_decay)` backed by one
    step of torch.optim.Adam (`decoupled` False) or AdamW (True); state as the exercises define
    it."""

    def step(param: torch.Tensor, grad: torch.Tensor, state: dict[str, Any] | None,
             lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
             weight_decay: float = 0.0) -> tuple[torch.Tensor, dict[str, Any]]:
        weight = param.detach().clone()
        if state is None:
            state = {"step": 0, "exp_avg": torch.zeros_like(param),
                     "exp_avg_sq": torch.zeros_like(param)}
        exp_avg, exp_avg_sq = state["exp_avg"].clone(), state["exp_avg_sq"].clone()
        steps = torch.tensor(float(state["step"]))  # the optimizer's own state["step"]
        library_adam([weight], [grad.detach().clone()], [exp_avg], [exp_avg_sq], [], [steps],
                     foreach=False, decoupled_weight_decay=decoupled, amsgrad=False,
                     beta1=betas[0], beta2=betas[1], lr=lr, weight_decay=weight_decay, eps=eps,
                     maximize=False)
        return weight, {"step": int(steps.item()), "exp_avg": exp_avg, "exp_avg_sq": exp_avg_sq}

    return step


adam_step = torch_adam_step(decoupled=False)
adamw_step = torch_adam_step(decoupled=True)


def adam_formula(decay: str, folded_eps: bool):
    """A pure Adam step `(param, grad, state, lr, betas, eps, weight_decay) -> (param, state)` in
    one of the formulations the exercises accept (torch's own is `torch_adam_step`):
    - decay "l2": g = grad + weight_decay * param goes through both moments (torch.optim.Adam);
      "before": param * (1 - lr * weight_decay), then the Adam update (torch.optim.AdamW);
      "after": the Adam update, then param - lr * weight_decay * param (CS336 assignment 1).
    - folded_eps False: param - lr * m_hat / (sqrt(v_hat) + eps) (torch); True: the Adam paper's
      efficient form, param - lr_t * m / (sqrt(v) + eps) with
      lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t) (CS336 assignment 1)."""

    def step(param: torch.Tensor, grad: torch.Tensor, state: dict[str, Any] | None,
             lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
             weight_decay: float = 0.0) -> tuple[torch.Tensor, dict[str, Any]]:
        beta1, beta2 = betas
        if state is None:
            state = {"step": 0, "exp_avg": torch.zeros_like(param),
                     "exp_avg_sq": torch.zeros_like(param)}
        t = state["step"] + 1
        g = grad + weight_decay * param if decay == "l2" else grad
        if decay == "before":
            param = param * (1.0 - lr * weight_decay)
        m = beta1 * state["exp_avg"] + (1.0 - beta1) * g
        v = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * g * g
        if folded_eps:
            lr_t = lr * math.sqrt(1.0 - beta2**t) / (1.0 - beta1**t)
            param = param - lr_t * m / (v.sqrt() + eps)
        else:
            param = param - lr * (m / (1.0 - beta1**t)) / ((v / (1.0 - beta2**t)).sqrt() + eps)
        if decay == "after":
            param = param - lr * weight_decay * param
        return param, {"step": t, "exp_avg": m, "exp_avg_sq": v}

    return step


def weight_decay_gap_of(l2_step, decoupled_step):
    """The L2-versus-decoupled gap, with Adam in the given formulations: SGD's weight_decay is
    both forms at once (they coincide, so the SGD gap is 0)."""

    def weight_decay_gap(param: torch.Tensor, grads: list[torch.Tensor], lr: float,
                         weight_decay: float, betas: tuple[float, float] = (0.9, 0.999),
                         eps: float = 1e-8) -> dict[str, float]:
        adam_l2 = adam_dec = param
        state_l2 = state_dec = None
        for grad in grads:
            adam_l2, state_l2 = l2_step(adam_l2, grad, state_l2, lr, betas, eps, weight_decay)
            adam_dec, state_dec = decoupled_step(adam_dec, grad, state_dec, lr, betas, eps,
                                                 weight_decay)
        return {"sgd": 0.0, "adam": float((adam_l2 - adam_dec).abs().max())}

    return weight_decay_gap


# torch's optimizers: Adam's weight_decay is the L2 form and AdamW's the decoupled one.
weight_decay_gap = weight_decay_gap_of(adam_step, adamw_step)


@functools.cache
def _formula(decay: str, folded_eps: bool):
    return adam_formula(decay, folded_eps)


def other_adam_pairs() -> list[tuple[Any, Any]]:
    """(L2 step, decoupled step), pure, for every combination of accepted formulations except
    torch's own: Adam's eps in either place, AdamW's eps in either place and its decay before or
    after the Adam update. None stands for torch's formulation; each step is one object
    wherever it appears, so a check computes each distinct formulation once."""
    pairs = []
    for l2_folded in (False, True):
        for decay, folded in (("before", False), ("before", True), ("after", False),
                              ("after", True)):
            if not l2_folded and (decay, folded) == ("before", False):
                continue  # torch's
            pairs.append((_formula("l2", True) if l2_folded else None,
                          None if (decay, folded) == ("before", False)
                          else _formula(decay, folded)))
    return pairs
