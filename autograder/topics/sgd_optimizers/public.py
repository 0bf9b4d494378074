"""Public checks of topic 5-08 (sgd_optimizers): run them with `make check TOPIC=sgd_optimizers`.

Expected data come from torch itself (`torch.optim.SGD` in float64, gradients by autograd), from
the formulas and worked examples in the docstrings, or from properties every correct answer has;
never from the reference solution. The oracles below run one real `torch.optim.SGD` in the shape
of each exercise (pure steps, trajectories, sweeps) in the trusted process only. Each tolerance is
written next to its check with the error the reference measured. The probes, oracles and compares
here are shared with the hidden checks.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

from autograder.runtime.check import CheckSet, ProbeError, literal, oracle
from autograder.runtime.compare import EXACT, Close, require
from autograder.runtime.oracles import torch_sgd_step
from autograder.runtime.plain import to_plain
from autograder.runtime.probing import generator, raised, randn, tensor_out
from autograder.runtime.variants import TORCH_F32, TORCH_F64

CHECKS = CheckSet("sgd_optimizers", "public")
# float64 against torch.optim.SGD, the formulas and the worked examples: the reference measured at
# most 2.3e-15 abs and 9e-14 rel (200 training steps, Nesterov with weight decay); a real mistake
# (a missing term, a wrong sign) is off by 1e-3 or more.
STEPS_F64 = Close(rtol=1e-10, atol=1e-12)  # measured 2.3e-15 abs (see above)
HINTS = {
    "sgd_step": "g = grad + weight_decay * w, then w - lr * g; return a new tensor",
    "momentum_step": "b = g on the first step (velocity None), else momentum * velocity + g; "
                     "w - lr * b; return (w_new, b)",
    "nesterov_step": "b as for momentum_step, then w - lr * (g + momentum * b) with the new b; "
                     "return (w_new, b)",
    "SGD": "read lr, momentum, weight_decay and nesterov from each param group; keep the buffer "
           "in self.state[p]['momentum_buffer']; update p in place under torch.no_grad()",
    "minibatch_indices": "order = torch.randperm(n, generator=generator, device=generator.device)"
                         ", then consecutive slices of batch_size; the last one shorter",
    "trajectory": "row 0 is the start; then one SGD step per row with the gradient of "
                  "function at the current point; float64",
    "lr_sweep": "one trajectory per rate from the same start; the loss at its last point, or "
                "+inf when that loss is nan, inf or above max_loss",
}


# ---- oracles: torch.optim.SGD in the shape of each exercise -----------------------------------

def torch_momentum_step(nesterov: bool):
    """A pure `(param, grad, velocity, lr, momentum, weight_decay) -> (param, buffer)` step backed
    by one step of torch.optim.SGD, the velocity being its momentum_buffer."""

    def step(param, grad, velocity, lr, momentum=0.9, weight_decay=0.0):
        weight = nn.Parameter(param.detach().clone())
        weight.grad = grad.detach().clone()
        optimizer = torch.optim.SGD([weight], lr=lr, momentum=momentum,
                                    weight_decay=weight_decay, nesterov=nesterov)
        if velocity is not None:
            optimizer.state[weight]["momentum_buffer"] = velocity.detach().clone()
        optimizer.step()
        return weight.detach(), optimizer.state[weight]["momentum_buffer"]

    return step


def torch_trajectory(function, start, steps, lr, momentum=0.0, nesterov=False,
                     weight_decay=0.0):
    point = start.detach().to(torch.float64).clone().requires_grad_(True)
    optimizer = torch.optim.SGD([point], lr=lr, momentum=momentum, nesterov=nesterov,
                                weight_decay=weight_decay)
    points = [point.detach().clone()]
    for _ in range(steps):
        optimizer.zero_grad()
        function(point).backward()
        optimizer.step()
        points.append(point.detach().clone())
    return torch.stack(points)


def torch_lr_sweep(function, start, lrs, steps, momentum=0.0, nesterov=False, max_loss=1e10):
    losses = []
    for lr in lrs:
        last = torch_trajectory(function, start, steps, lr, momentum, nesterov)[-1]
        with torch.no_grad():
            loss = float(function(last))
        losses.append(loss if math.isfinite(loss) and loss <= max_loss else math.inf)
    return torch.tensor(losses, dtype=torch.float64, device=start.device)


def randperm_batches(n, batch_size, generator, shuffle=True, drop_last=False):
    """The docstring's definition: slices of torch.randperm (or arange) from the generator."""
    device = generator.device
    order = torch.randperm(n, generator=generator, device=device) if shuffle \
        else torch.arange(n, device=device)
    stop = n - n % batch_size if drop_last else n
    return [order[start:start + batch_size] for start in range(0, stop, batch_size)]


