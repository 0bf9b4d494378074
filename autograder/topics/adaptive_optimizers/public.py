"""Public checks of topic 5-09 (adaptive_optimizers): run them with
`make check TOPIC=adaptive_optimizers`.

Expected data come from torch itself (`torch.optim.RMSprop`, `Adam`, `AdamW`, `OneCycleLR`,
`CosineAnnealingWarmRestarts`, run in float64 in the grading process), from the docstrings'
formulas and worked examples, or from properties every correct answer has; never from the
reference solution. Each tolerance is written next to its check with the error the reference
measured. The probes, oracles and property compares here are shared with the hidden checks.
"""

from __future__ import annotations

import functools
import math
import warnings

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from autograder.runtime.check import CheckSet, ProbeError, any_of, literal, oracle
from autograder.runtime.compare import Close, require
from autograder.runtime.oracles import other_adam_pairs
from autograder.runtime.probing import randn, scalar, tensor_out, tensors_out
from autograder.runtime.variants import TORCH_F32, TORCH_F64

CHECKS = CheckSet("adaptive_optimizers", "public")
# The state entries each step function keeps: tensors, and whether it counts steps.
STATE_TENSORS = {"rmsprop_step": ("square_avg",), "adam_step": ("exp_avg", "exp_avg_sq"),
                 "adamw_step": ("exp_avg", "exp_avg_sq")}


# ---- oracles: torch's optimizers and schedulers in the exercises' shapes (grading side) ------

def torch_step(optimizer: type[torch.optim.Optimizer], tensors: tuple[str, ...], counts: bool):
    """A step function `(param, grad, state, **hyperparameters) -> param` backed by one step of
    a torch optimizer, with the exercises' state dict (updated in place, as theirs is)."""

    def step(param, grad, state, **hyper):
        weight = nn.Parameter(param.detach().clone())
        weight.grad = grad.detach().clone()
        opt = optimizer([weight], foreach=False, **hyper)
        if state:
            opt.state[weight] = {"step": torch.tensor(float(state.get("step", 0))),
                                 **{name: state[name].clone() for name in tensors}}
        opt.step()
        new = opt.state[weight]
        state.update({name: new[name] for name in tensors})
        if counts:
            state["step"] = int(new["step"].item())
        with torch.no_grad():
            param.copy_(weight)
        return param

    return step


def _scheduled_lrs(make, steps: int, lr: float = 1.0) -> tuple[float, ...]:
    """The learning rate a torch scheduler of an optimizer with base rate `lr` sets for steps
    0, 1, ..., steps - 1."""
    opt = torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=lr)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch warns when a scheduler is stepped in odd ways
        scheduler = make(opt)
        lrs = []
        for step in range(steps):
            if step:
                opt.step()
                scheduler.step()
            lrs.append(opt.param_groups[0]["lr"])
    return tuple(lrs)


@functools.cache
def _one_cycle_lrs(max_lr, total_steps, pct_start, div_factor, final_div_factor):
    # total_steps + 1 values: torch still evaluates step total_steps (one past the last).
    return _scheduled_lrs(lambda opt: torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr, total_steps=total_steps, pct_start=pct_start, anneal_strategy="cos",
        cycle_momentum=False, div_factor=div_factor, final_div_factor=final_div_factor,
        three_phase=False), total_steps + 1)


def torch_one_cycle_lr(iteration, max_lr, total_steps, pct_start=0.3, div_factor=25.0,
                       final_div_factor=1e4):
    """OneCycleLR's learning rate at an integer step (0 <= step <= total_steps)."""
    lrs = _one_cycle_lrs(max_lr, total_steps, pct_start, div_factor, final_div_factor)
    return lrs[int(iteration)]


@functools.cache
def _restart_lrs(base_lr, T_0, T_mult, eta_min, steps):  # noqa: N803 (torch's names)
    return _scheduled_lrs(lambda opt: torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(
        opt, T_0, T_mult, eta_min), steps, base_lr)


def torch_warm_restarts_lr(iteration, base_lr, T_0, T_mult=1, eta_min=0.0):  # noqa: N803
    """CosineAnnealingWarmRestarts's learning rate: its per-step sequence at an integer step, its
    `step(epoch)` at a fractional one."""
    if float(iteration).is_integer():
        steps = 1 << max(6, int(iteration).bit_length())  # a cached sequence long enough
        return _restart_lrs(base_lr, T_0, T_mult, eta_min, steps + 1)[int(iteration)]
    opt = torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=base_lr)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0, T_mult, eta_min)
    scheduler.step(iteration)
    return opt.param_groups[0]["lr"]


