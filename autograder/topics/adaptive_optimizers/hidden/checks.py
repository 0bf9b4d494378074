"""Hidden checks of topic 5-09 (adaptive_optimizers): bias correction, decoupled versus coupled
decay, eps placement, the in-place contract, long float32 runs, non-contiguous and large
parameters, the optimizer class over 500 steps and its state_dict round trip, schedule boundaries,
the LR finder's stopping rule and suggestion, library shortcuts and CUDA. Graded mode shows a
student only each check's name, pass or fail, and its hint. Tolerances are written next to each
check with the error the reference measured (float32 answers against float64 references).
"""

from __future__ import annotations

import copy
import functools
import math
import re
import warnings

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from autograder.runtime.check import REFERENCE, CheckSet, literal, oracle
from autograder.runtime.compare import EXACT, Close, at_most_slower, require
from autograder.runtime.probing import (
    raised,
    randn,
    speed_against,
    stderr_on_a_terminal,
    tensors_out,
    type_names,
)
from autograder.runtime.variants import CPU_CUDA, TORCH_F32, TORCH_F64
from autograder.topics.adaptive_optimizers.public import (
    ADAMW_SETTINGS,
    FORMULA,
    SCHEDULE,
    STATE_TENSORS,
    STEP_F64,
    TORCH,
    adamw_probe,
    finder_out,
    finder_probe,
    finder_problem,
    network,
    on_one_thread,
    regression_data,
    schedule_probe,
    step_probe,
    train,
    two_groups,
)

CHECKS = CheckSet("adaptive_optimizers", "hidden")
# The contract kinds each graded function's docstring states (autograder/contracts.py).
STEP_CONTRACTS = ("returns", "dtypes", "unchanged", "edges")
SCHEDULE_CONTRACTS = ("returns", "errors", "edges")
# The topic's own edge cases, each named in at least one hidden check (beside the pack's:
# float32, float64, large, noncontiguous, batch_of_one; tests/test_pack_rules.py).
EDGE_CASES = ("bias_correction_at_step_one", "decoupled_vs_coupled", "eps_outside_sqrt",
              "updates_in_place", "state_dict_round_trip", "skips_params_without_grad",
              "t_mult_two", "after_the_end", "no_warmup", "stops_on_nan", "restores_model",
              "deterministic", "no_library_shortcut")

CONTRACTS = {
    "rmsprop_step": ("returns", "dtypes", "unchanged"), "adam_step": STEP_CONTRACTS,
    "adamw_step": STEP_CONTRACTS,
    "AdamW": ("returns", "dtypes", "unchanged", "errors", "edges", "restores"),
    "warmup_cosine_lr": SCHEDULE_CONTRACTS, "one_cycle_lr": SCHEDULE_CONTRACTS,
    "cosine_warm_restarts_lr": SCHEDULE_CONTRACTS,
    "lr_finder": ("returns", "dtypes", "unchanged", "errors", "edges", "restores", "keys"),
}
NOT_APPLICABLE = {
    "rmsprop_step": {"edges": "'empty' describes the state dict before the first step, which "
                              "every check starts from; the docstring defines no boundary"},
}
# float32 answers against float64 references; a real mistake is off by 1e-2 or more.
F32_STEP = Close(rtol=1e-4, atol=1e-5)  # step functions: measured 4.4e-6 abs (AdamW, 50 steps)
F32_TRAIN = Close(rtol=1e-3, atol=1e-4)  # AdamW class 100 steps: measured 2.4e-6 abs (finder 5e-7)
LONG_F64 = Close(rtol=1e-9, atol=1e-12)  # AdamW class, 500 steps in float64: measured 1.9e-15
STEP_FUNCTIONS = ("rmsprop_step", "adam_step", "adamw_step")
IN_PLACE = literal({"returns_param": True, "param_updated": True, "state_tensors_kept": True,
                    "grad_unchanged": True}, "the in-place contract of the docstring")


def in_place_probe(impl, device, function: str, **hyper) -> dict:
    """Two steps on one state: what was returned, updated, kept and left alone."""
    step = getattr(impl, function)
    param = randn((5, 3), 300, torch.float64, device)
    start = param.clone()
    grad = randn((5, 3), 301, torch.float64, device)
    grad_before = grad.clone()
    state = {}
    first = step(param, grad, state, **hyper)
    kept = {name: state.get(name) for name in STATE_TENSORS[function]}
    second = step(param, grad, state, **hyper)
    return {"returns_param": first is param and second is param,
            "param_updated": not torch.equal(param, start),
            "state_tensors_kept": all(tensor is not None and state.get(name) is tensor
                                      for name, tensor in kept.items()),
            "grad_unchanged": torch.equal(grad, grad_before)}


# ---- the three step functions: shared checks -------------------------------------------------

@CHECKS.add(STEP_FUNCTIONS, expect=IN_PLACE, compare=EXACT, contract=("returns", "unchanged"),
            hint="update param and the state tensors in place (mul_, add_, sub_) and return "
                 "param itself; create the state tensors once, on the first call, and never "
                 "modify grad")
def updates_in_place(impl, device, function):
    """param and grad (5, 3) float64, two steps on one state dict, weight_decay 0.1"""
    return in_place_probe(impl, device, function, lr=0.01, weight_decay=0.1)


@CHECKS.add(STEP_FUNCTIONS, expect=TORCH, compare=F32_STEP, variants=TORCH_F32,
            devices=CPU_CUDA, contract="dtypes",
            hint="keep param's dtype and device: create the state with torch.zeros_like and "
                 "use only tensor operations")
def long_run_float32(impl, device, dtype, function):
    """param (64, 32) {dtype} on {device}, 50 steps, lr 0.003, eps 1e-6, weight_decay 0.05"""
    hyper = {"lr": 0.003, "eps": 1e-6, "weight_decay": 0.05}
    hyper.update({"alpha": 0.95} if function == "rmsprop_step" else {"betas": (0.8, 0.99)})
    return step_probe(impl, device, dtype, function, steps=50, size=(64, 32), seed=310,
                      **hyper)


@CHECKS.library_use(STEP_FUNCTIONS, kernels="torch's fused optimizer kernels", expect=TORCH,
                    compare=STEP_F64,  # measured 6.7e-16 abs
                    hint="torch.optim (Adam, AdamW, RMSprop, torch.optim._functional) and the "
                         "fused kernels are the library's versions: write the moment updates "
                         "yourself")
def no_library_shortcut(impl, device, function):
    """param (4,) float64, 2 steps"""
    return step_probe(impl, device, torch.float64, function, steps=2, size=(4,), seed=320)