def rosenbrock_formula(xy, a=1.0, b=100.0):
    return (a - xy[..., 0]) ** 2 + b * (xy[..., 1] - xy[..., 0] ** 2) ** 2


def quadratic_formula(xy, condition=25.0):
    return 0.5 * (xy[..., 0] ** 2 + condition * xy[..., 1] ** 2)


TORCH = oracle("torch.optim.SGD", sgd_step=torch_sgd_step,
               momentum_step=torch_momentum_step(nesterov=False),
               nesterov_step=torch_momentum_step(nesterov=True), SGD=torch.optim.SGD,
               minibatch_indices=randperm_batches, trajectory=torch_trajectory,
               lr_sweep=torch_lr_sweep)
FORMULAS = oracle("the docstring's formula", rosenbrock=rosenbrock_formula,
                  ill_conditioned_quadratic=quadratic_formula)


# ---- probes (shared with the hidden checks) ---------------------------------------------------

def values(tensor, function: str):
    """A returned tensor's values as float64 plain data, with a clear message for a non-tensor."""
    if not isinstance(tensor, torch.Tensor):
        raise ProbeError(f"{function} returned {type(tensor).__name__}, expected a torch.Tensor")
    return to_plain(tensor.detach().to(torch.float64))


def pair(result, function: str):
    if not (isinstance(result, tuple) and len(result) == 2):
        raise ProbeError(f"{function} must return (new_param, new_velocity), got "
                         f"{type(result).__name__}")
    return result


def steps_probe(impl, device, dtype, function, steps=5, size=(7, 5), lr=0.1, momentum=0.9,
                wd=0.0, seed=10, noncontiguous=False, lrs=None):
    """`steps` steps of a step function from seeded param and gradients (lrs: one rate per step);
    the final param (and velocity) with their dtype and device facts."""
    rule = getattr(impl, function)
    param = randn(size, seed, dtype, device, noncontiguous)
    like, velocity = param, None
    for k in range(steps):
        grad = randn(size, seed + 1 + k, dtype, device, noncontiguous)
        rate = lr if lrs is None else lrs[k]
        if function == "sgd_step":
            param = rule(param, grad, rate, wd)
        else:
            param, velocity = pair(rule(param, grad, velocity, rate, momentum, wd), function)
    out = {"param": tensor_out(param, function, like)}
    if function != "sgd_step":
        out["velocity"] = tensor_out(velocity, function, like)
    return out


def worked_example(impl, function, steps):
    """The docstrings' example: w = [1, -2], grad = [0.5, 0.5], lr 0.1, momentum 0.9."""
    param, velocity = torch.tensor([1.0, -2.0], dtype=torch.float64), None
    grad = torch.tensor([0.5, 0.5], dtype=torch.float64)
    params, velocities = [], []
    for _ in range(steps):
        if function == "sgd_step":
            param = impl.sgd_step(param, grad, 0.1, 0.0)
        else:
            param, velocity = pair(getattr(impl, function)(param, grad, velocity, 0.1, 0.9, 0.0),
                                   function)
            velocities.append(values(velocity, function))
        params.append(values(param, function))
    return {"param": params, "velocity": velocities}


