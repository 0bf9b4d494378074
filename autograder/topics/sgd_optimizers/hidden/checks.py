"""Hidden checks of topic 5-08 (sgd_optimizers): the first step's buffer, many steps with weight
decay, changing learning rates, inputs left unchanged, float32, large and non-contiguous inputs,
every momentum / Nesterov / weight-decay combination of the optimizer class over 200 steps,
parameter groups, state_dict round trips, closures, the mini-batch iterator's coverage, drop_last
and generator discipline, trajectories' start point and first step, divergence in the sweep,
library shortcuts and CUDA; every function called with its documented defaults left out, and the
boundaries the docstrings define (weight_decay 0 skips the term, lr 0 is allowed, n 0 yields
nothing, a negative batch_size is rejected, a loss equal to max_loss is kept). Graded mode
shows a student only each check's name, pass or fail, and its hint. Tolerances are written next
to each check with the error the reference measured (float32 answers against float64
references).
"""

from __future__ import annotations

import itertools

import numpy as np
import torch
from torch import nn

from autograder.runtime.check import REFERENCE, CheckSet, ProbeError, oracle
from autograder.runtime.compare import EXACT, Close, at_most_slower, require
from autograder.runtime.oracles import torch_sgd_step
from autograder.runtime.plain import to_plain
from autograder.runtime.probing import (
    changed_arguments,
    generator,
    raised,
    randn,
    scalar,
    speed_against,
    tensor_out,
    tensors_out,
    type_names,
)
from autograder.runtime.variants import CPU_CUDA, TORCH_F32, TORCH_F64
from autograder.topics.sgd_optimizers.public import (
    FORMULAS,
    HINTS,
    STEPS_F64,
    TORCH,
    batches_probe,
    make_sgd,
    network_data,
    network_state,
    pair,
    path_probe,
    same_error,
    small_network,
    steps_probe,
    surface,
    surface_probe,
    sweep_probe,
    train,
    train_probe,
    values,
)

CHECKS = CheckSet("sgd_optimizers", "hidden")
# The contract kinds each graded function's docstring states (autograder/contracts.py).
STEP_CONTRACTS = ("returns", "dtypes", "unchanged", "edges")
# The topic's own edge cases, each named in at least one hidden check (beside the pack's:
# float32, float64, large, noncontiguous, batch_of_one; tests/test_pack_rules.py).
EDGE_CASES = ("first_step", "nesterov_requires_momentum", "drop_last", "uses_the_generator",
              "start_point", "diverges", "no_library_shortcut", "param_groups", "state_dict",
              "leaves_inputs_unchanged")

CONTRACTS = {
    "sgd_step": STEP_CONTRACTS, "momentum_step": STEP_CONTRACTS,
    "nesterov_step": STEP_CONTRACTS,
    "SGD": ("returns", "dtypes", "unchanged", "errors", "edges"),
    "minibatch_indices": ("returns", "dtypes", "errors", "edges", "generator"),
    "rosenbrock": ("returns", "dtypes", "unchanged", "edges"),
    "ill_conditioned_quadratic": ("returns", "dtypes", "unchanged", "edges"),
    "trajectory": ("returns", "dtypes", "unchanged", "errors", "edges"),
    "lr_sweep": ("returns", "dtypes", "unchanged", "edges"),
}
# float32 answers against float64 torch or the formula; a real mistake is off by 1e-3 or more.
# The reference used at most a tenth of this tolerance on CPU: measured 2.4e-6 abs (momentum and
# Nesterov steps, 256x128, 20 steps), 2.7e-7 abs (50 training steps), 3.0e-2 abs on Rosenbrock
# values up to 2e5 (rel 1.4e-7 there; 6.7e-5 rel only where |f| < 0.1, inside atol).
F32_STEPS = Close(rtol=1e-4, atol=1e-5)  # measured: see above
STEP_FUNCTIONS = ("sgd_step", "momentum_step", "nesterov_step")
SETTINGS = {  # the six valid combinations of momentum (0 / 0.9), nesterov and weight decay
    "plain": {"momentum": 0.0, "nesterov": False, "wd": 0.0},
    "plain-decay": {"momentum": 0.0, "nesterov": False, "wd": 1e-2},
    "momentum": {"momentum": 0.9, "nesterov": False, "wd": 0.0},
    "momentum-decay": {"momentum": 0.9, "nesterov": False, "wd": 1e-2},
    "nesterov": {"momentum": 0.9, "nesterov": True, "wd": 0.0},
    "nesterov-decay": {"momentum": 0.9, "nesterov": True, "wd": 1e-2},
}


def _first_step(nesterov: bool):
    """The docstrings' first step: b = g = grad + weight_decay * w; w - lr * b (momentum) or
    w - lr * (1 + momentum) * b (Nesterov, since then g + momentum * b = (1 + momentum) g)."""

    def step(param, grad, velocity, lr, momentum=0.9, weight_decay=0.0):
        g = grad + weight_decay * param
        return param - lr * ((1.0 + momentum) * g if nesterov else g), g

    return step


def _untouched(*args: object, **kwargs: object) -> None:
    return None


FIRST_STEP = oracle("the first-step formula (b = g)", momentum_step=_first_step(False),
                    nesterov_step=_first_step(True))
UNTOUCHED = oracle("the inputs, untouched", sgd_step=_untouched, momentum_step=_untouched,
                   nesterov_step=_untouched)


def _torch_sgd_documented(params, lr=1e-3, momentum=0.0, weight_decay=0.0, nesterov=False):
    """torch.optim.SGD with the defaults the docstring's signature writes out."""
    return torch.optim.SGD(params, lr=lr, momentum=momentum, weight_decay=weight_decay,
                           nesterov=nesterov)


def _torch_sgd_step_documented(param, grad, lr, weight_decay=0.0):
    return torch_sgd_step(param, grad, lr, weight_decay)


# torch.optim.SGD behind the docstrings' signatures and defaults, for the checks that leave the
# defaulted arguments out (the other names' torch oracles already carry the documented defaults).
DOCUMENTED_DEFAULTS = oracle(
    "torch.optim.SGD with the docstrings' defaults", sgd_step=_torch_sgd_step_documented,
    momentum_step=TORCH.namespace.momentum_step, nesterov_step=TORCH.namespace.nesterov_step,
    SGD=_torch_sgd_documented, minibatch_indices=TORCH.namespace.minibatch_indices,
    trajectory=TORCH.namespace.trajectory, lr_sweep=TORCH.namespace.lr_sweep)