# ---- rmsprop_step ----------------------------------------------------------------------------

# The step functions in float64 against torch, value for value.
STEPS_F64 = CHECKS.defaults(expect=TORCH, compare=STEP_F64, variants=TORCH_F64)


@STEPS_F64.add("rmsprop_step",
               hint="the average is over SQUARED gradients, g * g; RMSprop's weight_decay adds "
                    "weight_decay * param to the gradient before it is squared")
def many_steps_weight_decay(impl, device, dtype):
    """param (8, 5) {dtype}, 30 steps, lr 0.01, alpha 0.9, weight_decay 0.1"""
    return step_probe(impl, device, dtype, "rmsprop_step", steps=30, size=(8, 5), seed=330,
                      lr=0.01, alpha=0.9, eps=1e-8, weight_decay=0.1)


@STEPS_F64.add("rmsprop_step",
               hint="divide by sqrt(v) + eps: eps is added after the square root, not inside it")
def eps_outside_sqrt(impl, device, dtype):
    """param (6, 6) {dtype}, 5 steps, gradients of size 1e-4, eps 1e-3"""
    return step_probe(impl, device, dtype, "rmsprop_step", steps=5, size=(6, 6), seed=340,
                      grad_scale=1e-4, lr=0.01, alpha=0.99, eps=1e-3)


@STEPS_F64.add("rmsprop_step",
               hint="work on the tensor's values whatever its memory layout; zeros_like keeps it")
def noncontiguous_param(impl, device, dtype):
    """param a transposed view (7, 4) {dtype}, 5 steps"""
    return step_probe(impl, device, dtype, "rmsprop_step", steps=5, size=(7, 4), seed=350,
                      noncontiguous=True, lr=0.02, alpha=0.9, eps=1e-8, weight_decay=0.01)


# ---- adam_step and adamw_step ------------------------------------------------------------------

LIBRARY_OPTIMIZER = {"adam_step": "torch.optim.Adam", "adamw_step": "torch.optim.AdamW"}


@STEPS_F64.add(("adam_step", "adamw_step"), contract="edges",
               hint=lambda f: f"as {LIBRARY_OPTIMIZER[f]}: t = 1 on the first step, so m_hat = g "
                              "and v_hat = g^2 and every element moves by about lr; divide by "
                              "1 - beta^t with t counted from 1")
def bias_correction_at_step_one(impl, device, dtype, function):
    """one step from an empty state, param (5, 4) {dtype}, gradients from 1e-3 to 1e3"""
    return step_probe(impl, device, dtype, function, steps=1, size=(5, 4), seed=360,
                      grad_scale=1e3, lr=0.01, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)


@CHECKS.add("adam_step", expect=TORCH, compare=F32_STEP, variants=TORCH_F32,
            hint="one vectorised formula for the whole tensor; no Python loops over elements")
def large_param(impl, device, dtype):
    """param (1024, 512) {dtype}, 3 steps, weight_decay 0.01"""
    return step_probe(impl, device, dtype, "adam_step", steps=3, size=(1024, 512), seed=370,
                      lr=0.001, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01)


@STEPS_F64.add("adam_step",
               hint="Adam's weight_decay is the L2 form: g = grad + weight_decay * param, and g "
                    "goes through both moments")
def strong_l2_decay(impl, device, dtype):
    """param (12,) {dtype}, 20 steps, lr 0.05, betas (0.5, 0.9), weight_decay 0.5"""
    return step_probe(impl, device, dtype, "adam_step", steps=20, size=(12,), seed=380,
                      lr=0.05, betas=(0.5, 0.9), eps=1e-8, weight_decay=0.5)


def coupled_and_decoupled(impl, device, dtype, steps=10, lr=0.05, wd=0.5, seed=390) -> dict:
    """AdamW's and Adam's final parameters from one start and one gradient sequence."""
    out = {}
    for function in ("adamw_step", "adam_step"):  # AdamW first: its own stub is named first
        out[function] = step_probe(impl, device, dtype, function, steps=steps, size=(10,),
                                   seed=seed, lr=lr, betas=(0.9, 0.999), eps=1e-8,
                                   weight_decay=wd)["param"]
    return out


@STEPS_F64.add("adamw_step",
               hint="decoupled decay shrinks param by (1 - lr * weight_decay) outside the "
                    "adaptive scaling; the L2 form (Adam) adds weight_decay * param to the "
                    "gradient inside it: the two must differ")
def decoupled_vs_coupled(impl, device, dtype):
    """param (10,) {dtype}, 10 steps, lr 0.05, weight_decay 0.5: adamw_step and adam_step side by
    side"""
    return coupled_and_decoupled(impl, device, dtype)


@STEPS_F64.add("adamw_step", contract="edges", hint="with weight_decay 0 AdamW is exactly Adam")
def zero_weight_decay_is_adam(impl, device, dtype):
    """param (10,) {dtype}, 10 steps, weight_decay 0"""
    return coupled_and_decoupled(impl, device, dtype, wd=0.0, seed=400)


@STEPS_F64.add("adamw_step", name="noncontiguous_param",
               hint="update the parameter's values in place, whatever its memory layout")
def adamw_noncontiguous_param(impl, device, dtype):
    """param a transposed view (9, 3) {dtype}, 6 steps, weight_decay 0.2"""
    return step_probe(impl, device, dtype, "adamw_step", steps=6, size=(9, 3), seed=410,
                      noncontiguous=True, lr=0.01, betas=(0.9, 0.99), eps=1e-8,
                      weight_decay=0.2)


# ---- the AdamW class ---------------------------------------------------------------------------

def round_trip_probe(impl, device, dtype, steps: int = 500, resume_at: int = 250,
                     seed: int = 420) -> dict:
    """An uninterrupted run of `steps` steps, and the same run saved after `resume_at` steps
    (model and optimizer state_dicts) and resumed in a new model and a new optimizer."""
    x, y = regression_data(dtype, device, seed + 10)
    straight = network(dtype, device, seed)
    on_one_thread(train, straight, impl.AdamW(two_groups(straight), **ADAMW_SETTINGS), x, y,
                  steps)
    first = network(dtype, device, seed)
    optimizer = impl.AdamW(two_groups(first), **ADAMW_SETTINGS)
    on_one_thread(train, first, optimizer, x, y, resume_at)
    saved_model = copy.deepcopy(first.state_dict())
    saved_optimizer = copy.deepcopy(optimizer.state_dict())
    resumed = network(dtype, device, seed + 100)  # other weights: the load must restore them
    resumed.load_state_dict(saved_model)
    optimizer = impl.AdamW(two_groups(resumed), **ADAMW_SETTINGS)
    optimizer.load_state_dict(saved_optimizer)
    on_one_thread(train, resumed, optimizer, x, y, steps - resume_at)
    return {"straight": tensors_out(dict(straight.named_parameters()), "AdamW"),
            "resumed": tensors_out(dict(resumed.named_parameters()), "AdamW")}


