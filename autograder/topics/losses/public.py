"""Public checks of topic 5-04 (losses): run them with `make check TOPIC=losses`.

Expected data come from the library (`torch.nn.functional`; for the focal loss torchvision's
definition, held equal to `torchvision.ops.sigmoid_focal_loss` by a test) in float64, gradients by
autograd, or from properties every correct answer has; never from the reference solution. A probe
calls the loss on inputs that require grad, calls `.backward()` on the result (with a fixed
upstream gradient for reduction "none") and returns the loss and the inputs' gradients. Each
tolerance is written next to its check with the error the reference measured. The inputs, probes,
oracles and compares here are shared with the hidden checks.
"""

from __future__ import annotations

import warnings

import torch
import torch.nn.functional as F

from autograder.runtime.check import CheckSet, ProbeError, oracle
from autograder.runtime.compare import Close, require
from autograder.runtime.probing import generator, randn, tensor_out, tensors_out
from autograder.runtime.variants import TORCH_F64

CHECKS = CheckSet("losses", "public")
REDUCTIONS = ("mean", "sum", "none")
# What each loss takes: two float tensors of one shape (regression), logits and soft or hard
# binary targets, (N, C) logits and int64 class indices, or log-probabilities and probabilities.
KINDS = {"mse_loss": "regression", "mae_loss": "regression", "huber_loss": "regression",
         "bce_with_logits": "soft_binary", "focal_loss": "hard_binary",
         "cross_entropy": "classes", "multi_margin_loss": "classes", "kl_div": "distributions"}
FUNCTIONS = tuple(KINDS)
# Keyword arguments the checks pass besides the reduction (non-default values, so an ignored
# parameter shows; `defaults` probes call with none of them).
PARAMETERS = {"huber_loss": {"delta": 0.5}, "focal_loss": {"alpha": 0.3, "gamma": 2.0}}
# float64 answers against float64 torch and torchvision, values and gradients: the reference
# measured at most 3.6e-15 abs (cross-entropy sums) and 1.9e-4 of this tolerance on any value.
VALUES_F64 = Close(rtol=1e-10, atol=1e-12)  # measured 3.6e-15 abs (see above)

HINTS = {
    "mse_loss": "(pred - target)^2 elementwise, then mean over all elements, sum, or nothing; "
                "its gradient is 2 (pred - target), divided by the element count for mean",
    "mae_loss": "|pred - target| elementwise; torch.abs gives the gradient sign(d), which is 0 "
                "where pred == target",
    "huber_loss": "0.5 d^2 where |d| < delta and delta * (|d| - 0.5 * delta) elsewhere, with "
                  "the delta you are given: the two pieces meet with the same value and slope",
    "bce_with_logits": "max(x, 0) - x * y + log(1 + exp(-|x|)): the same loss as "
                       "-[y log p + (1 - y) log(1 - p)], but exp never overflows and log never "
                       "sees 0",
    "cross_entropy": "per row: log(sum_j exp(x_j - m)) - (x_y - m) with m the row's maximum; "
                     "mean divides by N, the number of samples, not by N * C",
    "multi_margin_loss": "sum max(0, 1 - x_y + x_i) over the classes i != y only (not the true "
                         "class), then divide by C, the number of classes, as torch does",
    "focal_loss": "alpha_t * (1 - p_t)^gamma * BCE with p = sigmoid(x), p_t = p y + (1 - p)(1 - "
                  "y) and alpha_t = alpha y + (1 - alpha)(1 - y): alpha weighs the positives, "
                  "1 - alpha the negatives",
    "kl_div": "as F.kl_div(input, target): the first argument is log q (log-probabilities), the "
              "second p; pointwise p (log p - log q), with 0 where p = 0",
}


# ---- oracles: torch and torchvision, in the trusted process --------------------------------

def _huber(pred, target, delta=1.0, reduction="mean"):
    return F.huber_loss(pred, target, reduction=reduction, delta=delta)


def _focal(logits, targets, alpha=0.25, gamma=2.0, reduction="mean"):
    """Lin et al.'s sigmoid focal loss, -alpha_t (1 - p_t)^gamma log p_t, with log p_t from
    torch's binary_cross_entropy_with_logits: what torchvision.ops.sigmoid_focal_loss computes
    (tests/test_formulations.py holds the two equal), without importing torchvision (1.4 s of
    every `make check` of 5-04)."""
    p = torch.sigmoid(logits)
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = F.binary_cross_entropy_with_logits(logits, targets, reduction="none") \
        * (1 - p_t) ** gamma
    if alpha is not None and alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]


def _kl_div(log_q, target, reduction="mean", log_target=False):
    with warnings.catch_warnings():  # torch warns that "mean" is not the KL per sample
        warnings.simplefilter("ignore")
        return F.kl_div(log_q, target, reduction=reduction, log_target=log_target)


def _library(function):
    """A torch loss with the exercise's keywords (reduction=...)."""
    def loss(first, second, reduction="mean"):
        return function(first, second, reduction=reduction)
    return loss