# Most checks compare with torch.optim.SGD within the float64 tolerance, many in float64 only.
LIKE_TORCH = CHECKS.defaults(expect=TORCH, compare=STEPS_F64)
LIKE_TORCH_F64 = LIKE_TORCH.defaults(variants=TORCH_F64)
FUSED = "torch's fused optimizer kernels"  # what a library-use check's case says was unavailable


# ---- the step functions -----------------------------------------------------------------------

@CHECKS.add(STEP_FUNCTIONS, expect=TORCH, compare=F32_STEPS, variants=TORCH_F32,
            devices=CPU_CUDA, contract=("returns", "dtypes"),
            hint=lambda f: "float32 in, float32 out, on the input's device: Python floats keep "
                           "the dtype; " + HINTS[f])
def float32_large(impl, device, dtype, function):
    """param (256, 128) {dtype} on {device}, 20 steps, lr 0.05, momentum 0.9, weight_decay 0.01"""
    return steps_probe(impl, device, dtype, function, steps=20, size=(256, 128), lr=0.05,
                       wd=0.01, seed=100)


@LIKE_TORCH_F64.add(STEP_FUNCTIONS,
                    hint=lambda f: "work on the tensors' values, whatever their memory layout "
                                   "(x.t() is a view); " + HINTS[f])
def noncontiguous_input(impl, device, dtype, function):
    """param and grads transposed views (6, 9) {dtype}, 4 steps, weight_decay 0.1"""
    return steps_probe(impl, device, dtype, function, steps=4, size=(6, 9), wd=0.1, seed=110,
                       noncontiguous=True)


@CHECKS.add(STEP_FUNCTIONS, expect=UNTOUCHED, compare=EXACT, contract="unchanged",
            hint="return new tensors; never update param, grad or velocity in place (no mul_, "
                 "add_ or -= on the inputs)")
def leaves_inputs_unchanged(impl, device, function):
    """param, grad and velocity (5, 5) float64, one step"""
    param, grad, velocity = (randn((5, 5), seed, device=device) for seed in (120, 121, 122))
    if function == "sgd_step":
        impl.sgd_step(param, grad, 0.1, 0.01)
    else:
        getattr(impl, function)(param, grad, velocity, 0.1, 0.9, 0.01)
    return tensors_out({"param": param, "grad": grad, "velocity": velocity}, function)


@LIKE_TORCH.library_use(STEP_FUNCTIONS, kernels=FUSED,  # measured 2.3e-15 abs
                        hint="torch.optim.SGD and torch's functional optimizer code are the "
                             "library's versions: write the update yourself")
def no_library_shortcut(impl, device, function):
    """param (4,) float64, 2 steps"""
    return steps_probe(impl, device, torch.float64, function, steps=2, size=(4,), seed=125)


@LIKE_TORCH_F64.add("sgd_step",
                    hint="with weight_decay 0 the step is plain gradient descent: w - lr * grad")
def zero_decay_is_plain_sgd(impl, device, dtype):
    """param (10,) {dtype}, 6 steps, lr 0.3, weight_decay 0"""
    return steps_probe(impl, device, dtype, "sgd_step", steps=6, size=(10,), lr=0.3, seed=130)


@LIKE_TORCH_F64.add("sgd_step",
                    hint="weight decay adds weight_decay * w to the gradient (it pulls w "
                         "towards 0)")
def strong_decay(impl, device, dtype):
    """param (3, 4) {dtype}, 3 steps, lr 0.2, weight_decay 0.5"""
    return steps_probe(impl, device, dtype, "sgd_step", steps=3, size=(3, 4), lr=0.2, wd=0.5,
                       seed=135)


MOMENTUM_FUNCTIONS = ("momentum_step", "nesterov_step")


@LIKE_TORCH_F64.add(MOMENTUM_FUNCTIONS, expect=FIRST_STEP, contract="edges",
                    hint="on the first step (velocity None) the buffer is the gradient itself, "
                         "b = grad + weight_decay * w, not 0: the first step already moves w")
def first_step_buffer_is_gradient(impl, device, dtype, function):
    """param (8,) {dtype}, one step from velocity None, lr 0.1, momentum 0.9, weight_decay 0.1"""
    return steps_probe(impl, device, dtype, function, steps=1, size=(8,), wd=0.1, seed=140)


@LIKE_TORCH_F64.add(MOMENTUM_FUNCTIONS,
                    hint=lambda f: "weight decay enters g before the buffer; b = momentum * b + g "
                                   "with no (1 - momentum) factor; " + HINTS[f])
def many_steps_with_decay(impl, device, dtype, function):
    """param (5, 3) {dtype}, 50 steps, lr 0.02, momentum 0.9, weight_decay 0.01"""
    return steps_probe(impl, device, dtype, function, steps=50, size=(5, 3), lr=0.02, wd=0.01,
                       seed=150)


@LIKE_TORCH_F64.add(MOMENTUM_FUNCTIONS,
                    hint="the buffer holds gradients only; lr multiplies the step, not the "
                         "buffer, so the returned velocity does not depend on lr")
def lr_changes_between_steps(impl, device, dtype, function):
    """param (6,) {dtype}, 5 steps with lr 0.1, 0.01, 0.2, 0.05, 0.3, momentum 0.8"""
    return steps_probe(impl, device, dtype, function, steps=5, size=(6,), momentum=0.8,
                       seed=160, lrs=(0.1, 0.01, 0.2, 0.05, 0.3))


def _steps_with_defaults(impl, device, dtype, function, steps=3, size=(6, 4), lr=0.1, seed=170):
    """`steps` steps of a step function called with only its required arguments (param, grad,
    [velocity,] lr): momentum and weight_decay at the signature's defaults."""
    rule = getattr(impl, function)
    param = randn(size, seed, dtype, device)
    like, velocity = param, None
    for k in range(steps):
        grad = randn(size, seed + 1 + k, dtype, device)
        if function == "sgd_step":
            param = rule(param, grad, lr)
        else:
            param, velocity = pair(rule(param, grad, velocity, lr), function)
    out = {"param": tensor_out(param, function, like)}
    if function != "sgd_step":
        out["velocity"] = tensor_out(velocity, function, like)
    return out


def _inf_weights(impl, device, function):
    """Two steps from a param with +inf and -inf entries, weight_decay 0 passed explicitly."""
    rule = getattr(impl, function)
    param = randn((3, 4), 180, torch.float64, device)
    param[0, 1], param[2, 3] = float("inf"), float("-inf")
    like, velocity = param, None
    for k in range(2):
        grad = randn((3, 4), 181 + k, torch.float64, device)
        if function == "sgd_step":
            param = rule(param, grad, 0.1, 0.0)
        else:
            param, velocity = pair(rule(param, grad, velocity, 0.1, 0.9, 0.0), function)
    out = {"param": tensor_out(param, function, like)}
    if function != "sgd_step":
        out["velocity"] = tensor_out(velocity, function, like)
    return out