def resumes_bit_for_bit(got: dict, want: dict) -> None:
    LONG_F64(got["straight"], want["straight"])
    for key, value in got["straight"].items():
        differ = int(np.count_nonzero(got["resumed"][key] != value))
        require(differ == 0, f"{differ} of {value.size} values of the resumed run differ from "
                             "the uninterrupted run: the saved state is incomplete", "resumed")


# The AdamW class in float64 against torch.optim.AdamW.
CLASS_F64 = CHECKS.defaults(expect=TORCH, compare=LONG_F64, variants=TORCH_F64)


@CLASS_F64.add("AdamW",
               hint="each group's own lr and weight_decay (missing entries from the defaults), "
                    "and a step count per parameter that starts at 1")
def matches_torch_over_500_steps(impl, device, dtype):
    """4-8-1 tanh network, {dtype}, two param groups, 500 full-batch steps"""
    return adamw_probe(impl, device, dtype, steps=500, seed=430)


@CLASS_F64.add("AdamW", compare=resumes_bit_for_bit, contract="restores",
               hint="keep every piece of state in self.state[p], the step count included, so "
                    "the inherited state_dict() saves it; nothing on the optimizer object itself")
def state_dict_round_trip(impl, device, dtype):
    """the 500-step run of two param groups, {dtype}, saved after 250 steps with state_dict() and
    resumed with load_state_dict() in a new optimizer"""
    return round_trip_probe(impl, device, dtype)


@CHECKS.add("AdamW", expect=TORCH, compare=F32_TRAIN, variants=TORCH_F32, devices=CPU_CUDA,
            contract="dtypes",
            hint="keep each parameter's dtype and device in its state (zeros_like)")
def float32_network(impl, device, dtype):
    """4-8-1 tanh network, {dtype} on {device}, two param groups, 100 steps"""
    return adamw_probe(impl, device, dtype, steps=100, seed=440)


@CLASS_F64.add("AdamW", contract="returns",
               hint="step(closure) calls the closure with gradients enabled (torch.enable_grad()) "
                    "before updating, and returns its loss")
def step_with_closure(impl, device, dtype):
    """4-8-1 network, {dtype}, 20 steps of step(closure)"""
    model = network(dtype, device, 450)
    x, y = regression_data(dtype, device, 460)
    optimizer = impl.AdamW(model.parameters(), lr=0.01, weight_decay=0.02)

    def closure():
        optimizer.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        return loss

    losses = on_one_thread(lambda: [optimizer.step(closure) for _ in range(20)])
    if not all(isinstance(loss, torch.Tensor) for loss in losses):
        return {"returned_losses": False}
    return {"returned_losses": True,
            "losses": np.array([loss.item() for loss in losses], dtype=np.float64),
            "params": tensors_out(dict(model.named_parameters()), "AdamW")}


@CLASS_F64.add("AdamW", contract="unchanged",
               hint="skip parameters whose .grad is None: no update, and no state created for "
                    "them")
def skips_params_without_grad(impl, device, dtype):
    """4-8-1 network, {dtype}, plus a parameter outside the loss (grad None), 30 steps"""
    model = network(dtype, device, 470)
    x, y = regression_data(dtype, device, 480)
    unused = nn.Parameter(randn((3,), 490, dtype, device))
    groups = two_groups(model)
    groups[1]["params"].append(unused)
    optimizer = impl.AdamW(groups, **ADAMW_SETTINGS)
    on_one_thread(train, model, optimizer, x, y, 30)
    return {"params": tensors_out({**dict(model.named_parameters()), "unused": unused}, "AdamW"),
            "states": len(optimizer.state)}


@CHECKS.add("AdamW", expect=TORCH, compare=EXACT,
            contract="errors",
            hint="validate the hyperparameters in __init__ as torch does: lr, eps and "
                 "weight_decay >= 0, each beta in [0, 1); raise ValueError")
def rejects_bad_hyperparameters(impl, device):
    """lr -1e-3, eps -1, betas (1.0, 0.999), betas (0.9, -0.1), weight_decay -0.1"""
    param = nn.Parameter(torch.zeros(3, dtype=torch.float64))
    bad = ({"lr": -1e-3}, {"eps": -1.0}, {"betas": (1.0, 0.999)}, {"betas": (0.9, -0.1)},
           {"weight_decay": -0.1})
    return {"errors": [raised(lambda kw=kw: impl.AdamW([param], **kw)) for kw in bad]}


@CHECKS.library_use("AdamW", kernels="torch's fused optimizer kernels",
                    name="no_library_shortcut_in_class", expect=TORCH,
                    compare=LONG_F64,  # measured 1.9e-15 abs
                    hint="subclass torch.optim.Optimizer itself, not torch.optim.AdamW or Adam, "
                         "and write the update (your adamw_step)")
def no_library_shortcut_in_class(impl, device):
    """AdamW on a 4-8-1 network, float64, 3 steps"""
    return adamw_probe(impl, device, torch.float64, steps=3, seed=500)


# ---- warmup_cosine_lr --------------------------------------------------------------------------

WARMUP = {"base_lr": 3e-4, "warmup_iters": 100, "total_iters": 1000, "min_lr": 3e-5}


@CHECKS.add("warmup_cosine_lr", expect=FORMULA, compare=EXACT,
            contract="edges",
            hint="lr(0) = 0 exactly, and from t = total_iters on the rate is min_lr itself, "
                 "held forever: the cosine does not continue past the end")
def exact_at_start_and_after_the_end(impl, device):
    """base_lr 3e-4, W 100, T 1000, min_lr 3e-5 at t = 0 and at and after the end"""
    return schedule_probe(impl, device, "warmup_cosine_lr", (0, 1000, 1000.5, 1001, 5000),
                          **WARMUP)


@CHECKS.add("warmup_cosine_lr", expect=FORMULA,
            compare=Close(rtol=1e-15, atol=0.0),  # measured 0; other orders: a rounding or two
            hint="the warm-up reaches base_lr exactly at t = warmup_iters (t / W, not "
                 "(t + 1) / W); mid-cosine is (base_lr + min_lr) / 2")