def small_network(seed, dtype, device):
    """A 4-8-1 tanh network with seeded weights (the global random state is not used)."""
    model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1)).to(device, dtype)
    with torch.no_grad():
        for k, p in enumerate(model.parameters()):
            p.copy_(randn(tuple(p.shape), seed + k, dtype, device) * 0.5)
    return model


def network_data(seed, dtype, device):
    return randn((32, 4), seed + 10, dtype, device), randn((32, 1), seed + 11, dtype, device)


def make_sgd(impl, params, settings):
    """impl.SGD(params, **settings), or the name of the exception it raised."""
    made = []
    error = raised(lambda: made.append(impl.SGD(params, **settings)))
    return (made[0] if made else None), error


def train(model, optimizer, X, y, steps, keep_grads=False):  # noqa: N803
    """Full-batch MSE training; the loss before each step. keep_grads zeroes the gradients in
    place instead of setting them to None (a buffer that aliases p.grad then shows)."""
    losses = []
    for _ in range(steps):
        optimizer.zero_grad(set_to_none=not keep_grads)
        loss = ((model(X) - y) ** 2).mean()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


def network_state(model, losses):
    return {"losses": np.array(losses, dtype=np.float64),
            "params": [values(p, "SGD.step") for p in model.parameters()]}


def train_probe(impl, device, dtype, lr=0.05, momentum=0.0, nesterov=False, wd=0.0, steps=200,
                seed=40):
    """`steps` steps of impl.SGD on a small seeded network and data: losses and final weights."""
    model = small_network(seed, dtype, device)
    X, y = network_data(seed, dtype, device)  # noqa: N806
    optimizer, error = make_sgd(impl, model.parameters(), {
        "lr": lr, "momentum": momentum, "weight_decay": wd, "nesterov": nesterov})
    if error is not None:
        raise ProbeError(f"SGD(lr={lr}, momentum={momentum}, weight_decay={wd}, "
                         f"nesterov={nesterov}) raised {error}")
    return network_state(model, train(model, optimizer, X, y, steps))


def same_error(got: dict, want: dict) -> None:
    require(got["error"] == want["error"], f"raised {got['error'] or 'nothing'}, expected "
                                           f"{want['error'] or 'no exception'}", "error")


def batches_probe(impl, device, n, batch_size, seed, shuffle=True, drop_last=False, epochs=1):
    """Every batch of `epochs` epochs from one generator, as int64 arrays, and the index facts."""
    gen = generator(seed, device)
    epochs_out, int64, on_device = [], True, True
    for _ in range(epochs):
        batches = []
        for idx in impl.minibatch_indices(n, batch_size, gen, shuffle, drop_last):
            if not isinstance(idx, torch.Tensor):
                raise ProbeError(f"minibatch_indices yielded {type(idx).__name__}, expected an "
                                 "index tensor")
            int64 &= idx.dtype == torch.int64
            on_device &= idx.device.type == gen.device.type
            batches.append(to_plain(idx.to(torch.int64)))
        epochs_out.append(batches)
    return {"epochs": epochs_out, "int64": int64, "on_generator_device": on_device}


def surface(name):
    """The 2-D functions the trajectory checks minimise, written here (not the student's)."""
    return {"rosenbrock": rosenbrock_formula, "quadratic": quadratic_formula}[name]


def surface_probe(impl, device, dtype, function, shape=(5, 7), seed=60, scale=1.5,
                  noncontiguous=False, **settings):
    xy = randn((*shape, 2), seed, dtype, device, noncontiguous) * scale
    return {"f": tensor_out(getattr(impl, function)(xy, **settings), function, xy)}


def path_probe(impl, device, dtype, name, start, steps, lr, momentum=0.0, nesterov=False,
               wd=0.0):
    """impl.trajectory on one of `surface`'s functions from a start of the given dtype."""
    begin = torch.tensor(start, dtype=dtype, device=device)
    path = impl.trajectory(surface(name), begin, steps, lr, momentum, nesterov, wd)
    if not isinstance(path, torch.Tensor):
        raise ProbeError(f"trajectory returned {type(path).__name__}, expected a torch.Tensor")
    return {"path": to_plain(path.detach()), "on_start_device": path.device == begin.device}