def _defaults_hint(function: str) -> str:
    kept = "weight_decay=0.0" if function == "sgd_step" else "momentum=0.9 and weight_decay=0.0"
    return f"keep the signature's defaults: {kept} when they are not passed; {HINTS[function]}"


@LIKE_TORCH_F64.add(STEP_FUNCTIONS, expect=DOCUMENTED_DEFAULTS,  # measured 2.2e-16 abs
                    hint=_defaults_hint)
def documented_defaults(impl, device, dtype, function):
    """param (6, 4) {dtype}, 3 steps, lr 0.1, momentum and weight_decay left out (the
    signature's defaults)"""
    return _steps_with_defaults(impl, device, dtype, function)


@LIKE_TORCH.add(STEP_FUNCTIONS, contract="edges",  # measured 1.1e-16 abs (inf exact)
                hint="with weight_decay == 0 skip the decay term, as the docstring and torch do: "
                     "0 * inf is nan, so an infinite weight must stay infinite, not become nan")
def zero_decay_skips_the_term(impl, device, function):
    """param (3, 4) float64 with a +inf and a -inf weight, 2 steps, lr 0.1, weight_decay 0"""
    return _inf_weights(impl, device, function)


# ---- the optimizer class ----------------------------------------------------------------------

@LIKE_TORCH.add("SGD",
                variants={label: {"dtype": torch.float64, **s} for label, s in SETTINGS.items()},
                hint="match torch.optim.SGD: weight decay into the gradient, the buffer starting "
                     "at the gradient, Nesterov's g + momentum * b")
def matches_torch_200_steps(impl, device, dtype, momentum, nesterov, wd):
    """4-8-1 tanh network, {dtype}, 200 full-batch steps, lr 0.05, momentum {momentum}, nesterov
    {nesterov}, weight_decay {wd}"""
    return train_probe(impl, device, dtype, momentum=momentum, nesterov=nesterov, wd=wd,
                       seed=200)


@CHECKS.add("SGD", expect=TORCH, compare=same_error,
            contract="errors",
            variants={"no-decay": {"wd": 0.0}, "decay": {"wd": 1e-2}},
            hint="raise ValueError for nesterov=True with momentum <= 0, as torch.optim.SGD does")
def nesterov_requires_momentum(impl, device, wd):
    """SGD(params, lr=0.05, momentum=0, weight_decay={wd}, nesterov=True)"""
    params = [nn.Parameter(torch.zeros(3, dtype=torch.float64, device=device))]
    settings = {"lr": 0.05, "momentum": 0.0, "weight_decay": wd, "nesterov": True}
    return {"error": make_sgd(impl, params, settings)[1]}


@CHECKS.add("SGD", expect=TORCH,
            contract="errors",
            compare=lambda got, want: require(got["errors"] == want["errors"],
                                              f"raised {got['errors']}", "errors"),
            hint="raise ValueError for a negative lr, momentum or weight_decay, as torch does")
def rejects_negative_settings(impl, device):
    """lr -0.1, momentum -0.5, weight_decay -0.001 (one at a time)"""
    params = [nn.Parameter(torch.zeros(3, dtype=torch.float64, device=device))]
    bad = ({"lr": -0.1}, {"lr": 0.1, "momentum": -0.5}, {"lr": 0.1, "weight_decay": -1e-3})
    return {"errors": [make_sgd(impl, params, settings)[1] for settings in bad]}


@CHECKS.add("SGD", expect=TORCH, compare=F32_STEPS, variants=TORCH_F32, devices=CPU_CUDA,
            contract="dtypes",
            hint="update the parameters in place in their own dtype and device (p.copy_ or "
                 "p.add_ under torch.no_grad())")
def float32_network(impl, device, dtype):
    """4-8-1 tanh network, {dtype} on {device}, 50 steps, lr 0.05, Nesterov 0.9, weight_decay
    0.01"""
    return train_probe(impl, device, dtype, momentum=0.9, nesterov=True, wd=1e-2, steps=50,
                       seed=210)


@LIKE_TORCH_F64.add("SGD",
                    hint="every group carries its own lr, momentum, weight_decay and nesterov "
                         "(the defaults fill in what it leaves out): read them from the group "
                         "in step()")
def param_groups_own_settings(impl, device, dtype):
    """two param groups: layer 1 with lr 0.1; layer 2 with momentum 0.5, nesterov, weight_decay
    0; defaults lr 0.02, momentum 0.9, weight_decay 0.01; {dtype}, 60 steps"""
    model = small_network(220, dtype, device)
    X, y = network_data(220, dtype, device)  # noqa: N806
    groups = [{"params": list(model[0].parameters()), "lr": 0.1},
              {"params": list(model[2].parameters()), "momentum": 0.5, "nesterov": True,
               "weight_decay": 0.0}]
    optimizer, error = make_sgd(impl, groups, {"lr": 0.02, "momentum": 0.9, "weight_decay": 1e-2})
    if error is not None:
        raise ProbeError(f"SGD with two param groups raised {error}")
    return network_state(model, train(model, optimizer, X, y, 60))


@LIKE_TORCH_F64.add("SGD",
                    hint="keep the buffers in self.state[p] (the base class saves and restores "
                         "it), so a resumed run continues exactly")
def state_dict_round_trip(impl, device, dtype):
    """60 steps, state_dict(), a new SGD on a copy of the network, load_state_dict, 60 more
    steps; {dtype}, momentum 0.9, weight_decay 0.01"""
    settings = {"lr": 0.05, "momentum": 0.9, "weight_decay": 1e-2}
    model = small_network(230, dtype, device)
    X, y = network_data(230, dtype, device)  # noqa: N806
    optimizer = make_sgd(impl, model.parameters(), settings)[0]
    first = train(model, optimizer, X, y, 60)
    saved = optimizer.state_dict()
    twin = small_network(230, dtype, device)
    twin.load_state_dict(model.state_dict())
    resumed = make_sgd(impl, twin.parameters(), settings)[0]
    resumed.load_state_dict(saved)
    return network_state(twin, first + train(twin, resumed, X, y, 60))


@LIKE_TORCH.add("SGD",
                variants={"momentum": {"dtype": torch.float64, "nesterov": False},
                          "nesterov": {"dtype": torch.float64, "nesterov": True}},
                hint="store b in self.state[p]['momentum_buffer'] as a tensor of its own (the "
                     "first buffer is a copy of the gradient, never p.grad itself)")