def at_warmup_end_and_mid_cosine(impl, device):
    """base_lr 3e-4, W 100, T 1000, min_lr 3e-5 at t = 99, 100, 101, 550"""
    return schedule_probe(impl, device, "warmup_cosine_lr", (99, 100, 101, 550), **WARMUP)


@CHECKS.add("warmup_cosine_lr", expect=FORMULA, compare=SCHEDULE,
            hint="the iteration may be a float: use it in the formulas as it is, without "
                 "rounding; the cosine decays to min_lr, not to 0")
def fractional_iterations(impl, device):
    """base_lr 3e-4, W 100, T 1000, min_lr 3e-5 at t = 0, 7.5, 15, ..., 1200"""
    return schedule_probe(impl, device, "warmup_cosine_lr", np.arange(0.0, 1200.1, 7.5).tolist(),
                          **WARMUP)


@CHECKS.add("warmup_cosine_lr", expect=FORMULA, compare=SCHEDULE,
            contract="edges",
            hint="warmup_iters 0 means no warm-up: the cosine starts at t = 0 with base_lr (and "
                 "nothing divides by W)")
def no_warmup(impl, device):
    """base_lr 0.1, W 0, T 50, min_lr 0.001 at t = 0..60"""
    return schedule_probe(impl, device, "warmup_cosine_lr", range(61), base_lr=0.1,
                          warmup_iters=0, total_iters=50, min_lr=0.001)


@CHECKS.add("warmup_cosine_lr", expect=literal({"errors": ["ValueError"] * 3}),
            contract="errors", compare=EXACT,
            hint="raise ValueError for a negative iteration, a negative warm-up, and "
                 "total_iters <= warmup_iters")
def rejects_bad_arguments(impl, device):
    """t = -1; W = T = 10; W = -1"""
    bad = ((-1, 1e-3, 10, 100), (5, 1e-3, 10, 10), (5, 1e-3, -1, 100))
    return {"errors": [raised(lambda args=args: impl.warmup_cosine_lr(*args)) for args in bad]}


# ---- one_cycle_lr ------------------------------------------------------------------------------

# The schedules against torch's schedulers.
SCHEDULERS = CHECKS.defaults(expect=TORCH, compare=SCHEDULE)


@SCHEDULERS.add("one_cycle_lr",
                hint="e1 = pct_start * total_steps - 1 need not be an integer; phase 2 runs from "
                     "e1 to total_steps - 1, and step total_steps is still evaluated")
def matches_OneCycleLR_uneven_phases(impl, device):
    """max_lr 0.5, total_steps 37, pct_start 0.25 (phase 1 ends at 8.25), div_factor 10,
    final_div_factor 100, steps 0..37"""
    return schedule_probe(impl, device, "one_cycle_lr", range(38), max_lr=0.5, total_steps=37,
                          pct_start=0.25, div_factor=10.0, final_div_factor=100.0)


@SCHEDULERS.add("one_cycle_lr", contract="edges",
                compare=Close(rtol=1e-15, atol=0.0),  # measured 0: the same operations as torch
                hint="lr(0) = max_lr / div_factor, the peak max_lr at e1, and "
                     "max_lr / div_factor / final_div_factor at total_steps - 1")
def exact_at_boundaries(impl, device):
    """max_lr 0.2, total_steps 50, pct_start 0.4 at t = 0, 19, 20, 49, 50"""
    return schedule_probe(impl, device, "one_cycle_lr", (0, 19, 20, 49, 50), max_lr=0.2,
                          total_steps=50, pct_start=0.4, div_factor=25.0, final_div_factor=1e4)


@SCHEDULERS.add("one_cycle_lr",
                hint="anneal with cos: end + (start - end) / 2 * (cos(pi * pct) + 1), not a "
                     "straight line")
def short_cycle(impl, device):
    """max_lr 1.0, total_steps 10, pct_start 0.45, steps 0..10"""
    return schedule_probe(impl, device, "one_cycle_lr", range(11), max_lr=1.0, total_steps=10,
                          pct_start=0.45, div_factor=25.0, final_div_factor=1e4)


@CHECKS.add("one_cycle_lr", expect=REFERENCE, compare=SCHEDULE, name="fractional_iterations",
            hint="a fractional step goes through the same formulas, in the phase it falls in")
def one_cycle_fractional_iterations(impl, device):
    """max_lr 0.5, total_steps 37, pct_start 0.25 at fractional steps"""
    return schedule_probe(impl, device, "one_cycle_lr", (0.5, 7.25, 8.5, 20.75, 36.5),
                          max_lr=0.5, total_steps=37, pct_start=0.25, div_factor=10.0,
                          final_div_factor=100.0)


@CHECKS.add("one_cycle_lr", expect=literal({"errors": ["ValueError"] * 2}), compare=EXACT,
            contract="errors",
            hint="after the end (t > total_steps) raise ValueError, as OneCycleLR does; also "
                 "for a negative step")
def after_the_end_raises(impl, device):
    """total_steps 20: t = 21 and t = -1"""
    return {"errors": [raised(lambda t=t: impl.one_cycle_lr(t, 0.1, 20)) for t in (21, -1)]}


# ---- cosine_warm_restarts_lr -------------------------------------------------------------------

@SCHEDULERS.add("cosine_warm_restarts_lr",
                hint="after each restart the cycle is T_mult times longer: T_0, T_0 * T_mult, "
                     "T_0 * T_mult^2, ...; add up the cycle lengths to find the current one")
def t_mult_two(impl, device):
    """base_lr 0.1, T_0 3, T_mult 2, eta_min 0.01, steps 0..99"""
    return schedule_probe(impl, device, "cosine_warm_restarts_lr", range(100), base_lr=0.1,
                          T_0=3, T_mult=2, eta_min=0.01)


@SCHEDULERS.add("cosine_warm_restarts_lr", compare=EXACT, contract="edges",
                hint="a restart (lr back to exactly base_lr) happens when the cycle's length has "
                     "elapsed, and the next cycle is T_mult times longer; add up the cycle "
                     "lengths instead of rounding a logarithm")
def exact_at_restarts_t_mult_two(impl, device):
    """base_lr 0.05, eta_min 0, steps 0..70: the steps where lr equals base_lr exactly, for T_0 1,
    T_mult 2 and for T_0 5, T_mult 3"""
    out = {}
    for label, t_0, t_mult in (("t_mult_two", 1, 2), ("t_mult_three", 5, 3)):
        lrs = schedule_probe(impl, device, "cosine_warm_restarts_lr", range(71), base_lr=0.05,
                             T_0=t_0, T_mult=t_mult, eta_min=0.0)["lr"]
        out[label] = np.flatnonzero(lrs == 0.05).astype(np.int64)  # torch: 0, 1, 3, 7, ...
    return out