def warmup_cosine_formula(iteration, base_lr, warmup_iters, total_iters, min_lr=0.0):
    """The docstring's formula (no torch scheduler has this shape with a floor and a hold)."""
    if iteration < warmup_iters:
        return base_lr * iteration / warmup_iters
    if iteration >= total_iters:
        return min_lr
    progress = (iteration - warmup_iters) / (total_iters - warmup_iters)
    return min_lr + (base_lr - min_lr) * (1.0 + math.cos(math.pi * progress)) / 2.0


@functools.cache
def in_place(pure, weight_decay: float):
    """A pure Adam formulation (`oracles.adam_formula`) in the shape of this topic's step
    functions: param and the state dict updated in place, param returned."""

    def step(param, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
             weight_decay=weight_decay):
        new, new_state = pure(param, grad, state or None, lr, betas, eps, weight_decay)
        state.update(new_state)
        with torch.no_grad():
            param.copy_(new)
        return param

    return step


@functools.cache
def adamw_class(pure):
    """An AdamW optimizer class whose update is the pure formulation `pure`."""
    update = in_place(pure, 1e-2)

    class FormulaAdamW(torch.optim.Optimizer):
        def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
            if lr < 0 or eps < 0 or weight_decay < 0 or not all(0 <= b < 1 for b in betas):
                raise ValueError("invalid AdamW hyperparameters")
            super().__init__(params, {"lr": lr, "betas": tuple(betas), "eps": eps,
                                      "weight_decay": weight_decay})

        @torch.no_grad()
        def step(self, closure=None):
            loss = None
            if closure is not None:
                with torch.enable_grad():
                    loss = closure()
            for group in self.param_groups:
                for param in group["params"]:
                    if param.grad is not None:
                        update(param, param.grad, self.state[param], group["lr"],
                               group["betas"], group["eps"], group["weight_decay"])
            return loss

    return FormulaAdamW


def _adam_formulation(l2, decoupled):
    """Adam, adamw_step and AdamW in formulations other than torch's."""
    names = {}
    if l2:
        names["adam_step"] = in_place(l2, 0.0)
    if decoupled:
        names.update(adamw_step=in_place(decoupled, 1e-2), AdamW=adamw_class(decoupled))
    return oracle("an Adam formulation the docstrings accept", **names)


# torch; for Adam and AdamW, also every other formulation their docstrings accept (eps folded
# into the step size; AdamW's decay after the Adam update, as CS336 assignment 1 writes it).
TORCH = any_of(
    "torch in float64 (for Adam and AdamW: torch's or another accepted formulation)",
    oracle("torch in float64",
           rmsprop_step=torch_step(torch.optim.RMSprop, ("square_avg",), counts=False),
           adam_step=torch_step(torch.optim.Adam, ("exp_avg", "exp_avg_sq"), counts=True),
           adamw_step=torch_step(torch.optim.AdamW, ("exp_avg", "exp_avg_sq"), counts=True),
           AdamW=torch.optim.AdamW, one_cycle_lr=torch_one_cycle_lr,
           cosine_warm_restarts_lr=torch_warm_restarts_lr),
    *(_adam_formulation(*pair) for pair in other_adam_pairs()))
FORMULA = oracle("the docstring's formula", warmup_cosine_lr=warmup_cosine_formula)


# ---- probes shared with the hidden checks ----------------------------------------------------

def state_out(state, function: str) -> dict:
    """The step function's state dict as plain data (its tensors in float64, its step count)."""
    if not isinstance(state, dict):
        raise ProbeError(f"{function}: state is a {type(state).__name__}, expected the dict "
                         "passed in, filled in place")
    names = STATE_TENSORS[function]
    missing = [name for name in names if name not in state]
    if missing:
        raise ProbeError(f"{function}: after a step the state dict has no {missing}; the first "
                         "call must store them (zeros like param) in the dict it was given")
    out = tensors_out({name: state[name] for name in names}, function)
    if function != "rmsprop_step":
        out["step"] = scalar(state.get("step"), f"{function}: state['step']")
    return out


def step_probe(impl, device, dtype, function: str, steps: int = 5, size=(6, 4), seed: int = 10,
               noncontiguous: bool = False, grad_scale: float = 1.0, **hyper) -> dict:
    """`steps` calls of a step function from an empty state on seeded gradients: the final
    parameter (with its dtype and device) and state."""
    step = getattr(impl, function)
    start = randn(size, seed, dtype, device, noncontiguous)
    param, state = start, {}
    for k in range(steps):
        param = step(param, randn(size, seed + 1 + k, dtype, device) * grad_scale, state,
                     **hyper)
    return {"param": tensor_out(param, function, start), "state": state_out(state, function)}