def momentum_buffer_in_state(impl, device, dtype, nesterov):
    """10 steps, lr 0.05, momentum 0.9, {dtype}, zero_grad(set_to_none=False):
    self.state[p]['momentum_buffer'] of every parameter"""
    model = small_network(240, dtype, device)
    X, y = network_data(240, dtype, device)  # noqa: N806
    optimizer, error = make_sgd(impl, model.parameters(), {"lr": 0.05, "momentum": 0.9,
                                                           "nesterov": nesterov})
    if error is not None:
        raise ProbeError(f"SGD(lr=0.05, momentum=0.9, nesterov={nesterov}) raised {error}")
    losses = train(model, optimizer, X, y, 10, keep_grads=True)
    buffers = []
    for p in model.parameters():
        state = optimizer.state[p]
        if not isinstance(state, dict) or "momentum_buffer" not in state:
            raise ProbeError("SGD has no self.state[p]['momentum_buffer'] for a parameter")
        buffers.append(values(state["momentum_buffer"], "self.state[p]['momentum_buffer']"))
    return {"buffers": buffers, **network_state(model, losses)}


@LIKE_TORCH_F64.add("SGD",
                    hint="step(closure) calls the closure under torch.enable_grad() before "
                         "updating and returns the loss it gave")
def closure_returns_loss(impl, device, dtype):
    """5 calls of step(closure) inside torch.no_grad(), {dtype}, momentum 0.9"""
    model = small_network(250, dtype, device)
    X, y = network_data(250, dtype, device)  # noqa: N806
    optimizer = make_sgd(impl, model.parameters(), {"lr": 0.05, "momentum": 0.9})[0]

    def closure():
        optimizer.zero_grad()
        loss = ((model(X) - y) ** 2).mean()
        loss.backward()
        return loss

    returned = []
    with torch.no_grad():
        for _ in range(5):
            returned.append(scalar(optimizer.step(closure), "the loss step(closure) returned"))
    return network_state(model, returned)


@LIKE_TORCH_F64.add("SGD", contract="unchanged",
                    hint="skip parameters whose grad is None: no weight decay, no buffer, no "
                         "change")
def skips_parameters_without_grad(impl, device, dtype):
    """second layer's weight frozen (grad None), 20 steps, {dtype}, momentum 0.9, weight_decay
    0.01"""
    model = small_network(260, dtype, device)
    model[2].weight.requires_grad_(False)
    X, y = network_data(260, dtype, device)  # noqa: N806
    optimizer = make_sgd(impl, model.parameters(), {"lr": 0.05, "momentum": 0.9,
                                                    "weight_decay": 1e-2})[0]
    return network_state(model, train(model, optimizer, X, y, 20))


@LIKE_TORCH.library_use("SGD", kernels=FUSED,  # measured 2.3e-15 abs
                        name="no_library_shortcut_in_class",
                        hint="subclass torch.optim.Optimizer (allowed), not torch.optim.SGD, and "
                             "never call torch's functional optimizer code")
def no_library_shortcut_in_class(impl, device):
    """Nesterov, 3 steps, float64"""
    return train_probe(impl, device, torch.float64, momentum=0.9, nesterov=True, steps=3,
                       seed=270)


@LIKE_TORCH_F64.add("SGD", expect=DOCUMENTED_DEFAULTS,  # measured 5.6e-17 abs
                    name="documented_defaults",
                    hint="keep the signature's defaults: lr=1e-3, momentum=0.0, "
                         "weight_decay=0.0, nesterov=False")
def class_documented_defaults(impl, device, dtype):
    """SGD(model.parameters()) with lr, momentum, weight_decay and nesterov all left out; 4-8-1
    tanh network, {dtype}, 30 full-batch steps"""
    model = small_network(280, dtype, device)
    X, y = network_data(280, dtype, device)  # noqa: N806
    optimizer, error = make_sgd(impl, model.parameters(), {})
    if error is not None:
        raise ProbeError(f"SGD(params) with the default settings raised {error}")
    return network_state(model, train(model, optimizer, X, y, 30))


@LIKE_TORCH.add("SGD",  # measured 0 abs (nothing moves)
                variants={"plain": {"dtype": torch.float64, "momentum": 0.0},
                          "momentum": {"dtype": torch.float64, "momentum": 0.9}},
                contract="edges",
                hint="only a negative lr is rejected: lr = 0 is valid (the parameters then stay "
                     "where they are)")
def zero_lr_is_allowed(impl, device, dtype, momentum):
    """SGD(params, lr=0.0, momentum={momentum}), {dtype}, 5 steps"""
    return train_probe(impl, device, dtype, lr=0.0, momentum=momentum, steps=5, seed=290)


# ---- mini-batches -----------------------------------------------------------------------------

BATCHES = CHECKS.defaults(expect=TORCH, compare=EXACT)  # integer indices, drawn as torch does

def _each_epoch_a_permutation(got: dict, want: dict) -> None:
    require(got["int64"], "the index tensors are not int64 (torch.long)", "epochs")
    require(got["on_generator_device"], "the indices are not on the generator's device",
            "epochs")
    expected = want["epochs"][0]
    every = np.sort(np.concatenate(expected))
    sizes = [len(b) for b in expected]
    for number, batches in enumerate(got["epochs"]):
        where = f"epochs[{number}]"
        got_sizes = [len(b) for b in batches]
        require(got_sizes == sizes, f"batch sizes {got_sizes}, expected {sizes}", where)
        joined = np.sort(np.concatenate(batches)) if batches else np.zeros(0, np.int64)
        require(np.array_equal(joined, every), "the batches do not hold every index exactly "
                                               "once", where)
    orders = [np.concatenate(batches) for batches in got["epochs"]]
    require(all(not np.array_equal(a, b) for a, b in itertools.pairwise(orders)),
            "two epochs from the same generator came in the same order: draw a new "
            "permutation from the generator each epoch", "epochs")


@CHECKS.add("minibatch_indices", expect=TORCH, compare=_each_epoch_a_permutation,
            contract=("returns", "dtypes"), devices=CPU_CUDA,
            hint="one torch.randperm per epoch from the given generator, on its device: a new "
                 "order every epoch; every index once per epoch, the last, shorter batch kept")
def each_index_once_per_epoch(impl, device):
    """n 103, batch_size 10, shuffle, 3 epochs from one generator on {device}"""
    return batches_probe(impl, device, 103, 10, 300, epochs=3)