@SCHEDULERS.add("cosine_warm_restarts_lr",
                hint="a fractional step t uses T_cur = t - (start of its cycle), as "
                     "CosineAnnealingWarmRestarts.step(epoch) does")
def t_mult_three_fractional(impl, device):
    """base_lr 0.3, T_0 2, T_mult 3, eta_min 0.001 at fractional and integer steps"""
    return schedule_probe(impl, device, "cosine_warm_restarts_lr",
                          (0.5, 1.99, 2.0, 2.5, 7.25, 8.0, 20.3, 25.9, 26.0, 70.5),
                          base_lr=0.3, T_0=2, T_mult=3, eta_min=0.001)


@CHECKS.add("cosine_warm_restarts_lr", expect=literal({"errors": ["ValueError"] * 3}),
            contract="errors", compare=EXACT, name="rejects_bad_arguments",
            hint="raise ValueError for a negative step, T_0 < 1 or T_mult < 1")
def warm_restarts_rejects_bad_arguments(impl, device):
    """t = -1; T_0 = 0; T_mult = 0"""
    bad = ({"iteration": -1, "T_0": 10, "T_mult": 1}, {"iteration": 3, "T_0": 0, "T_mult": 1},
           {"iteration": 3, "T_0": 10, "T_mult": 0})
    return {"errors": [raised(lambda kw=kw: impl.cosine_warm_restarts_lr(base_lr=0.1, **kw))
                       for kw in bad]}


# ---- lr_finder ---------------------------------------------------------------------------------

# Another order of the same float64 arithmetic moves a smoothed loss by ~1e-15; a wrong rule
# moves it by 1e-3 or more.
FINDER_F64 = Close(rtol=1e-10, atol=1e-12)  # measured vs the reference: 0
# Sweeps against the reference's, in float64 (FINDER_SWEEPS: a {dtype} variant).
FINDER = CHECKS.defaults(expect=REFERENCE, compare=FINDER_F64)
FINDER_SWEEPS = FINDER.defaults(variants=TORCH_F64)


@FINDER_SWEEPS.add("lr_finder",
                   hint="smooth with bias correction: avg / (1 - beta ** (i + 1)); stop before "
                        "recording a step whose smoothed loss exceeds diverge_factor * best; "
                        "suggest the rate of the update with the steepest fall")
def matches_reference(impl, device, dtype):
    """nn.Linear(5, 1) regression, one batch of 64, {dtype}, SGD, min_lr 1e-4, max_lr 10, 60
    steps"""
    return finder_probe(impl, device, dtype, min_lr=1e-4, max_lr=10.0, num_steps=60)


@FINDER_SWEEPS.add("lr_finder",
                   hint="batch i is batches[i % len(batches)]; set the rate in every param "
                        "group; only set the rate, the caller's optimizer does the update")
def minibatches_with_momentum(impl, device, dtype):
    """4 mini-batches of 16 reused in order, {dtype}, SGD with momentum 0.9, min_lr 1e-5, max_lr
    3, 80 steps, beta 0.9"""
    return finder_probe(impl, device, dtype, seed=510, batch_size=16, momentum=0.9,
                        min_lr=1e-5, max_lr=3.0, num_steps=80, beta=0.9)


@FINDER_SWEEPS.add("lr_finder", contract="edges",
                   hint="a batch of one is an ordinary batch: the same loop and the same "
                        "bias-corrected smoothing, avg / (1 - beta ** (i + 1))")
def batch_of_one(impl, device, dtype):
    """16 batches of one sample, {dtype}, SGD, min_lr 1e-4, max_lr 10, 40 steps"""
    return finder_probe(impl, device, dtype, seed=520, batch_size=1, min_lr=1e-4, max_lr=10.0,
                        num_steps=40)


@FINDER_SWEEPS.add("lr_finder",
                   hint="without divergence the sweep runs all num_steps steps, ends at max_lr "
                        "and reports diverged_lr None")
def full_sweep_without_divergence(impl, device, dtype):
    """nn.Linear(5, 1), {dtype}, SGD, min_lr 1e-5, max_lr 0.01, 30 steps"""
    return finder_probe(impl, device, dtype, seed=530, min_lr=1e-5, max_lr=0.01, num_steps=30)


def nan_after(calls: int):
    """The mean squared error, then NaN from call `calls` + 1 on."""
    count = [0]

    def loss_fn(outputs, targets):
        count[0] += 1
        loss = F.mse_loss(outputs, targets)
        return loss * math.nan if count[0] > calls else loss

    return loss_fn


@FINDER.add("lr_finder", contract="edges",
            hint="NaN compares false with everything: test math.isfinite(smoothed) explicitly "
                 "and stop there")
def stops_on_nan(impl, device):
    """a loss that becomes NaN at the 7th step, min_lr 1e-4, max_lr 1, 30 steps"""
    model, batches = finder_problem(torch.float64, device, 540)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    return finder_out(on_one_thread(impl.lr_finder, model, nan_after(6), batches, optimizer,
                                    min_lr=1e-4, max_lr=1.0, num_steps=30))


@CHECKS.add("lr_finder", expect=REFERENCE, compare=EXACT,
            contract=("unchanged", "restores"),
            hint="copy model.state_dict() and optimizer.state_dict() on entry (copy.deepcopy) "
                 "and load them back before returning")
def restores_model_and_optimizer(impl, device):
    """nn.Linear(5, 1), SGD with momentum 0.9: the model and optimizer after a sweep that
    diverges"""
    model, batches = finder_problem(torch.float64, device, 550)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    on_one_thread(impl.lr_finder, model, F.mse_loss, batches, optimizer, min_lr=1e-4,
                  max_lr=10.0, num_steps=50)
    return {**tensors_out(dict(model.named_parameters()), "lr_finder"),
            "lr": optimizer.param_groups[0]["lr"], "states": len(optimizer.state)}


@CHECKS.add("lr_finder", compare=lambda got, _: _same_runs(got),
            hint="no randomness, and restore the model and optimizer: the second sweep must "
                 "repeat the first exactly")
def deterministic(impl, device):
    """two sweeps in a row on the same model and optimizer"""
    model, batches = finder_problem(torch.float64, device, 560)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    runs = [finder_out(on_one_thread(impl.lr_finder, model, F.mse_loss, batches, optimizer,
                                     min_lr=1e-4, max_lr=10.0, num_steps=40))
            for _ in range(2)]
    return {"runs": runs}