STEP_F64 = Close(rtol=1e-10, atol=1e-13)  # measured vs torch.optim: at most 6.7e-16 abs
# The step functions in float64 against torch, value for value.
STEPS_F64 = CHECKS.defaults(expect=TORCH, compare=STEP_F64, variants=TORCH_F64)


@STEPS_F64.add("rmsprop_step",
               hint="v = alpha * v + (1 - alpha) * g^2, then param -= lr * g / (sqrt(v) + eps); "
                    "create state['square_avg'] as zeros on the first call")
def matches_torch_RMSprop(impl, device, dtype):
    """param (6, 4) {dtype}, 5 steps, lr 0.01, alpha 0.9, eps 1e-8"""
    return step_probe(impl, device, dtype, "rmsprop_step", lr=0.01, alpha=0.9, eps=1e-8)


@STEPS_F64.add("adam_step",
               hint="t = state['step'] + 1; bias-correct m and v with 1 - beta^t; Adam's "
                    "weight_decay adds weight_decay * param to the gradient first")
def matches_torch_Adam(impl, device, dtype):
    """param (6, 4) {dtype}, 5 steps, lr 0.01, betas (0.9, 0.999), weight_decay 0.1"""
    return step_probe(impl, device, dtype, "adam_step", lr=0.01, betas=(0.9, 0.999), eps=1e-8,
                      weight_decay=0.1)


@STEPS_F64.add("adamw_step",
               hint="AdamW multiplies param by (1 - lr * weight_decay) and takes an Adam step "
                    "on the plain gradient (the decay before the step, or after it as CS336 "
                    "writes it)")
def matches_torch_AdamW(impl, device, dtype):
    """param (6, 4) {dtype}, 5 steps, lr 0.01, betas (0.9, 0.999), weight_decay 0.1"""
    return step_probe(impl, device, dtype, "adamw_step", lr=0.01, betas=(0.9, 0.999), eps=1e-8,
                      weight_decay=0.1)


# float32 answers against float64 torch: measured 3.7e-7 abs; a real mistake is off by 1e-3.
@CHECKS.add("adamw_step", expect=TORCH, compare=Close(rtol=1e-4, atol=1e-5),  # measured 3.7e-7
            variants=TORCH_F32,
            hint="float32 in, float32 out: create the state with torch.zeros_like(param) and use "
                 "only tensor operations, so everything keeps param's dtype")
def matches_torch_AdamW_float32(impl, device, dtype):
    """param (6, 4) {dtype}, 10 steps, lr 0.01, betas (0.9, 0.99), weight_decay 0.1"""
    return step_probe(impl, device, dtype, "adamw_step", steps=10, seed=30, lr=0.01,
                      betas=(0.9, 0.99), eps=1e-8, weight_decay=0.1)


# ---- the AdamW optimizer class -------------------------------------------------------------

def network(dtype, device, seed: int) -> nn.Module:
    """A small 4-8-1 tanh network with seeded weights."""
    model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1)).to(dtype=dtype,
                                                                        device=device)
    with torch.no_grad():
        for k, param in enumerate(model.parameters()):
            param.copy_(randn(tuple(param.shape), seed + k, dtype, device) * 0.5)
    return model


def regression_data(dtype, device, seed: int, n: int = 32):
    x = randn((n, 4), seed, dtype, device)
    return x, torch.sin(x.sum(dim=1, keepdim=True))


def two_groups(model: nn.Module) -> list[dict]:
    """Two param groups with their own lr and weight decay (the second takes the default
    weight_decay)."""
    return [{"params": list(model[0].parameters()), "lr": 0.01, "weight_decay": 0.1},
            {"params": list(model[2].parameters()), "lr": 0.003}]


ADAMW_SETTINGS = {"lr": 1e-3, "betas": (0.9, 0.99), "eps": 1e-8, "weight_decay": 0.05}