def sweep_probe(impl, device, name, start, lrs, steps, momentum=0.0, nesterov=False,
                max_loss=None):
    begin = torch.tensor(start, dtype=torch.float64, device=device)
    extra = {} if max_loss is None else {"max_loss": max_loss}
    losses = impl.lr_sweep(surface(name), begin, list(lrs), steps, momentum, nesterov, **extra)
    if not isinstance(losses, torch.Tensor):
        raise ProbeError(f"lr_sweep returned {type(losses).__name__}, expected a torch.Tensor")
    return {"losses": to_plain(losses.detach()), "on_start_device": losses.device == begin.device}


# ---- the step functions -----------------------------------------------------------------------

EXAMPLES = {  # the docstrings' worked examples, two steps each
    "sgd_step": {"param": [np.array([0.95, -2.05]), np.array([0.9, -2.1])], "velocity": []},
    "momentum_step": {"param": [np.array([0.95, -2.05]), np.array([0.855, -2.145])],
                      "velocity": [np.array([0.5, 0.5]), np.array([0.95, 0.95])]},
    "nesterov_step": {"param": [np.array([0.905, -2.095]), np.array([0.7695, -2.2305])],
                      "velocity": [np.array([0.5, 0.5]), np.array([0.95, 0.95])]},
}
LIKE_TORCH_F64 = CHECKS.defaults(expect=TORCH, compare=STEPS_F64, variants=TORCH_F64)
WORKED_EXAMPLE = CHECKS.defaults(compare=Close(rtol=1e-12, atol=1e-15))  # measured 4.4e-16 abs


def _example(function: str):
    """The docstring's worked example of `function`, two steps."""
    return literal(EXAMPLES[function], "the docstring's worked example")


# Each worked example is the function's own expect, so one decorator per function (the lowest
# registers first).
@WORKED_EXAMPLE.add(("nesterov_step",), expect=_example("nesterov_step"),
                    hint=HINTS["nesterov_step"])
@WORKED_EXAMPLE.add(("momentum_step",), expect=_example("momentum_step"),
                    hint=HINTS["momentum_step"])
@WORKED_EXAMPLE.add(("sgd_step",), expect=_example("sgd_step"), hint=HINTS["sgd_step"])
def worked_example_two_steps(impl, device, function):
    """the docstring's example: w = [1, -2], grad = [0.5, 0.5] twice, lr 0.1 (momentum 0.9),
    float64"""
    return worked_example(impl, function, 2)


@LIKE_TORCH_F64.add(("sgd_step", "momentum_step", "nesterov_step"), hint=lambda f: HINTS[f])
def matches_torch_SGD(impl, device, dtype, function):
    """param (7, 5) {dtype}, 5 steps, lr 0.1, momentum 0.9, weight_decay 0.01"""
    return steps_probe(impl, device, dtype, function, wd=0.01)


# float32 answers against float64 torch: measured 5.4e-7 abs; a real mistake is off by 1e-2.
@CHECKS.add("momentum_step", expect=TORCH, compare=Close(rtol=1e-4, atol=1e-5),  # measured 5.4e-7
            variants=TORCH_F32,
            hint="float32 in, float32 out: Python floats (lr, momentum) keep a tensor's dtype; "
                 "never build the velocity with a dtype of its own")
def matches_torch_SGD_float32(impl, device, dtype):
    """param (7, 5) {dtype}, 5 steps, lr 0.1, momentum 0.9, weight_decay 0.01"""
    return steps_probe(impl, device, dtype, "momentum_step", wd=0.01, seed=20)


# ---- the optimizer class ----------------------------------------------------------------------