@BATCHES.add("minibatch_indices",
             variants={"drop-shuffled": {"n": 103, "shuffle": True},
                       "drop-in-order": {"n": 103, "shuffle": False},
                       "drop-full-last": {"n": 100, "shuffle": True}},
             hint="drop_last leaves out only a last batch shorter than batch_size; a full last "
                  "batch is kept")
def drop_last_drops_only_partial(impl, device, n, shuffle):
    """n {n}, batch_size 10, shuffle {shuffle}, drop_last True"""
    return batches_probe(impl, device, n, 10, 310, shuffle, True)


@BATCHES.add("minibatch_indices",
             hint="with drop_last False the last, shorter batch (n % batch_size indices) is "
                  "yielded too")
def keeps_partial_last_batch(impl, device):
    """n 103, batch_size 10, shuffle, drop_last False"""
    return batches_probe(impl, device, 103, 10, 320)


@BATCHES.add("minibatch_indices",
             contract="edges",
             variants={"keep": {"drop_last": False}, "drop": {"drop_last": True}},
             hint="a batch_size above n gives one short batch, or none with drop_last")
def batch_larger_than_n(impl, device, drop_last):
    """n 7, batch_size 50 (larger than n), drop_last {drop_last}"""
    return batches_probe(impl, device, 7, 50, 330, True, drop_last)


@BATCHES.add("minibatch_indices",
             hint="batch_size 1 yields the permutation one index at a time, each a (1,) tensor")
def batch_of_one(impl, device):
    """n 9, batch_size 1, shuffle"""
    return batches_probe(impl, device, 9, 1, 340)


@BATCHES.add("minibatch_indices",
             hint="slice one permutation; no Python loop over the samples")
def large_dataset(impl, device):
    """n 100000, batch_size 4096, shuffle"""
    return batches_probe(impl, device, 100_000, 4096, 350)


def _generator_discipline(got: dict) -> None:
    same, other_global, other_seed = got["orders"]
    require(got["global_untouched"], "the global random state changed: draw from the "
                                     "generator argument only", "orders")
    require(np.array_equal(same, other_global), "the same generator seed gave different orders "
            "under different global seeds: the global random state was used", "orders")
    require(not np.array_equal(same, other_seed),
            "different generator seeds gave the same order: the generator was not used", "orders")


@CHECKS.add("minibatch_indices", compare=lambda got, _: _generator_discipline(got),
            contract="generator",
            hint="torch.randperm(n, generator=generator, device=generator.device): never the "
                 "global random state")
def uses_the_generator(impl, device):
    """n 20, batch_size 6: the same generator seed under two global seeds, then another generator
    seed"""
    orders, untouched = [], []
    for global_seed, seed in ((1, 5), (2, 5), (1, 6)):
        torch.manual_seed(global_seed)
        before = torch.get_rng_state()
        batches = batches_probe(impl, device, 20, 6, seed)["epochs"][0]
        untouched.append(bool(torch.equal(before, torch.get_rng_state())))
        orders.append(np.concatenate(batches))
    return {"orders": orders, "global_untouched": all(untouched)}


@BATCHES.add("minibatch_indices", devices=CPU_CUDA, contract="generator",
             hint="shuffle False: the indices 0, 1, ..., n - 1 in order, and nothing is drawn "
                  "from the generator")
def in_order_draws_nothing(impl, device):
    """n 11, batch_size 4, shuffle False, a generator on {device}"""
    gen = generator(360, device)
    before = gen.get_state()
    batches = list(impl.minibatch_indices(11, 4, gen, False, False))
    facts = {"int64": all(isinstance(idx, torch.Tensor) and idx.dtype == torch.int64
                          for idx in batches),
             "on_generator_device": all(isinstance(idx, torch.Tensor)
                                        and idx.device.type == gen.device.type
                                        for idx in batches)}
    return {"batches": [to_plain(idx) for idx in batches],
            "generator_untouched": bool(torch.equal(before, gen.get_state())), **facts}


@CHECKS.add("minibatch_indices", compare=lambda got, _: require(
                got["error"] == "ValueError", f"raised {got['error']}", "error"),
            contract="errors", hint="reject batch_size < 1 with ValueError")
def rejects_batch_size_zero(impl, device):
    """batch_size 0"""
    return {"error": raised(lambda: list(impl.minibatch_indices(5, 0, generator(370))))}


@CHECKS.add("minibatch_indices", compare=lambda got, _: require(
                got["error"] == "ValueError", f"raised {got['error']}", "error"),
            contract="errors",
            variants={"keep": {"drop_last": False}, "drop": {"drop_last": True}},
            hint="reject every batch_size < 1 with ValueError, negative ones too")
def rejects_negative_batch_size(impl, device, drop_last):
    """n 5, batch_size -2, drop_last {drop_last}"""
    return {"error": raised(lambda: list(impl.minibatch_indices(5, -2, generator(375), True,
                                                                drop_last)))}


@BATCHES.add("minibatch_indices",
             contract="edges",
             variants={"keep": {"drop_last": False}, "drop": {"drop_last": True}},
             hint="n = 0 is a valid number of samples: no error, and no batch at all (an empty "
                  "batch is never yielded)")
def empty_dataset(impl, device, drop_last):
    """n 0 (an empty dataset), batch_size 4, shuffle, drop_last {drop_last}"""
    return batches_probe(impl, device, 0, 4, 380, True, drop_last)


@BATCHES.add("minibatch_indices", expect=DOCUMENTED_DEFAULTS, name="documented_defaults",
             hint="keep the signature's defaults: shuffle=True and drop_last=False when they "
                  "are not passed")
def minibatch_documented_defaults(impl, device):
    """n 23, batch_size 5, a generator seeded 385, shuffle and drop_last left out, 2 epochs"""
    gen = generator(385, device)
    epochs = []
    for _ in range(2):
        epochs.append([to_plain(idx) for idx in impl.minibatch_indices(23, 5, gen)])
    return {"epochs": epochs}


# ---- the 2-D test functions -------------------------------------------------------------------

SURFACES = ("rosenbrock", "ill_conditioned_quadratic")
LIKE_FORMULA_F64 = CHECKS.defaults(expect=FORMULAS, compare=STEPS_F64, variants=TORCH_F64)


@CHECKS.add(SURFACES, expect=FORMULAS, compare=F32_STEPS, variants=TORCH_F32, devices=CPU_CUDA,
            contract=("returns", "dtypes"),
            hint="one formula on the whole grid with tensor operations; keep float32")
def float32_large_grid(impl, device, dtype, function):
    """xy (200, 300, 2) {dtype} on {device}"""
    return surface_probe(impl, device, dtype, function, shape=(200, 300), seed=400)


