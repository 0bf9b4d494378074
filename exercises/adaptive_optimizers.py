# Student stub generated from the reference solution by `python -m autograder stubs`.
# Replace each `raise NotImplementedError(...)` with your implementation.
"""Topic 5-09: adaptive optimizers, learning-rate schedules and the LR finder.

RMSProp, Adam and AdamW as functional steps over explicit state, an AdamW optimizer class that
plugs into PyTorch (`torch.optim.Optimizer`), three learning-rate schedules written as functions of
the iteration, and a learning-rate range test ("LR finder").

Rules for every function here:
- The step functions work in place, as PyTorch's optimizers do: they change `param` and the
  tensors in `state` and return `param` itself. Their results keep param's dtype (float32 or
  float64), device (CPU or CUDA) and memory layout. (Topic 5-10's Adam steps are pure and return
  (w_new, state) instead: there several runs start from one tensor and are compared; here the
  steps are what an optimizer's `step()` applies to its parameters and `self.state[p]`.)
- Build everything from elementary tensor operations and `math`. Calling the library's own version
  (`torch.optim.Adam`, `AdamW`, `RMSprop`, `torch.optim._functional`, `torch.optim.lr_scheduler`,
  the fused kernels such as `torch._fused_adamw_`) is not allowed, and a check catches it.
  Subclassing `torch.optim.Optimizer` (task 5-09.4) is required and allowed.
- Schedules take the iteration as an int or a float and return a Python float.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import torch
from torch import Tensor, nn

from data.progress import progress_bar

State = dict  # the per-parameter state dict a step function fills in and updates


@torch.no_grad()
def rmsprop_step(param: Tensor, grad: Tensor, state: State, lr: float = 1e-2,
                 alpha: float = 0.99, eps: float = 1e-8, weight_decay: float = 0.0) -> Tensor:
    """One RMSProp step (no momentum, not centered), as `torch.optim.RMSprop`. Task 5-09.1.

    With g = grad + weight_decay * param (the L2 form; g = grad when weight_decay is 0):
        v     = alpha * v + (1 - alpha) * g^2          (the running average of SQUARED gradients)
        param = param - lr * g / (sqrt(v) + eps)       (eps OUTSIDE the square root)
    v starts at zeros on the first call.

    Args:
        param: the parameter, any shape, float32 or float64, CPU or CUDA (contiguous or not).
        grad: its gradient, same shape, dtype and device. Not modified.
        state: a dict, empty before the first step. The first call stores
            state["square_avg"] = zeros of param's shape, dtype and device (torch.zeros_like).
        lr, alpha, eps, weight_decay: as in torch.optim.RMSprop.

    Returns:
        param itself. Updated in place: param and state["square_avg"] (the same tensor objects
        every call; never replace them with new tensors).
    """
    raise NotImplementedError("adaptive_optimizers.rmsprop_step is not implemented yet")


@torch.no_grad()
def adam_step(param: Tensor, grad: Tensor, state: State, lr: float = 1e-3,
              betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
              weight_decay: float = 0.0) -> Tensor:
    """One Adam step with bias correction, as `torch.optim.Adam` (amsgrad off). Task 5-09.2.

    With g = grad + weight_decay * param (L2 decay: the penalty's gradient joins the loss
    gradient and passes through the adaptive scaling) and t = state["step"] + 1, so t = 1 on the
    first step:
        m = beta1 * m + (1 - beta1) * g            v = beta2 * v + (1 - beta2) * g^2
        m_hat = m / (1 - beta1^t)                  v_hat = v / (1 - beta2^t)
        param = param - lr * m_hat / (sqrt(v_hat) + eps)
    m and v start at zeros. At t = 1 the bias correction makes m_hat = g and v_hat = g^2, so
    the first step moves each element by about lr in the direction of -g.

    Where eps enters, two forms get full marks: the one above (torch's), or the Adam paper's
    "efficient" form (CS336 assignment 1's), which folds the bias correction into the step size
    and adds eps to sqrt(v):
        lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t)
        param = param - lr_t * m / (sqrt(v) + eps)
    They differ only in how much eps weighs. eps inside the square root is neither.

    Args:
        param, grad: tensors of one shape, dtype and device (float32 or float64, CPU or CUDA);
            grad is not modified.
        state: a dict, empty before the first step. The first call stores state["step"] = 0 (a
            Python int), state["exp_avg"] (m) and state["exp_avg_sq"] (v), zeros like param.
        lr, betas = (beta1, beta2), eps, weight_decay: as in torch.optim.Adam.

    Returns:
        param itself. Updated in place: param, state["exp_avg"] and state["exp_avg_sq"] (the same
        tensor objects every call); state["step"] becomes t.
    """
    raise NotImplementedError("adaptive_optimizers.adam_step is not implemented yet")


@torch.no_grad()
def adamw_step(param: Tensor, grad: Tensor, state: State, lr: float = 1e-3,
               betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
               weight_decay: float = 1e-2) -> Tensor:
    """One AdamW step (decoupled weight decay, Loshchilov & Hutter), as `torch.optim.AdamW`.
    Task 5-09.3.

    First shrink the weights directly, then take the Adam step of `adam_step` on the plain
    gradient (no weight_decay * param added to it):
        param = param * (1 - lr * weight_decay)
        t = state["step"] + 1;  m, v, m_hat, v_hat as in adam_step with g = grad
        param = param - lr * m_hat / (sqrt(v_hat) + eps)
    The decay is not rescaled by sqrt(v_hat), so every weight decays at the same rate; with
    weight_decay 0 this is exactly Adam.

    Two choices the literature makes differently; every combination gets full marks:
    - when the decay is applied: before the Adam update, as above (torch's order), or after it,
      as CS336 assignment 1's Algorithm 1 writes it:
          param = param - lr * m_hat / (sqrt(v_hat) + eps)
          param = param - lr * weight_decay * param
    - where eps enters: as above, or the efficient form of `adam_step` (lr_t with eps added to
      sqrt(v)).
    The decay always uses the plain lr (never lr_t, never weight_decay alone) and never passes
    through m or v (that is Adam's L2 form).

    Args and returns: as for `adam_step` (note torch's AdamW default weight_decay = 1e-2).
    Updated in place: param, state["exp_avg"], state["exp_avg_sq"]; state["step"] becomes t.
    """
    raise NotImplementedError("adaptive_optimizers.adamw_step is not implemented yet")


class AdamW(torch.optim.Optimizer):
    """The AdamW optimizer as a `torch.optim.Optimizer` subclass, matching `torch.optim.AdamW`
    (amsgrad off). Task 5-09.4. Every combination that `adamw_step` accepts (the decay before
    or after the Adam update, either form of eps) gets full marks here too, CS336 assignment 1's
    AdamW included.

    - `__init__(params, lr, betas, eps, weight_decay)`: reject invalid values with ValueError
      (lr < 0, eps < 0, a beta outside [0, 1), weight_decay < 0), then call
      `super().__init__(params, defaults)` with defaults = {"lr", "betas", "eps",
      "weight_decay"}. `params` is an iterable of tensors or of param-group dicts
      ({"params": [...], "lr": ..., ...}); the base class fills each group's missing entries
      from the defaults and keeps them in `self.param_groups`.
    - `step(closure=None)`: for every group and every parameter p of it whose p.grad is not
      None, apply `adamw_step(p, p.grad, self.state[p], group's lr, betas, eps, weight_decay)`,
      with the group's own hyperparameters. Parameters without a gradient are skipped (their
      state is not created). If `closure` is given, call it first with gradients enabled and
      return its loss; otherwise return None.
    - Keep everything a resumed run needs in `self.state[p]` (step count included), so the
      inherited `state_dict()` / `load_state_dict()` save and restore it: a run saved after k
      steps and resumed in a new optimizer equals the uninterrupted run bit for bit.
    """

    def __init__(self, params: Iterable[Tensor] | Iterable[dict[str, Any]], lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2):
        raise NotImplementedError("adaptive_optimizers.AdamW.__init__ is not implemented yet")

    @torch.no_grad()
    def step(self, closure: Callable[[], Tensor] | None = None) -> Tensor | None:
        """Update every parameter that has a gradient; return closure's loss (or None)."""
        raise NotImplementedError("adaptive_optimizers.AdamW.step is not implemented yet")


def warmup_cosine_lr(iteration: float, base_lr: float, warmup_iters: int, total_iters: int,
                     min_lr: float = 0.0) -> float:
    """Linear warm-up from 0 to base_lr, then cosine decay to the floor min_lr. Task 5-09.5.

    With t = iteration (an int or a float), W = warmup_iters and T = total_iters:
        t < W:        lr = base_lr * t / W                       (0 at t = 0)
        W <= t < T:   p = (t - W) / (T - W)
                      lr = min_lr + (base_lr - min_lr) * (1 + cos(pi * p)) / 2
        t >= T:       lr = min_lr                                (the floor, kept forever)
    So lr(0) = 0, lr(W) = base_lr (the peak), lr((W + T) / 2) = (base_lr + min_lr) / 2 and
    lr(t) = min_lr exactly for every t >= T: the schedule never restarts or rises again.
    Just before T use the cosine formula as it is, not min_lr: its value is
    min_lr + (base_lr - min_lr) * sin^2(pi * (T - t) / (2 * (T - W))), a little above min_lr
    (at t = T - 1: min_lr + (base_lr - min_lr) * sin^2(pi / (2 * (T - W)))); the extra term tends
    to 0 as t -> T, so the schedule is continuous at T.
    W = 0 means no warm-up (the cosine starts at t = 0 with base_lr).

    Returns:
        the learning rate as a Python float.

    Raises:
        ValueError: iteration < 0, warmup_iters < 0, or total_iters <= warmup_iters.
    """
    raise NotImplementedError("adaptive_optimizers.warmup_cosine_lr is not implemented yet")


def one_cycle_lr(iteration: float, max_lr: float, total_steps: int, pct_start: float = 0.3,
                 div_factor: float = 25.0, final_div_factor: float = 1e4) -> float:
    """The one-cycle learning rate of `torch.optim.lr_scheduler.OneCycleLR` with
    anneal_strategy="cos" and three_phase=False, at step t = iteration. Task 5-09.6.

    initial_lr = max_lr / div_factor,  min_lr = initial_lr / final_div_factor,
    e1 = pct_start * total_steps - 1   (the end of phase 1; a float, computed exactly so),
    e2 = total_steps - 1,
    anneal(start, end, pct) = end + (start - end) / 2 * (cos(pi * pct) + 1)
        t <= e1:  lr = anneal(initial_lr, max_lr, t / e1)               (cosine up)
        t >  e1:  lr = anneal(max_lr, min_lr, (t - e1) / (e2 - e1))      (cosine down)
    So lr(0) = initial_lr, the peak max_lr is at t = e1 and lr(total_steps - 1) = min_lr.
    Like torch, t = total_steps (one step past the end) is still evaluated with the second
    phase's formula; t > total_steps raises ValueError. Fractional t uses the same formulas.
    Compute in this exact order (as torch does) so that the values match its sequence.
    When pct_start * total_steps < 1, e1 < 0 and every t >= 0 falls in the second phase:
    lr(0) = anneal(max_lr, min_lr, -e1 / (e2 - e1)), not initial_lr, as torch gives. When it
    equals 1, e1 = 0 and t = 0 divides 0 by 0 (ZeroDivisionError, as torch's OneCycleLR).
    No check uses either case.

    Returns:
        the learning rate as a Python float.

    Raises:
        ValueError: iteration < 0 or iteration > total_steps.
    """
    raise NotImplementedError("adaptive_optimizers.one_cycle_lr is not implemented yet")


def cosine_warm_restarts_lr(iteration: float, base_lr: float, T_0: int,  # noqa: N803
                            T_mult: int = 1, eta_min: float = 0.0) -> float:  # noqa: N803
    """Cosine annealing with warm restarts (SGDR), as
    `torch.optim.lr_scheduler.CosineAnnealingWarmRestarts`, at step t = iteration. Task 5-09.7.

    The cycles have lengths T_0, T_0 * T_mult, T_0 * T_mult^2, ...; cycle k starts at
    s_k = T_0 + T_0 * T_mult + ... + T_0 * T_mult^(k-1) (s_0 = 0). For s_k <= t < s_k + T_i with
    T_i = T_0 * T_mult^k and T_cur = t - s_k (the time since the last restart):
        lr = eta_min + (base_lr - eta_min) * (1 + cos(pi * T_cur / T_i)) / 2
    At every restart (T_cur = 0) the rate jumps back to base_lr; within a cycle it falls towards
    eta_min. T_mult = 1 gives cycles of equal length. Fractional t uses the same formula (torch's
    `scheduler.step(epoch)` with a float epoch). Find the cycle by adding up cycle lengths
    (exact for integer t); do not round a floating-point logarithm.

    Returns:
        the learning rate as a Python float.

    T_0 and T_mult keep torch's names.

    Raises:
        ValueError: iteration < 0, T_0 < 1 or T_mult < 1.
    """
    raise NotImplementedError("adaptive_optimizers.cosine_warm_restarts_lr is not implemented yet")


def lr_finder(model: nn.Module, loss_fn: Callable[[Tensor, Tensor], Tensor],
              batches: Sequence[tuple[Tensor, Tensor]], optimizer: torch.optim.Optimizer,
              min_lr: float = 1e-7, max_lr: float = 10.0, num_steps: int = 100,
              beta: float = 0.98, diverge_factor: float = 4.0,
              progress: bool = False) -> dict[str, Any]:
    """The learning-rate range test (Smith 2017; the fastai "LR finder"). Task 5-09.8.

    The caller builds `optimizer` over model's parameters (any torch.optim.Optimizer, e.g. SGD or
    your AdamW); this function only sets its learning rate. For step i = 0, 1, ..., num_steps - 1:
      1. rate r_i = min_lr * (max_lr / min_lr) ** (i / (num_steps - 1)): an exponential sweep
         from r_0 = min_lr to r_{num_steps-1} = max_lr. Set group["lr"] = r_i in every param
         group of the optimizer.
      2. (inputs, targets) = batches[i % len(batches)]; optimizer.zero_grad();
         loss = loss_fn(model(inputs), targets); loss.backward(); L_i = loss.item().
      3. Smoothed loss with bias correction (avg starts at 0):
             avg = beta * avg + (1 - beta) * L_i,      s_i = avg / (1 - beta ** (i + 1))
      4. Divergence (checked from the second step on, i >= 1): if s_i is NaN or infinite, or
         s_i > diverge_factor * best, where best is the smallest s recorded so far, stop now:
         r_i and s_i are not recorded, no optimizer step is taken, and diverged_lr = r_i.
         Step 0 is never tested: a NaN or infinite L_0 is recorded as s_0 and its optimizer
         step is taken; avg then stays non-finite, so the sweep stops at i = 1 (diverged_lr =
         r_1, rates [r_0], losses [s_0]). No check uses a non-finite first loss.
      5. Otherwise record r_i and s_i, update best, and take the step: optimizer.step().
    Suggested rate (k = the number of recorded points): the rate of the update that made the
    smoothed loss fall the most in one step. Its fall s_j - s_(j-1) (j = 1, ..., k - 1) is
    measured at step j, after the update made with r_(j-1), so with j* = the j of the most
    negative difference (the first one on ties) the suggestion is rates[j* - 1]. With k = 1 the
    suggestion is rates[0]. It is always one of the recorded rates, so below any divergence rate.
    On return the model's parameters and buffers and the optimizer's state (learning rates
    included) are restored to what they were on entry (state_dict copies), so the caller can
    train from the same start. No randomness: the same inputs give the same result.

    Args:
        model: the network (on any device and dtype; batches on the same).
        loss_fn: loss_fn(outputs, targets) -> a scalar tensor.
        batches: a non-empty sequence of (inputs, targets) pairs, reused in order if shorter
            than num_steps.
        optimizer: built by the caller over model.parameters().
        min_lr, max_lr: 0 < min_lr < max_lr; num_steps >= 2; 0 <= beta < 1; diverge_factor > 1.
        progress: show a progress bar over the steps: loop over
            progress_bar(range(num_steps), desc=..., unit="step", wanted=progress) (imported
            from data.progress; silent under CI and off a terminal); changes nothing else.

    Returns:
        {"rates": [r_0, ..., r_(k-1)], "losses": [s_0, ..., s_(k-1)] (Python float lists of equal
        length k >= 1), "suggestion": a float (one of the rates), "diverged_lr": r_i of the step
        that diverged, or None when the sweep ran all num_steps steps}.

    Raises:
        ValueError: for arguments outside the ranges above or empty batches.
    """
    raise NotImplementedError("adaptive_optimizers.lr_finder is not implemented yet")