@LIKE_TORCH_F64.add("SGD", name="matches_torch_SGD", hint=HINTS["SGD"])
def class_matches_torch_SGD(impl, device, dtype):
    """4-8-1 tanh network, 32 samples, {dtype}, 200 full-batch steps, lr 0.05, momentum 0.9"""
    return train_probe(impl, device, dtype, momentum=0.9)


@CHECKS.add("SGD", expect=TORCH, compare=same_error,
            hint="Nesterov needs momentum: raise ValueError for nesterov=True with momentum <= 0, "
                 "as torch.optim.SGD does")
def rejects_nesterov_without_momentum(impl, device):
    """SGD(params, lr=0.1, nesterov=True)"""
    params = [nn.Parameter(torch.zeros(3, dtype=torch.float64))]
    return {"error": make_sgd(impl, params, {"lr": 0.1, "nesterov": True})[1]}


# ---- mini-batches -----------------------------------------------------------------------------

@CHECKS.add("minibatch_indices",
            expect=literal({"keep": [np.array([0, 1]), np.array([2, 3]), np.array([4])],
                            "drop": [np.array([0, 1]), np.array([2, 3])]},
                           "the docstring's example"),
            compare=EXACT,  # integer indices
            hint="without shuffling the order is 0, 1, ..., n - 1; drop_last leaves out only a "
                 "last batch shorter than batch_size")
def worked_example_in_order(impl, device):
    """n 5, batch_size 2, shuffle False, drop_last False and True"""
    return {label: batches_probe(impl, device, 5, 2, 0, False, drop)["epochs"][0]
            for label, drop in (("keep", False), ("drop", True))}


@CHECKS.add("minibatch_indices", expect=TORCH,
            compare=EXACT,  # integer indices
            hint=HINTS["minibatch_indices"])
def slices_of_randperm(impl, device):
    """n 10, batch_size 3, shuffle, a generator seeded 1"""
    return batches_probe(impl, device, 10, 3, 1)


# ---- the 2-D test functions -------------------------------------------------------------------

SURFACE_CASES = {"rosenbrock": "xy (5, 7, 2) {dtype}, a 1, b 100",
                 "ill_conditioned_quadratic": "xy (5, 7, 2) {dtype}, condition 25"}
SURFACE_HINTS = {
    "rosenbrock": "f = (a - x)^2 + b (y - x^2)^2 with x = xy[..., 0], y = xy[..., 1]: one value "
                  "per point, shape xy.shape[:-1]",
    "ill_conditioned_quadratic": "f = 0.5 (x^2 + condition y^2) with x = xy[..., 0], "
                                 "y = xy[..., 1]",
}


@LIKE_TORCH_F64.add(("rosenbrock", "ill_conditioned_quadratic"), expect=FORMULAS,
                    case=lambda f: SURFACE_CASES[f], hint=lambda f: SURFACE_HINTS[f])
def matches_formula(impl, device, dtype, function):
    return surface_probe(impl, device, dtype, function)


# ---- trajectories and the sweep ---------------------------------------------------------------

@LIKE_TORCH_F64.add("trajectory", name="matches_torch_SGD", hint=HINTS["trajectory"])
def trajectory_matches_torch_SGD(impl, device, dtype):
    """quadratic 0.5 (x^2 + 25 y^2), start (2, 1) {dtype}, 30 steps, lr 0.02, momentum 0.9"""
    return path_probe(impl, device, dtype, "quadratic", (2.0, 1.0), 30, 0.02, 0.9)


@CHECKS.add("lr_sweep", expect=TORCH, compare=STEPS_F64, name="matches_torch_SGD",
            hint=HINTS["lr_sweep"])
def sweep_matches_torch_SGD(impl, device):
    """quadratic 0.5 (x^2 + 25 y^2) from (1, 1), lrs 0.01, 0.05, 0.1, 50 steps"""
    return sweep_probe(impl, device, "quadratic", (1.0, 1.0), (0.01, 0.05, 0.1), 50)