@LIKE_FORMULA_F64.add(SURFACES,
                      hint="take x = xy[..., 0] and y = xy[..., 1], whatever the memory layout")
def noncontiguous_grid(impl, device, dtype, function):
    """xy a transposed view (4, 6, 2) {dtype}"""
    return surface_probe(impl, device, dtype, function, shape=(4, 6), seed=410,
                         noncontiguous=True)


@LIKE_FORMULA_F64.add(SURFACES, contract="edges",
                      hint="a single point gives a 0-d tensor (shape ()); build f from "
                           "differentiable tensor operations so autograd gives its gradient")
def single_point_and_gradient(impl, device, dtype, function):
    """one point xy (2,) {dtype}: a 0-d result; and its gradient"""
    xy = torch.tensor([-0.75, 1.25], dtype=dtype, device=device, requires_grad=True)
    f = getattr(impl, function)(xy)
    if not isinstance(f, torch.Tensor):
        raise ProbeError(f"{function} returned {type(f).__name__}, expected a torch.Tensor")
    if not f.requires_grad:
        raise ProbeError(f"{function}'s result does not require grad: the graph was cut")
    (grad,) = torch.autograd.grad(f.sum(), xy)
    return {"shape": list(f.shape), **tensors_out({"f": f, "grad": grad}, function)}


@LIKE_FORMULA_F64.add("rosenbrock",
                      hint="use the a and b arguments: f = (a - x)^2 + b (y - x^2)^2, 0 at "
                           "(a, a^2)")
def other_a_and_b(impl, device, dtype):
    """a 2, b 50 at (2, 4), (0, 0), (1, 1), (-1, 3), {dtype}"""
    xy = torch.tensor([[2.0, 4.0], [0.0, 0.0], [1.0, 1.0], [-1.0, 3.0]], dtype=dtype,
                      device=device)
    return {"f": values(impl.rosenbrock(xy, a=2.0, b=50.0), "rosenbrock")}


@LIKE_FORMULA_F64.add("ill_conditioned_quadratic",
                      hint="condition multiplies y^2 (the second coordinate), not x^2")
def other_condition(impl, device, dtype):
    """condition 100 on xy (3, 5, 2) {dtype}"""
    return surface_probe(impl, device, dtype, "ill_conditioned_quadratic", shape=(3, 5),
                         seed=420, condition=100.0)


# ---- trajectories -----------------------------------------------------------------------------

def _analytic_first_step(function, start, steps, lr, momentum=0.0, nesterov=False,
                         weight_decay=0.0):
    """w_1 = w_0 - lr * s * (grad f(w_0) + weight_decay * w_0) with Rosenbrock's (a 1, b 100)
    gradient by hand, s = 1 + momentum for Nesterov and 1 otherwise (the first buffer is g)."""
    x, y = (float(v) for v in start)
    grad = torch.tensor([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)],
                        dtype=torch.float64)
    w0 = torch.tensor([x, y], dtype=torch.float64)
    scale = 1.0 + momentum if nesterov else 1.0
    return torch.stack([w0, w0 - lr * scale * (grad + weight_decay * w0)])


def _starts_at_start(got: dict, want: dict) -> None:
    path, expected = got["path"], want["path"]
    require(path.dtype == np.float64, f"dtype {path.dtype}, expected float64", "path")
    require(path.shape == expected.shape, f"shape {path.shape}, expected (steps + 1, 2) = "
                                          f"{expected.shape}", "path")
    require(np.array_equal(path[0], expected[0]), "row 0 is not the start point: record the "
                                                  "start before the first step", "path")
    require(got["on_start_device"], "the trajectory is not on the start's device", "path")


@CHECKS.add("trajectory", expect=TORCH, compare=_starts_at_start,
            variants={"plain": {"momentum": 0.0}, "momentum": {"momentum": 0.9}},
            hint="row 0 is the start itself, then one row per step: (steps + 1, 2) float64")
def start_point_and_length(impl, device, momentum):
    """quadratic from (0.3, -0.7), 10 steps, lr 0.05, momentum {momentum}"""
    return path_probe(impl, device, torch.float64, "quadratic", (0.3, -0.7), 10, 0.05, momentum)


@CHECKS.add("trajectory", expect=oracle("the first-step formula", trajectory=_analytic_first_step),
            compare=STEPS_F64,
            variants={"plain-decay": {"momentum": 0.0, "nesterov": False},
                      "momentum-decay": {"momentum": 0.9, "nesterov": False},
                      "nesterov-decay": {"momentum": 0.9, "nesterov": True}},
            hint="w_1 = w_0 - lr * (grad f(w_0) + weight_decay * w_0), the gradient by autograd "
                 "at the start (Nesterov: times 1 + momentum on the first step)")
def first_step_formula(impl, device, momentum, nesterov):
    """Rosenbrock from (-1.5, 2), 1 step, lr 0.001, momentum {momentum}, nesterov {nesterov},
    weight_decay 0.1"""
    return path_probe(impl, device, torch.float64, "rosenbrock", (-1.5, 2.0), 1, 1e-3,
                      momentum, nesterov, 0.1)


@LIKE_TORCH.add("trajectory",
                variants={"momentum": {"momentum": 0.9, "nesterov": False, "wd": 0.0},
                          "nesterov": {"momentum": 0.9, "nesterov": True, "wd": 0.0},
                          "plain-decay": {"momentum": 0.0, "nesterov": False, "wd": 1e-2}},
                hint=HINTS["trajectory"])
def rosenbrock_matches_torch(impl, device, momentum, nesterov, wd):
    """Rosenbrock from (-1.5, 2), 60 steps, lr 0.0005, momentum {momentum}, nesterov {nesterov},
    weight_decay {wd}"""
    return path_probe(impl, device, torch.float64, "rosenbrock", (-1.5, 2.0), 60, 5e-4,
                      momentum, nesterov, wd)


def _converged(got: dict, want: None) -> None:
    last = got["path"][-1]
    require(bool(np.all(np.isfinite(got["path"]))), "the trajectory has nan or inf", "path")
    distance = float(np.linalg.norm(last))
    require(distance < 1e-6, f"the last point is {distance:.2e} from the minimum (0, 0); a "
                             "correct optimizer gets within 1e-6", "path")


@CHECKS.add("trajectory", compare=_converged,
            variants={"momentum": {"lr": 0.1, "momentum": 0.5, "nesterov": False},
                      "nesterov": {"lr": 0.04, "momentum": 0.7, "nesterov": True}},
            hint="momentum and Nesterov SGD with a suitable learning rate converge to the "
                 "quadratic's minimum at the origin; a wrong sign, a damped update or a velocity "
                 "that is not carried from step to step does not")