def _same_runs(got: dict) -> None:
    first, second = got["runs"]
    for key in ("rates", "losses"):
        require(first[key].shape == second[key].shape and np.array_equal(first[key], second[key]),
                f"the second sweep's {key} differ from the first's", key)
    for key in ("suggestion", "diverged_lr"):
        require(first[key] == second[key], f"the second sweep's {key} differs", key)


@CHECKS.add("lr_finder", expect=REFERENCE, compare=F32_TRAIN, variants=TORCH_F32,
            devices=CPU_CUDA, contract="dtypes",
            hint="the model may be float32 or on CUDA: take the loss with loss.item() and "
                 "compute the smoothing in Python floats")
def float32_sweep(impl, device, dtype):
    """nn.Linear(5, 1) regression, {dtype} on {device}, SGD, min_lr 1e-4, max_lr 1, 50 steps (no
    divergence)"""
    out = finder_probe(impl, device, dtype, seed=570, min_lr=1e-4, max_lr=1.0, num_steps=50)
    return {key: out[key] for key in ("rates", "losses", "diverged_lr")}


@FINDER.library_use("lr_finder", name="no_library_shortcut_in_sweep",
                    hint="torch.optim.lr_scheduler (ExponentialLR, LambdaLR, ...) is the "
                         "library's version of the sweep: set group['lr'] yourself")
def no_library_shortcut_in_sweep(impl, device):
    """a 20-step sweep with the caller's SGD, float64"""
    return finder_probe(impl, device, torch.float64, seed=580, min_lr=1e-4, max_lr=10.0,
                        num_steps=20)


# ---- speed on CUDA: whole-tensor operations (see compare.SPEED_FACTOR) ------------------------
# CPU: the reference measured 2.9 times torch.optim.Adam, a loop over rows 3.8.
@CHECKS.add("adam_step", compare=at_most_slower("torch.optim.Adam"), devices=("cuda",),
            hint="update the whole tensor and its moments at once with tensor operations, no loop "
                 "over elements")
def speed(impl, device):
    """param (4096, 1024) float32 on {device}, in place, repeated steps"""
    param, grad = (randn((4096, 1024), 330 + i, torch.float32, device) for i in range(2))
    library_param = param.clone().requires_grad_(True)
    library_param.grad = grad.clone()
    library = torch.optim.Adam([library_param], lr=1e-3)
    state: dict = {}
    return speed_against(lambda: impl.adam_step(param, grad, state, lr=1e-3), library.step,
                         device)


# ---- documented defaults and boundaries (mutation testing: docs/mutation/adaptive_optimizers.md)

@CLASS_F64.add("AdamW",  # measured 1.1e-16 abs
               hint="the defaults are torch.optim.AdamW's: lr 1e-3, betas (0.9, 0.999), eps 1e-8 "
                    "and weight_decay 1e-2")
def documented_defaults(impl, device, dtype):
    """4-8-1 tanh network, {dtype}, AdamW(model.parameters()) with every hyperparameter left at
    its default, 50 steps"""
    model = network(dtype, device, 600)
    x, y = regression_data(dtype, device, 610)
    losses = on_one_thread(train, model, impl.AdamW(model.parameters()), x, y, 50)
    return {"params": tensors_out(dict(model.named_parameters()), "AdamW"),
            "losses": np.array(losses, dtype=np.float64)}


@CHECKS.add("AdamW", expect=TORCH, compare=EXACT,
            contract="edges",
            hint="only values outside the ranges are invalid: lr, eps and weight_decay may be 0, "
                 "and a beta may be 0 (each beta is in [0, 1))")
def accepts_boundary_hyperparameters(impl, device):
    """lr 0, eps 0, weight_decay 0, betas (0, 0.999), betas (0.9, 0)"""
    param = nn.Parameter(torch.zeros(3, dtype=torch.float64))
    good = ({"lr": 0.0}, {"eps": 0.0}, {"weight_decay": 0.0}, {"betas": (0.0, 0.999)},
            {"betas": (0.9, 0.0)})
    return {"errors": [raised(lambda kw=kw: impl.AdamW([param], **kw)) for kw in good]}


@CHECKS.add("warmup_cosine_lr", expect=FORMULA, compare=SCHEDULE,
            hint="min_lr defaults to 0.0: the cosine then decays to 0 and stays there")
def default_floor(impl, device):
    """base_lr 0.1, W 10, T 50, min_lr left at its default, t = 0..60"""
    return schedule_probe(impl, device, "warmup_cosine_lr", range(61), base_lr=0.1,
                          warmup_iters=10, total_iters=50)


@SCHEDULERS.add("one_cycle_lr", name="documented_defaults",
                hint="the defaults are OneCycleLR's: pct_start 0.3, div_factor 25.0, "
                     "final_div_factor 1e4")
def one_cycle_documented_defaults(impl, device):
    """max_lr 0.1, total_steps 100, pct_start, div_factor and final_div_factor left at their
    defaults, steps 0..100"""
    return schedule_probe(impl, device, "one_cycle_lr", range(101), max_lr=0.1,
                          total_steps=100)


@functools.cache
def _one_cycle_up_only(max_lr, total_steps, div_factor, final_div_factor):
    """OneCycleLR with pct_start 1 for steps 0..total_steps - 1 (its step total_steps would
    divide by zero in phase 2, as the docstring's formula does)."""
    opt = torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scheduler = torch.optim.lr_scheduler.OneCycleLR(
            opt, max_lr, total_steps=total_steps, pct_start=1.0, anneal_strategy="cos",
            cycle_momentum=False, div_factor=div_factor, final_div_factor=final_div_factor,
            three_phase=False)
        lrs = []
        for step in range(total_steps):
            if step:
                opt.step()
                scheduler.step()
            lrs.append(opt.param_groups[0]["lr"])
    return tuple(lrs)


def _torch_one_cycle_up_only(iteration, max_lr, total_steps, pct_start, div_factor=25.0,
                             final_div_factor=1e4):
    return _one_cycle_up_only(max_lr, total_steps, div_factor, final_div_factor)[int(iteration)]


@CHECKS.add("one_cycle_lr",
            expect=oracle("torch's OneCycleLR", one_cycle_lr=_torch_one_cycle_up_only),
            compare=SCHEDULE,  # measured 0 (torch's own operations)
            hint="t <= e1 is phase 1, the boundary included: at t = e1 the rate is the peak "
                 "max_lr from the cosine up (pct = t / e1 = 1)")