def on_one_thread(function, *args, **kwargs):
    """function(*args, **kwargs) with torch on one CPU thread: on these tiny networks more threads
    only contend (measured 21.7 ms a training step on 2 busy cores, 1.7 ms on one)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return function(*args, **kwargs)
    finally:
        torch.set_num_threads(threads)


def train(model: nn.Module, optimizer, x, y, steps: int) -> list[float]:
    """`steps` full-batch steps on the mean squared error: the loss before each step."""
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


def adamw_probe(impl, device, dtype, steps: int, seed: int = 40) -> dict:
    """`steps` full-batch steps of AdamW with two param groups: the final weights and the loss
    curve."""
    model = network(dtype, device, seed)
    x, y = regression_data(dtype, device, seed + 10)
    optimizer = impl.AdamW(two_groups(model), **ADAMW_SETTINGS)
    losses = on_one_thread(train, model, optimizer, x, y, steps)
    return {"params": tensors_out(dict(model.named_parameters()), "AdamW"),
            "losses": np.array(losses, dtype=np.float64)}


@CHECKS.add("AdamW", expect=TORCH, compare=Close(rtol=1e-9, atol=1e-12),  # measured 1.3e-15
            variants=TORCH_F64,
            hint="subclass torch.optim.Optimizer, pass the defaults to super().__init__, and in "
                 "step() use each group's own lr, betas, eps and weight_decay with "
                 "self.state[p] as the state dict")
def matches_torch_AdamW_class(impl, device, dtype):
    """4-8-1 tanh network, {dtype}, two param groups (lr 0.01 / wd 0.1 and lr 0.003 / default wd
    0.05), 100 full-batch steps"""
    return adamw_probe(impl, device, dtype, steps=100)


# ---- schedules -----------------------------------------------------------------------------

def schedule_probe(impl, device, function: str, iterations, **settings) -> dict:
    """The schedule's value at each iteration, as float64 numbers."""
    schedule = getattr(impl, function)
    values = [scalar(schedule(t, **settings), f"{function}({t})") for t in iterations]
    if any(value is None for value in values):
        raise ProbeError(f"{function} returned None; it must return the learning rate")
    return {"lr": np.array(values, dtype=np.float64)}


WARMUP_EXAMPLE = {"base_lr": 1.0, "warmup_iters": 4, "total_iters": 12, "min_lr": 0.1}


@CHECKS.add("warmup_cosine_lr",
            expect=literal({"lr": np.array([0.0, 0.5, 1.0, 0.55, 0.1, 0.1, 0.1])},
                           "the worked example: lr(0) = 0, lr(W) = base_lr, mid-cosine "
                           "(base_lr + min_lr) / 2, min_lr from T on"),
            compare=Close(rtol=1e-15, atol=1e-16),  # measured 0 (one rounding at most)
            hint="t < W: base_lr * t / W; then min_lr + (base_lr - min_lr) * (1 + cos(pi * p)) "
                 "/ 2 with p = (t - W) / (T - W); from T on, min_lr")
def worked_example(impl, device):
    """base_lr 1, W 4, T 12, min_lr 0.1 at t = 0, 2, 4, 8, 12, 13, 100"""
    return schedule_probe(impl, device, "warmup_cosine_lr", (0, 2, 4, 8, 12, 13, 100),
                          **WARMUP_EXAMPLE)


# Schedules: measured vs torch's schedulers 0 (same formulas). The absolute floor is for values
# that tend to 0 (a cosine down to eta_min = 0): there 1 + cos(pi * p) cancels, and an equivalent
# spelling such as lr * cos(pi * p / 2) ** 2 differs by up to 2.2e-16 abs, 4.5e-10 relative
# (measured for lr <= 1, T <= 1000); a real mistake is off by lr / T or more.
SCHEDULE = Close(rtol=1e-13, atol=1e-15)  # measured 2.2e-16 abs (see above)


@CHECKS.add("one_cycle_lr", expect=TORCH, compare=SCHEDULE,
            hint="phase 1 ends at e1 = pct_start * total_steps - 1; cosine-anneal from "
                 "max_lr / div_factor up to max_lr, then down to initial_lr / final_div_factor "
                 "at total_steps - 1")
def matches_OneCycleLR(impl, device):
    """max_lr 0.1, total_steps 100, pct_start 0.3, default factors, steps 0..99"""
    return schedule_probe(impl, device, "one_cycle_lr", range(100), max_lr=0.1,
                          total_steps=100, pct_start=0.3, div_factor=25.0,
                          final_div_factor=1e4)


@CHECKS.add("cosine_warm_restarts_lr", expect=TORCH, compare=SCHEDULE,
            hint="T_cur counts steps since the last restart; lr = eta_min + (base_lr - eta_min) "
                 "* (1 + cos(pi * T_cur / T_i)) / 2, back to base_lr at every restart")