def converges_on_quadratic(impl, device, lr, momentum, nesterov):
    """quadratic 0.5 (x^2 + 25 y^2) from (2, 1), 100 steps, lr {lr}, momentum {momentum}, nesterov
    {nesterov}"""
    return path_probe(impl, device, torch.float64, "quadratic", (2.0, 1.0), 100, lr, momentum,
                      nesterov)


@LIKE_TORCH.add("trajectory", variants=TORCH_F32, devices=CPU_CUDA,
                contract=("returns", "dtypes"),
                hint="convert the start to float64 and keep its device: the trajectory is "
                     "float64 whatever the start's dtype")
def float32_start_gives_float64(impl, device, dtype):
    """quadratic from a {dtype} start (2, 1) on {device}, 30 steps, lr 0.02, momentum 0.9"""
    return path_probe(impl, device, dtype, "quadratic", (2.0, 1.0), 30, 0.02, 0.9)


@LIKE_TORCH.add("trajectory",
                contract="edges",
                hint="steps 0 gives the start alone, shape (1, 2)")
def zero_steps_is_start(impl, device):
    """Rosenbrock from (0.5, -0.5), 0 steps"""
    return path_probe(impl, device, torch.float64, "rosenbrock", (0.5, -0.5), 0, 1e-3)


@CHECKS.add("trajectory", compare=lambda got, _: require(
                got["error"] == "ValueError", f"raised {got['error']}", "error"),
            contract="errors",
            hint="reject a start that is not of shape (2,) with ValueError")
def rejects_bad_start(impl, device):
    """start of shape (3,)"""
    start = torch.zeros(3, dtype=torch.float64, device=device)
    return {"error": raised(lambda: impl.trajectory(lambda xy: (xy**2).sum(), start, 3, 0.1))}


@LIKE_TORCH.library_use("trajectory", kernels=FUSED,  # measured 2.3e-15 abs
                        name="no_library_shortcut_in_path",
                        hint="use your own SGD (or step functions), never torch.optim.SGD")
def no_library_shortcut_in_path(impl, device):
    """quadratic, 3 steps, momentum 0.9"""
    return path_probe(impl, device, torch.float64, "quadratic", (1.0, 1.0), 3, 0.02, 0.9)


@LIKE_TORCH.add("trajectory", expect=DOCUMENTED_DEFAULTS,  # measured 5.6e-17
                name="documented_defaults",
                hint="keep the signature's defaults: momentum=0.0, nesterov=False, "
                     "weight_decay=0.0 (plain SGD) when they are not passed")
def trajectory_documented_defaults(impl, device):
    """quadratic from (2, 1), 20 steps, lr 0.05, momentum, nesterov and weight_decay left out"""
    begin = torch.tensor((2.0, 1.0), dtype=torch.float64, device=device)
    path = impl.trajectory(surface("quadratic"), begin, 20, 0.05)
    if not isinstance(path, torch.Tensor):
        raise ProbeError(f"trajectory returned {type(path).__name__}, expected a torch.Tensor")
    return {"path": to_plain(path.detach())}


# ---- the learning-rate sweep ------------------------------------------------------------------

@LIKE_TORCH.add("lr_sweep",
                contract="edges",
                variants={"quadratic": {"name": "quadratic", "start": (1.0, 1.0),
                                        "lrs": (0.01, 0.07, 0.1, 1.0), "steps": 50,
                                        "momentum": 0.0},
                          "rosenbrock": {"name": "rosenbrock", "start": (-1.5, 2.0),
                                         "lrs": (1e-4, 1e-3, 1e-2, 0.1), "steps": 50,
                                         "momentum": 0.9}},
                hint="a run whose final loss is nan, inf or above max_loss is reported as +inf, "
                     "never nan")
def too_large_rate_diverges(impl, device, name, start, lrs, steps, momentum):
    """the {name} function from {start}, lrs {lrs}, {steps} steps, momentum {momentum}"""
    return sweep_probe(impl, device, name, start, lrs, steps, momentum)


@LIKE_TORCH.add("lr_sweep",
                hint="max_loss is the divergence threshold: a finite final loss above it is "
                     "+inf too")
def max_loss_threshold(impl, device):
    """quadratic from (1, 1), lrs 0.001, 0.01, 0.05, 50 steps, max_loss 0.01"""
    return sweep_probe(impl, device, "quadratic", (1.0, 1.0), (1e-3, 1e-2, 5e-2), 50,
                       max_loss=1e-2)


@LIKE_TORCH.add("lr_sweep",
                variants={"momentum": {"nesterov": False}, "nesterov": {"nesterov": True}},
                hint="one trajectory per rate, each from the same start, with the momentum "
                     "settings passed through")
def matches_torch_with_momentum(impl, device, nesterov):
    """Rosenbrock from (-1.5, 2), lrs 0.0001, 0.0005, 0.001, 50 steps, momentum 0.9, nesterov
    {nesterov}"""
    return sweep_probe(impl, device, "rosenbrock", (-1.5, 2.0), (1e-4, 5e-4, 1e-3), 50, 0.9,
                       nesterov)


@LIKE_TORCH.add("lr_sweep", devices=CPU_CUDA,
                contract=("returns", "dtypes"),
                hint="return a (len(lrs),) float64 tensor on the start's device")
def float64_on_start_device(impl, device):
    """quadratic from a float64 start (1, 1) on {device}, lrs 0.01, 0.03, 50 steps"""
    return sweep_probe(impl, device, "quadratic", (1.0, 1.0), (0.01, 0.03), 50)


@LIKE_TORCH.library_use("lr_sweep", kernels=FUSED,  # measured 2.3e-15 abs
                        name="no_library_shortcut_in_sweep",
                        hint="build the sweep on your trajectory, never torch.optim.SGD")
def no_library_shortcut_in_sweep(impl, device):
    """quadratic, two rates, 3 steps"""
    return sweep_probe(impl, device, "quadratic", (1.0, 1.0), (0.01, 0.02), 3)


@LIKE_TORCH.add("lr_sweep", expect=DOCUMENTED_DEFAULTS,  # measured 0 abs
                name="documented_defaults",
                hint="keep the signature's defaults: momentum=0.0, nesterov=False, "
                     "max_loss=1e10 when they are not passed")
def sweep_documented_defaults(impl, device):
    """quadratic from (1, 1), lrs 0.01, 0.05, 0.1, 50 steps, momentum, nesterov and max_loss left
    out"""
    begin = torch.tensor((1.0, 1.0), dtype=torch.float64, device=device)
    losses = impl.lr_sweep(surface("quadratic"), begin, [0.01, 0.05, 0.1], 50)
    if not isinstance(losses, torch.Tensor):
        raise ProbeError(f"lr_sweep returned {type(losses).__name__}, expected a torch.Tensor")
    return {"losses": to_plain(losses.detach())}