def peak_at_the_end_of_phase_one(impl, device):
    """max_lr 0.6, total_steps 20, pct_start 1.0 (phase 1 ends at e1 = 19), div_factor 10,
    final_div_factor 1, steps 0..19"""
    return schedule_probe(impl, device, "one_cycle_lr", range(20), max_lr=0.6, total_steps=20,
                          pct_start=1.0, div_factor=10.0, final_div_factor=1.0)


@SCHEDULERS.add("cosine_warm_restarts_lr", name="documented_defaults",
                hint="the defaults are CosineAnnealingWarmRestarts's: T_mult 1 (cycles of equal "
                     "length) and eta_min 0.0")
def warm_restarts_documented_defaults(impl, device):
    """base_lr 0.1, T_0 7, T_mult and eta_min left at their defaults, steps 0..39"""
    return schedule_probe(impl, device, "cosine_warm_restarts_lr", range(40), base_lr=0.1,
                          T_0=7)


def scripted_loss(values):
    """A loss_fn whose k-th call returns values[k] exactly (zero gradient: the model does not
    move), so the smoothed losses are exact binary fractions."""
    count = [0]

    def loss_fn(outputs, targets):
        value = values[min(count[0], len(values) - 1)]
        count[0] += 1
        return (outputs - targets).sum() * 0.0 + value

    return loss_fn


@FINDER.add("lr_finder", contract="edges",  # exact binary fractions: 0
            hint="divergence is s_i > diverge_factor * best (strictly: equal is not divergence), "
                 "tested from the second step (i = 1) on; with one recorded point the "
                 "suggestion is rates[0]")
def divergence_boundaries(impl, device):
    """a scripted loss with beta 0.5 and diverge_factor 4: (a) a smoothed loss exactly 4 times the
    best, (b) a jump above 4 times the best at the second step"""
    model, batches = finder_problem(torch.float64, device, 620)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    sweep = {"min_lr": 1e-3, "max_lr": 1.0, "num_steps": 8, "beta": 0.5, "diverge_factor": 4.0}
    # (a) s = 1, 4 (= 4 * best: recorded), 4, ...; (b) s = 1, then 10 > 4.
    scripts = {"equal": [1.0, 5.5, 4.0, 4.0, 2.0, 1.0, 0.5, 0.25], "second_step": [1.0, 20.0]}
    return {name: finder_out(on_one_thread(impl.lr_finder, model, scripted_loss(values),
                                           batches, optimizer, **sweep))
            for name, values in scripts.items()}


@FINDER.add("lr_finder", name="documented_defaults",  # measured vs reference: 0
            hint="the defaults are the signature's: min_lr 1e-7, max_lr 10.0, num_steps 100, "
                 "beta 0.98, diverge_factor 4.0")
def finder_documented_defaults(impl, device):
    """nn.Linear(5, 1) regression, SGD: lr_finder(model, loss_fn, batches, optimizer) with min_lr,
    max_lr, num_steps, beta and diverge_factor left at their defaults; a scripted loss whose
    smoothed value jumps to 4.5 times the best, diverge_factor left at its default"""
    model, batches = finder_problem(torch.float64, device, 630)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    omitted = finder_out(on_one_thread(impl.lr_finder, model, F.mse_loss, batches, optimizer))
    # beta 0.5: s_0 = 1, s_1 = (0.25 + 0.5 * 6.25) / 0.75 = 4.5, above 4 * best, below 5 * best
    factor = finder_out(on_one_thread(impl.lr_finder, model, scripted_loss([1.0, 6.25, 1.0]),
                                      batches, optimizer, min_lr=1e-3, max_lr=1.0, num_steps=6,
                                      beta=0.5))
    return {"all_omitted": omitted, "factor_omitted": factor}


@CHECKS.add("lr_finder", expect=literal({"errors": ["ValueError"] * 9}), compare=EXACT,
            contract="errors", name="rejects_bad_arguments",
            hint="raise ValueError unless 0 < min_lr < max_lr, num_steps >= 2, 0 <= beta < 1, "
                 "diverge_factor > 1 and batches is non-empty: every condition must hold")
def finder_rejects_bad_arguments(impl, device):
    """min_lr 0; min_lr = max_lr; min_lr > max_lr; num_steps 1; beta -0.1; beta 1; diverge_factor
    1; diverge_factor 0.5; empty batches (each alone)"""
    model, batches = finder_problem(torch.float64, device, 640)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    good = {"min_lr": 1e-4, "max_lr": 1.0, "num_steps": 5, "beta": 0.9, "diverge_factor": 4.0}
    bad = ({"min_lr": 0.0}, {"min_lr": 1.0}, {"min_lr": 2.0}, {"num_steps": 1}, {"beta": -0.1},
           {"beta": 1.0}, {"diverge_factor": 1.0}, {"diverge_factor": 0.5}, {"batches": []})

    def call(change):
        settings = {**good, "batches": batches, **change}
        return on_one_thread(impl.lr_finder, model, F.mse_loss, settings.pop("batches"),
                             optimizer, **settings)

    return {"errors": [raised(lambda change=change: call(change)) for change in bad]}


@FINDER.add("lr_finder",  # measured vs reference: 0
            hint="num_steps >= 2, 0 <= beta < 1 and diverge_factor > 1 include num_steps = 2 "
                 "(rates min_lr and max_lr), beta = 0 (no smoothing) and any factor above 1")
def accepts_boundary_arguments(impl, device):
    """the boundaries the docstring allows: num_steps 2, beta 0, diverge_factor 1.5"""
    model, batches = finder_problem(torch.float64, device, 650)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    runs = {"num_steps_2": {"num_steps": 2}, "beta_0": {"beta": 0.0},
            "factor_1_5": {"diverge_factor": 1.5}}
    return {name: finder_out(on_one_thread(impl.lr_finder, model, F.mse_loss, batches,
                                           optimizer, **{"min_lr": 1e-4, "max_lr": 10.0,
                                                         "num_steps": 30, **change}))
            for name, change in runs.items()}


def _optimizer_and_model_state(model, optimizer) -> dict:
    """The model's state_dict, the momentum buffers and the learning rate, as plain data."""
    momentum = {f"momentum {k}": optimizer.state[p]["momentum_buffer"]
                for k, p in enumerate(model.parameters())}
    return {**tensors_out({**dict(model.state_dict()), **momentum}, "lr_finder"),
            "lr": optimizer.param_groups[0]["lr"]}


def _restored(got: dict) -> None:
    before, after = got["before"], got["after"]
    for key, value in before.items():
        same = np.array_equal(np.asarray(after[key]), np.asarray(value))
        require(same, f"{key} is not what it was on entry (exact match required)", key)