def matches_CosineAnnealingWarmRestarts(impl, device):
    """base_lr 0.1, T_0 10, T_mult 1, eta_min 0, steps 0..39"""
    return schedule_probe(impl, device, "cosine_warm_restarts_lr", range(40), base_lr=0.1,
                          T_0=10, T_mult=1, eta_min=0.0)


# ---- the LR finder -------------------------------------------------------------------------

SWEEP = {"min_lr": 1e-4, "max_lr": 10.0, "num_steps": 60}


def finder_problem(dtype, device, seed: int, n: int = 64, batch_size: int = 0):
    """Linear regression y = x w + noise with a seeded nn.Linear(5, 1); full batch when
    batch_size is 0."""
    x = randn((n, 5), seed, dtype, device)
    y = x @ randn((5, 1), seed + 1, dtype, device) + 0.1 * randn((n, 1), seed + 2, dtype, device)
    size = batch_size or n
    batches = [(x[i:i + size], y[i:i + size]) for i in range(0, n, size)]
    model = nn.Linear(5, 1).to(dtype=dtype, device=device)
    with torch.no_grad():
        model.weight.copy_(randn((1, 5), seed + 3, dtype, device))
        model.bias.zero_()
    return model, batches


def finder_out(result) -> dict:
    """lr_finder's answer as plain data."""
    if not isinstance(result, dict):
        raise ProbeError(f"lr_finder returned a {type(result).__name__}, expected a dict")
    missing = [key for key in ("rates", "losses", "suggestion", "diverged_lr")
               if key not in result]
    if missing:
        raise ProbeError(f"lr_finder's result has no {missing}")
    out = {key: np.array([scalar(v, f"lr_finder {key}") for v in result[key]], dtype=np.float64)
           for key in ("rates", "losses")}
    return {**out, "suggestion": scalar(result["suggestion"], "lr_finder suggestion"),
            "diverged_lr": scalar(result["diverged_lr"], "lr_finder diverged_lr")}


def finder_probe(impl, device, dtype, seed: int = 60, batch_size: int = 0,
                 momentum: float = 0.0, **sweep) -> dict:
    """lr_finder on the regression problem with the caller's SGD optimizer and MSE loss."""
    model, batches = finder_problem(dtype, device, seed, batch_size=batch_size)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=momentum)
    return finder_out(on_one_thread(impl.lr_finder, model, F.mse_loss, batches, optimizer,
                                    **sweep))


def sweep_properties(settings: dict, diverges: bool):
    """The sweep's rates are min_lr * (max_lr / min_lr) ** (i / (n - 1)); it stops at
    divergence (or runs all n steps); the suggestion is one of the rates, below divergence."""
    min_lr, max_lr, n = settings["min_lr"], settings["max_lr"], settings["num_steps"]

    def compare(got: dict, want: None) -> None:
        rates, losses, k = got["rates"], got["losses"], len(got["rates"])
        require(k >= 1 and len(losses) == k, f"{k} rates and {len(losses)} losses: expected "
                                             "equal lengths, at least 1", "losses")
        expected = min_lr * (max_lr / min_lr) ** (np.arange(n) / (n - 1))
        # rtol 1e-12: the same power in another order differs by a few roundings (measured 0).
        Close(rtol=1e-12, atol=0.0)(rates, expected[:k])
        require(bool(np.all(np.isfinite(losses))), "a recorded smoothed loss is NaN or inf",
                "losses")
        if diverges:
            require(got["diverged_lr"] is not None and k < n,
                    f"the sweep recorded {k} of {n} steps without reporting divergence; this "
                    "problem diverges before max_lr", "diverged_lr")
            Close(rtol=1e-12, atol=0.0)(got["diverged_lr"], float(expected[k]))
        else:
            require(got["diverged_lr"] is None and k == n,
                    f"the sweep stopped after {k} of {n} steps; this problem does not diverge",
                    "diverged_lr")
        require(got["suggestion"] in rates.tolist(), "the suggestion is not one of the "
                                                     "recorded rates", "suggestion")

    return compare


@CHECKS.add("lr_finder", compare=sweep_properties(SWEEP, diverges=True), variants=TORCH_F64,
            hint="rates r_i = min_lr * (max_lr / min_lr) ** (i / (num_steps - 1)); stop when the "
                 "smoothed loss is NaN/inf or above diverge_factor times the best; suggest one "
                 "of the recorded rates")
def sweep_is_exponential_and_stops(impl, device, dtype):
    """nn.Linear(5, 1) regression, 64 samples in one batch, {dtype}, SGD, min_lr 1e-4, max_lr 10,
    60 steps"""
    return finder_probe(impl, device, dtype, **SWEEP)