def _plateau(height: float):
    """height + |w|^2: from the origin the gradient is 0, so every run ends with loss = height."""
    return lambda w: height + (w**2).sum()


@LIKE_TORCH.add("lr_sweep",  # measured 0 abs (exact values)
            variants={"at-default": {"height": 1e10, "max_loss": None},
                      "above-default": {"height": 1e10 + 1.0, "max_loss": None},
                      "at-given": {"height": 2.5, "max_loss": 2.5}},
            contract="edges",
            hint="only a loss ABOVE max_loss (default 1e10) counts as diverged: a loss exactly "
                 "equal to max_loss is reported as it is")
def max_loss_boundary(impl, device, height, max_loss):
    """a loss 1e10 + |w|^2 (or 1e10 + 1, or 2.5 + |w|^2 with max_loss 2.5) from the origin, so every
    final loss is exactly that constant; lrs 0.1, 0.01, 3 steps"""
    begin = torch.zeros(2, dtype=torch.float64, device=device)
    extra = {} if max_loss is None else {"max_loss": max_loss}
    losses = impl.lr_sweep(_plateau(height), begin, [0.1, 0.01], 3, **extra)
    if not isinstance(losses, torch.Tensor):
        raise ProbeError(f"lr_sweep returned {type(losses).__name__}, expected a torch.Tensor")
    return {"losses": to_plain(losses.detach())}


# ---- contracts: what comes back, and inputs left as they were ---------------------------------

def _nothing_changed(got: dict, want: None) -> None:
    require(got["changed"] == [], f"the call modified {got['changed']}", "inputs")


@CHECKS.add("SGD", expect=REFERENCE, compare=EXACT, contract="returns",
            hint="step() returns None; step(closure) returns exactly what the closure returned "
                 "(its loss tensor, not a Python float)")
def step_return_types(impl, device):
    """step() without a closure, then step(closure) whose closure returns a 0-d tensor; float64,
    momentum 0.9"""
    model = small_network(400, torch.float64, device)
    X, y = network_data(400, torch.float64, device)  # noqa: N806
    optimizer = make_sgd(impl, model.parameters(), {"lr": 0.05, "momentum": 0.9})[0]

    def closure():
        optimizer.zero_grad()
        loss = ((model(X) - y) ** 2).mean()
        loss.backward()
        return loss

    closure()
    return {"without_closure": type_names(optimizer.step()),
            "with_closure": type_names(optimizer.step(closure))}


@CHECKS.add(SURFACES, compare=_nothing_changed, contract="unchanged",
            hint="compute f from xy's values; never modify xy (no in-place operations, no "
                 "requires_grad_ on it)")
def leaves_xy_unchanged(impl, device, function):
    """a grid (4, 5, 2) float64 that requires grad, then a point (2,) float32"""
    grid = randn((4, 5, 2), 410, torch.float64, device).requires_grad_(True)
    point = randn((2,), 411, torch.float32, device)
    surface_function = getattr(impl, function)
    first = changed_arguments(surface_function, xy=grid)
    second = changed_arguments(surface_function, xy=point)
    return {"changed": first["changed"] + second["changed"],
            "raised": [first["raised"], second["raised"]]}


def _start_and_path(got: dict, want: dict) -> None:
    _nothing_changed(got, want)
    require(got["raised"] == [None, None], f"raised {got['raised']}", "raised")
    require(got["types"] == want["types"], f"returned {got['types']}", "types")
    require(not got["history"], "the returned points carry autograd history (requires_grad or "
                                "a grad_fn): detach them", "path")


@CHECKS.add("trajectory", expect=REFERENCE, compare=_start_and_path,
            contract=("returns", "unchanged"),
            hint="work on a detached float64 copy of start (start.detach().to(torch.float64)"
                 ".clone()): start keeps its values and its requires_grad; the returned tensor "
                 "carries no autograd history")
def leaves_start_unchanged(impl, device):
    """quadratic from a float64 start (2, 1) and from a float64 start that requires grad, 5 steps,
    lr 0.05, momentum 0.9"""
    plain = torch.tensor([2.0, 1.0], dtype=torch.float64, device=device)
    tracked = torch.tensor([2.0, 1.0], dtype=torch.float64, device=device, requires_grad=True)
    paths, results = [], []
    for start in (plain, tracked):
        def run(start):
            paths.append(impl.trajectory(surface("quadratic"), start, 5, 0.05, 0.9))
        results.append(changed_arguments(run, start=start))
    history = any(isinstance(p, torch.Tensor) and (p.requires_grad or p.grad_fn is not None)
                  for p in paths)
    return {"changed": [c for r in results for c in r["changed"]],
            "raised": [r["raised"] for r in results],
            "types": [type_names(p) for p in paths], "history": history}


@CHECKS.add("lr_sweep", compare=_nothing_changed, contract="unchanged",
            name="leaves_inputs_unchanged",
            hint="lr_sweep runs trajectory from a copy of start for each rate: start and the "
                 "list of rates stay as they were")
def sweep_leaves_inputs_unchanged(impl, device):
    """quadratic from a float64 start (2, 1), lrs [0.1, 0.01, 3.0] as a list, 4 steps"""
    start = torch.tensor([2.0, 1.0], dtype=torch.float64, device=device)
    result = changed_arguments(lambda start, lrs: impl.lr_sweep(surface("quadratic"), start, lrs,
                                                                4),
                               start=start, lrs=[0.1, 0.01, 3.0])
    if result["raised"] is not None:
        raise ProbeError(f"lr_sweep raised {result['raised']}")
    return {"changed": result["changed"]}


# ---- speed on CUDA: whole-tensor operations (see compare.SPEED_FACTOR) ------------------------
# CPU: the reference measured 1.1 times the formula in torch operations, a loop over rows 1.5.
@CHECKS.add("momentum_step", compare=at_most_slower("the same formula in torch operations"),
            devices=("cuda",),
            hint="update the whole tensor at once with tensor operations, no loop over elements")
def speed(impl, device):
    """param (4096, 1024) float32 on {device}, momentum 0.9"""
    param, grad, velocity = (randn((4096, 1024), 320 + i, torch.float32, device) for i in range(3))
    return speed_against(lambda: impl.momentum_step(param, grad, velocity, lr=0.01, momentum=0.9),
                         lambda: param - 0.01 * (0.9 * velocity + grad), device)