@CHECKS.add("lr_finder", compare=lambda got, _: _restored(got),
            contract=("unchanged", "restores"),
            hint="save deep copies (copy.deepcopy) of model.state_dict() and "
                 "optimizer.state_dict() on entry: a shallow copy shares the tensors the sweep "
                 "changes in place (weights, BatchNorm's running statistics, momentum buffers)")
def restores_buffers_and_optimizer_state(impl, device):
    """Linear-BatchNorm1d-Linear, float64, SGD with momentum 0.9 after 3 training steps (momentum
    buffers exist): the model's parameters and buffers and the optimizer's state after a sweep,
    against those on entry"""
    model = nn.Sequential(nn.Linear(5, 4), nn.BatchNorm1d(4), nn.Linear(4, 1)).to(
        dtype=torch.float64, device=device)
    with torch.no_grad():  # seeded weights, no global RNG
        for k, param in enumerate(model.parameters()):
            param.copy_(randn(tuple(param.shape), 660 + k, torch.float64, device) * 0.5)
    _, batches = finder_problem(torch.float64, device, 670)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    inputs, targets = batches[0]
    for _ in range(3):
        optimizer.zero_grad()
        F.mse_loss(model(inputs), targets).backward()
        optimizer.step()
    before = _optimizer_and_model_state(model, optimizer)
    on_one_thread(impl.lr_finder, model, F.mse_loss, batches, optimizer, min_lr=1e-4,
                  max_lr=10.0, num_steps=30)
    return {"before": before, "after": _optimizer_and_model_state(model, optimizer)}


STEP_UNIT = r"(?<![A-Za-z])step/s|s/step(?![A-Za-z])"


@CHECKS.add("lr_finder",
            expect=literal({"omitted": {"drawn": False, "unit_step": False, "all_steps": False},
                            "false": {"drawn": False, "unit_step": False, "all_steps": False},
                            "true": {"drawn": True, "unit_step": True, "all_steps": True}},
                           "the docstring: a bar over the steps only when progress"),
            compare=EXACT,  # booleans
            hint="progress defaults to False; loop over progress_bar(range(num_steps), "
                 "desc=..., unit=\"step\", wanted=progress), so a bar of unit step is drawn only "
                 "when progress is True")
def progress_bar_only_when_asked(impl, device):
    """a 12-step sweep that does not diverge, stderr a terminal and CI unset: progress left out,
    False and True"""
    shown = {}
    for name, flag in (("omitted", {}), ("false", {"progress": False}),
                       ("true", {"progress": True})):
        model, batches = finder_problem(torch.float64, device, 680)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        _, text = stderr_on_a_terminal(lambda flag=flag, model=model, batches=batches,
                                       optimizer=optimizer: on_one_thread(
            impl.lr_finder, model, F.mse_loss, batches, optimizer, min_lr=1e-5, max_lr=0.01,
            num_steps=12, **flag))
        shown[name] = {"drawn": bool(text.strip()),
                       "unit_step": bool(re.search(STEP_UNIT, text)),
                       "all_steps": "12/12" in text}
    return shown


# ---- contracts: exact types of what is returned and stored -----------------------------------

STATE_ENTRIES = {"rmsprop_step": ("square_avg",), "adam_step": ("step", "exp_avg", "exp_avg_sq"),
                 "adamw_step": ("step", "exp_avg", "exp_avg_sq")}

@CHECKS.add(STEP_FUNCTIONS, expect=REFERENCE, compare=EXACT, contract=("returns", "dtypes"),
            variants=TORCH_F32,
            hint="create the state tensors with torch.zeros_like(param) (param's dtype and "
                 "device); state['step'] is a Python int")
def state_types_and_dtypes(impl, device, dtype, function):
    """param (4, 3) {dtype}, two steps from an empty state: the types of the documented state
    entries, their dtype and device"""
    step = getattr(impl, function)
    param, state = randn((4, 3), 500, dtype, device), {}
    for k in range(2):
        step(param, randn((4, 3), 501 + k, dtype, device), state, lr=0.01)
    entries = STATE_ENTRIES[function]
    tensors = [state.get(e) for e in entries if e != "step"]
    return {"types": {e: type_names(state.get(e)) for e in entries},
            "kept_dtype": all(isinstance(t, torch.Tensor) and t.dtype == param.dtype
                              for t in tensors),
            "kept_device": all(isinstance(t, torch.Tensor) and t.device == param.device
                               for t in tensors)}


SCHEDULE_SETTINGS = {
    "warmup_cosine_lr": ((0, 3, 4, 7.5, 12, 30),
                         {"base_lr": 0.5, "warmup_iters": 4, "total_iters": 12, "min_lr": 0.01}),
    "one_cycle_lr": ((0, 2, 5.5, 19, 20), {"max_lr": 0.5, "total_steps": 20}),
    "cosine_warm_restarts_lr": ((0, 3, 4.5, 10, 31),
                                {"base_lr": 0.5, "T_0": 4, "T_mult": 2, "eta_min": 0.01}),
}

@CHECKS.add(tuple(SCHEDULE_SETTINGS), expect=REFERENCE, compare=EXACT, contract="returns",
            hint="return the rate as a Python float (math.cos, not np.cos or torch.cos, which "
                 "return NumPy or tensor scalars)")
def returns_a_python_float(impl, device, function):
    """integer and fractional iterations, every phase of the schedule, float settings"""
    iterations, settings = SCHEDULE_SETTINGS[function]
    schedule = getattr(impl, function)
    return {"types": [type_names(schedule(t, **settings)) for t in iterations]}


@CHECKS.add("lr_finder", expect=REFERENCE, compare=EXACT, contract=("returns", "keys"),
            hint="return exactly the keys rates, losses, suggestion and diverged_lr: lists of "
                 "Python floats (loss.item()), a float suggestion, and a float or None")
def result_types_and_keys(impl, device):
    """the regression problem, float64: a sweep to max_lr 10 that diverges, and one to max_lr
    0.01 that runs all its steps"""
    found = []
    for max_lr in (10.0, 0.01):
        model, batches = finder_problem(torch.float64, device, 520)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        result = on_one_thread(impl.lr_finder, model, F.mse_loss, batches, optimizer,
                               min_lr=1e-4, max_lr=max_lr, num_steps=40)
        types = type_names(result)
        if types.get("type") == "dict":  # the item types of each list, not its length (a value)
            for value in types["values"].values():
                if isinstance(value, dict) and value.get("type") == "list":
                    value["items"] = sorted(set(value.pop("items")))
                    del value["length"]
        found.append(types)
    return {"types": found}