TORCH = oracle("torch.nn.functional and torchvision (float64; gradients by autograd)",
               mse_loss=_library(F.mse_loss), mae_loss=_library(F.l1_loss), huber_loss=_huber,
               bce_with_logits=_library(F.binary_cross_entropy_with_logits),
               cross_entropy=_library(F.cross_entropy),
               multi_margin_loss=_library(F.multi_margin_loss), focal_loss=_focal,
               kl_div=_kl_div)


# ---- inputs and probes ----------------------------------------------------------------------

def loss_inputs(function, shape, seed, noncontiguous=False):
    """The two arguments of `function`, seeded, as CPU float64 values rounded to float32 (so a
    float32 variant and its float64 reference see the same numbers; class indices are int64),
    and whether each gets a gradient."""
    kind = KINDS[function]
    first = randn(shape, seed, torch.float64, "cpu", noncontiguous)
    second = randn(shape, seed + 1, torch.float64, "cpu", noncontiguous)
    if kind == "regression":
        return (first, second), (True, True)
    if kind == "soft_binary":
        return (2.0 * first, torch.sigmoid(second)), (True, False)
    if kind == "hard_binary":
        return (2.0 * first, (second > 0).to(torch.float64)), (True, False)
    if kind == "classes":
        target = torch.randint(0, shape[1], shape[:1], generator=generator(seed + 1))
        return (2.0 * first, target), (True, False)
    # distributions: log q (log-probabilities) and p (probabilities), each row summing to 1
    return (log_probabilities(first), torch.softmax(second, -1)), (True, True)


def log_probabilities(x):
    """Row-wise log-softmax of `x`, as log(softmax): probes run under the topic's library-use
    guard, where torch's own log_softmax raises."""
    return torch.log(torch.softmax(x, -1))


def as_input(values, dtype, device, requires_grad):
    """Float values rounded to float32, then in `dtype` on `device` (layout kept); class indices
    stay int64."""
    if values.dtype == torch.int64:
        return values.to(device)
    x = values.float().to(dtype=dtype, device=device)
    return x.requires_grad_() if requires_grad else x


def call_loss(impl, function, inputs, reduction, parameters):
    """The loss with `reduction` and `parameters`; reduction None calls with the defaults."""
    loss = getattr(impl, function)
    if reduction is None:
        return loss(*inputs)
    return loss(*inputs, reduction=reduction, **parameters)


def backward_grads(loss, inputs, function, seed):
    """loss.backward() (with a seeded upstream gradient of the loss's shape when it is not a
    scalar); the gradients of the inputs that require grad, as float64 values."""
    if not isinstance(loss, torch.Tensor):
        raise ProbeError(f"{function} returned {type(loss).__name__}, expected a torch.Tensor")
    if not loss.requires_grad:
        raise ProbeError(f"{function}: the loss does not require grad, so autograd cannot reach "
                         "the inputs (no .detach(), .item(), NumPy or torch.no_grad inside)")
    upstream = None if loss.dim() == 0 else \
        randn(tuple(loss.shape), seed, loss.dtype, str(loss.device))
    loss.backward(upstream)
    wanted = [x for x in inputs if x.requires_grad]
    if any(x.grad is None for x in wanted):
        raise ProbeError(f"{function}: no gradient reached an input: the loss must depend on "
                         "it through differentiable operations")
    return tensors_out({f"d_{i}": x.grad for i, x in enumerate(wanted)}, function)


def losses_on(impl, device, dtype, function, values, needs_grad, parameters,
              reductions=REDUCTIONS, seed=7):
    """For each reduction, on fresh copies of `values`: the loss's values (and whether it kept
    the input's dtype and device) and the gradients of the inputs in `needs_grad`. A reduction
    None calls with the default arguments."""
    out = {}
    for reduction in reductions:
        inputs = [as_input(v, dtype, device, g) for v, g in zip(values, needs_grad, strict=True)]
        loss = call_loss(impl, function, inputs, reduction, parameters)
        out[reduction or "defaults"] = {"loss": tensor_out(loss, function, inputs[0]),
                                        "grads": backward_grads(loss, inputs, function, seed)}
    return out


def loss_probe(impl, device, dtype, function, shape=None, seed=0, noncontiguous=False,
               reductions=REDUCTIONS, parameters=None):
    """`function` on seeded inputs of its kind (default shapes: (8, 4) logits, else (6, 5))."""
    shape = shape or ((8, 4) if KINDS[function] == "classes" else (6, 5))
    parameters = PARAMETERS.get(function, {}) if parameters is None else parameters
    values, needs_grad = loss_inputs(function, shape, seed, noncontiguous)
    return losses_on(impl, device, dtype, function, values, needs_grad, parameters, reductions,
                     seed + 7)


def raised_with_message(call):
    """(exception name, message) of what `call` raised, (None, "") if it returned.
    NotImplementedError passes through, so an unimplemented function reads as not implemented."""
    try:
        call()
    except NotImplementedError:
        raise
    except Exception as error:  # any exception is an answer here: the check judges it
        return type(error).__name__, str(error)
    return None, ""


def names_both_shapes(shapes):
    """A ValueError whose message names both shapes, as tuples or lists ("(5, 1)", "[5, 1]",
    "torch.Size([5, 1])")."""
    def written(shape):
        return (str(tuple(shape)), str(list(shape)))

    def compare(got: dict, want: None) -> None:
        require(got["error"] == "ValueError",
                f"raised {got['error']}, expected ValueError" if got["error"] else
                "returned a loss, expected a ValueError for inputs of different shapes", "error")
        named = [any(w in got["message"] for w in written(shape)) for shape in shapes]
        require(all(named), f"the message does not name both shapes {shapes[0]} and "
                            f"{shapes[1]}", "message")
    return compare


def extreme_case(kind, big):
    """Logits of +-big (and moderate ones) with their targets, as float64 (int64) tensors."""
    if kind == "classes":
        logits = [[big, -big, 0.5], [-big, big, 0.25 * big], [big, big, -big],
                  [-0.5 * big, -big, big]]
        return torch.tensor(logits, dtype=torch.float64), torch.tensor([1, 1, 2, 0])
    logits = torch.tensor([big, -big, big, -big, 0.4 * big, -0.4 * big, 1.5, -2.5],
                          dtype=torch.float64)
    if kind == "hard_binary":
        return logits, torch.tensor([1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0], dtype=torch.float64)
    return logits, torch.tensor([1.0, 0.0, 0.0, 1.0, 0.25, 0.75, 0.0, 1.0], dtype=torch.float64)


def describe(function, shape=None, parameters=None):
    """The inputs of a check in words, for its case line."""
    kind = KINDS[function]
    shape = shape or ((8, 4) if kind == "classes" else (6, 5))
    parameters = PARAMETERS.get(function, {}) if parameters is None else parameters
    inputs = {"regression": f"pred, target {shape}",
              "soft_binary": f"logits {shape}, soft targets in (0, 1)",
              "hard_binary": f"logits {shape}, 0/1 targets",
              "classes": f"logits {shape}, int64 target {shape[:1]}",
              "distributions": f"log_q, target {shape} (log-probabilities, probabilities)"}[kind]
    return ", ".join([inputs] + [f"{k} {v}" for k, v in parameters.items()])


# ---- every loss against the library -----------------------------------------------------------

@CHECKS.add(FUNCTIONS, expect=TORCH, compare=VALUES_F64, variants=TORCH_F64,
            case=lambda f: f"{describe(f)}, {{dtype}}; reductions mean, sum, none; values and "
                           "autograd gradients",
            hint=lambda f: HINTS[f])
def matches_torch(impl, device, dtype, function):
    return loss_probe(impl, device, dtype, function)


# ---- stability, the convention for shapes, and focal loss's reduction to BCE -----------------

@CHECKS.add("bce_with_logits", expect=TORCH, compare=VALUES_F64, variants=TORCH_F64,
            hint="sigmoid(100) rounds to 1, so log(1 - sigmoid(100)) is log(0) = -inf: use "
                 "max(x, 0) - x * y + log(1 + exp(-|x|)) instead")
def large_logits_stay_finite(impl, device, dtype):
    """logits of +-100 and +-40 with soft and hard targets, {dtype}; mean and none"""
    return losses_on(impl, device, dtype, "bce_with_logits", extreme_case("soft_binary", 100.0),
                     (True, False), {}, ("mean", "none"))


@CHECKS.add("mse_loss", compare=names_both_shapes(((5, 1), (5,))),
            hint="check pred.shape == target.shape first and raise ValueError naming both "
                 "shapes: subtracting them would broadcast to (5, 5)")
def shape_mismatch_names_both(impl, device):
    """pred (5, 1) and target (5,) float64"""
    pred = randn((5, 1), 30, torch.float64, device)
    target = randn((5,), 31, torch.float64, device)
    error, message = raised_with_message(lambda: impl.mse_loss(pred, target))
    return {"error": error, "message": message}


def bce_from_focal(logits, targets, alpha=0.25, gamma=2.0, reduction="mean"):
    """Focal loss with gamma = 0 and alpha = None is BCE: the library's BCE stands in for it."""
    return F.binary_cross_entropy_with_logits(logits, targets, reduction=reduction)


@CHECKS.add("focal_loss", expect=oracle("F.binary_cross_entropy_with_logits",
                                        focal_loss=bce_from_focal),
            compare=VALUES_F64, variants=TORCH_F64,
            hint="with gamma = 0 the factor (1 - p_t)^gamma is 1, and alpha None means no "
                 "alpha_t factor: what is left is exactly binary cross-entropy")
def gamma_zero_is_bce(impl, device, dtype):
    """logits (6, 5) {dtype}, 0/1 targets, alpha None, gamma 0; reductions mean, sum, none"""
    return loss_probe(impl, device, dtype, "focal_loss", seed=40,
                      parameters={"alpha": None, "gamma": 0.0})
