"""Public checks of topic 5-03 (activations): run them with `make check TOPIC=activations`.

Expected data come from PyTorch (`torch.nn.functional` in float64, derivatives by autograd), from
the docstrings' worked examples, or from properties every correct answer has; never from the
reference solution. Probes hand the implementation NumPy arrays; the oracles below wrap torch and
run in the trusted process only. Each tolerance is written next to its check with the error the
reference measured. The inputs, probes, oracles and compares here are shared with the hidden
checks.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from autograder.runtime.check import CheckSet, literal, oracle
from autograder.runtime.compare import EXACT, Close
from autograder.runtime.probing import array_out, floating_point_warnings, rng_normal, scalar
from autograder.runtime.variants import NUMPY_F64

CHECKS = CheckSet("activations", "public")
ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu", "gelu_tanh", "silu")
# Keyword arguments the checks pass besides x (non-default values, so a parameter that is
# ignored shows; hidden checks also call with the defaults).
PARAMETERS = {"leaky_relu": {"slope": 0.1}, "elu": {"alpha": 0.7}}
# float64 answers against float64 torch (and the worked examples): the reference measured at
# most 2.7e-15 abs (gelu_tanh_grad at |x| ~ 10: 1 - tanh^2 times ~100) and 6e-15 relative where
# |y| > 1e-12; scipy's erf and torch's differ in the last bit.
VALUES_F64 = Close(rtol=1e-10, atol=1e-12)  # measured 2.7e-15 abs (see above)

HINTS = {
    "sigmoid": "1 / (1 + exp(-x)) for x >= 0 and exp(x) / (1 + exp(x)) for x < 0: the same "
               "function, and neither form overflows on its own side",
    "sigmoid_grad": "sigmoid(x) * (1 - sigmoid(x)), with sigmoid evaluated at the input x",
    "tanh": "np.tanh, or (exp(x) - exp(-x)) / (exp(x) + exp(-x)) rewritten so that it cannot "
            "overflow",
    "tanh_grad": "1 - tanh(x)^2: square the output tanh(x), not the input x",
    "relu": "max(x, 0) elementwise, in x's dtype",
    "relu_grad": "1 where x > 0 and 0 elsewhere, including at 0 (relu'(0) = 0), in x's dtype",
    "leaky_relu": "x where x > 0 and slope * x elsewhere, with the slope you are given",
    "leaky_relu_grad": "1 where x > 0 and slope elsewhere, including at 0, in x's dtype",
    "elu": "x where x > 0 and alpha * (exp(x) - 1) elsewhere; np.where computes both branches "
           "for every element, so keep exp's argument <= 0",
    "elu_grad": "1 where x > 0 and alpha * exp(x) elsewhere, including at 0 (elu'(0) = alpha)",
    "gelu": "x * Phi(x) with the exact normal CDF Phi(x) = (1 + erf(x / sqrt(2))) / 2 "
            "(scipy.special.erf), not the tanh approximation",
    "gelu_grad": "product rule: Phi(x) + x * phi(x), phi(x) = exp(-x^2 / 2) / sqrt(2 pi)",
    "gelu_tanh": "0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))",
    "gelu_tanh_grad": "product and chain rule: 0.5 * (1 + t) + 0.5 * x * (1 - t^2) * du/dx with "
                      "t = tanh(u) and du/dx = sqrt(2 / pi) * (1 + 3 * 0.044715 * x^2)",
    "silu": "x * sigmoid(x), with a sigmoid that cannot overflow",
    "silu_grad": "product rule: sigmoid(x) + x * sigmoid(x) * (1 - sigmoid(x))",
}


# ---- oracles: torch on NumPy arrays, in the trusted process -------------------------------

def _leaky_relu(t: torch.Tensor, slope: float = 0.01) -> torch.Tensor:
    return F.leaky_relu(t, negative_slope=slope)


def _elu(t: torch.Tensor, alpha: float = 1.0) -> torch.Tensor:
    return F.elu(t, alpha=alpha)


def _gelu_tanh(t: torch.Tensor) -> torch.Tensor:
    return F.gelu(t, approximate="tanh")


TORCH_ACTIVATIONS = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": F.relu,
                     "leaky_relu": _leaky_relu, "elu": _elu, "gelu": F.gelu,
                     "gelu_tanh": _gelu_tanh, "silu": F.silu}


def _tensor(x: np.ndarray, requires_grad: bool = False) -> torch.Tensor:
    return torch.tensor(np.array(x, dtype=np.float64), requires_grad=requires_grad)


def _values(function):
    """A torch activation as the exercise's function: NumPy in, NumPy out."""
    def apply(x: np.ndarray, **parameters: float) -> np.ndarray:
        return function(_tensor(x), **parameters).numpy()
    return apply


def _derivative(function):
    """The elementwise derivative of a torch activation, by autograd: d sum(f(x)) / dx."""
    def apply(x: np.ndarray, **parameters: float) -> np.ndarray:
        t = _tensor(x, requires_grad=True)
        y = function(t, **parameters)
        (grad,) = torch.autograd.grad(y, t, torch.ones_like(y))
        return grad.numpy()
    return apply


def _softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    return torch.softmax(_tensor(x), dim=axis).numpy()


def _softmax_vjp(x: np.ndarray, upstream: np.ndarray, axis: int = -1) -> np.ndarray:
    t = _tensor(x, requires_grad=True)
    (grad,) = torch.autograd.grad(torch.softmax(t, dim=axis), t, _tensor(upstream))
    return grad.numpy()


def _dead_relu_fraction(pre_activations: np.ndarray) -> float:
    """The units through which F.relu passes no gradient for any sample of the batch."""
    t = _tensor(pre_activations, requires_grad=True)
    (grad,) = torch.autograd.grad(F.relu(t).sum(), t)
    alive = (grad != 0).reshape(grad.shape[0], -1).any(dim=0)
    return float((~alive).to(torch.float64).mean())


TORCH = oracle("torch (float64; derivatives by autograd)",
               **{name: _values(f) for name, f in TORCH_ACTIVATIONS.items()},
               **{f"{name}_grad": _derivative(f) for name, f in TORCH_ACTIVATIONS.items()},
               softmax=_softmax, softmax_vjp=_softmax_vjp, dead_relu_fraction=_dead_relu_fraction)


# ---- inputs and probes (shared with the hidden checks) ------------------------------------

def activation_input(shape, seed, dtype, noncontiguous=False):
    """N(0, 3^2) values, exact zeros in every fourth column (the kinks and the derivative
    conventions at 0), float32-representable so both dtypes see the same numbers."""
    x = rng_normal(shape, seed, dtype, 3.0, noncontiguous)
    x[..., ::4] = 0.0
    return x


def elementwise_probe(impl, function, x, parameters):
    """One call of an activation or derivative: its output as plain data."""
    return {"y": array_out(getattr(impl, function)(x, **parameters), function, x)}


def elementwise_warnings_probe(impl, function, x, parameters):
    """As elementwise_probe, with the NumPy floating-point warnings the call raised."""
    y, warned = floating_point_warnings(getattr(impl, function), x, **parameters)
    return {"y": array_out(y, function, x), "warnings": warned}


def describe(parameters):
    """The case text of the keyword arguments a check passes."""
    return "".join(f", {key} {value}" for key, value in parameters.items())


def parameters_of(function):
    """The keyword arguments the public checks pass to an activation or its derivative."""
    return PARAMETERS.get(function.removesuffix("_grad"), {})


# ---- the activations and their derivatives --------------------------------------------------

VALUES = CHECKS.defaults(expect=TORCH, compare=VALUES_F64, variants=NUMPY_F64)


DERIVATIVES = tuple(f"{a}_grad" for a in ACTIVATIONS)


def case_of(function):
    """The case text of an activation's or derivative's value check."""
    return "x (6, 8) {dtype}: N(0, 9) values and exact zeros" + describe(parameters_of(function))


@VALUES.add(ACTIVATIONS, hint=lambda f: HINTS[f], case=case_of)
def matches_torch(impl, device, dtype, function):
    return elementwise_probe(impl, function, activation_input((6, 8), 1, dtype),
                             parameters_of(function))


@VALUES.add(DERIVATIVES, hint=lambda f: HINTS[f], case=case_of)
def matches_autograd(impl, device, dtype, function):
    return elementwise_probe(impl, function, activation_input((6, 8), 2, dtype),
                             parameters_of(function))


@CHECKS.add("relu_grad", expect=literal({"y": {"values": np.array([0.0, 0.0, 1.0]),
                                              "kept_dtype": True, "kept_shape": True}},
                                       "the docstring's example"),
            compare=EXACT,  # 0 and 1 are exact
            hint="relu'(0) = 0: only strictly positive inputs pass the gradient")
def worked_example(impl, device):
    """x = [-2.0, 0.0, 3.0] float64"""
    return elementwise_probe(impl, "relu_grad", np.array([-2.0, 0.0, 3.0]), {})


# ---- softmax and its vector-Jacobian product -------------------------------------------------

def softmax_probe(impl, device, dtype, shape=(5, 7), axis=-1, seed=3, noncontiguous=False,
                  scale=3.0):
    x = rng_normal(shape, seed, dtype, scale, noncontiguous)
    return {"y": array_out(impl.softmax(x, axis=axis), "softmax", x)}


@VALUES.add("softmax", name="matches_torch",
            hint="exp(x - max) / sum(exp(x - max)) over the given axis, with keepdims=True so "
                 "the division broadcasts")
def softmax_matches_torch(impl, device, dtype):
    """x (5, 7) {dtype}, axis -1"""
    return softmax_probe(impl, device, dtype)


@CHECKS.add("softmax", expect=literal({"y": {"values": np.array([[0.25, 0.75], [0.5, 0.5]]),
                                            "kept_dtype": True, "kept_shape": True}},
                                     "the docstring's example"),
            compare=VALUES_F64,  # measured 0
            hint="subtract each slice's maximum before np.exp: softmax does not change, and "
                 "exp(1000) no longer overflows", name="worked_example")
def softmax_worked_example(impl, device):
    """x = [[0, log 3], [1000, 1000]] float64"""
    x = np.array([[0.0, np.log(3.0)], [1000.0, 1000.0]])
    return {"y": array_out(impl.softmax(x), "softmax", x)}


def softmax_vjp_probe(impl, device, dtype, shape=(5, 7), axis=-1, seed=4, noncontiguous=False,
                      scale=3.0, upstream=None):
    x = rng_normal(shape, seed, dtype, scale, noncontiguous)
    if upstream is None:
        g = rng_normal(shape, seed + 1, dtype, 1.0, noncontiguous)
    else:
        g = np.full(shape, upstream, dtype=dtype)
    return {"dx": array_out(impl.softmax_vjp(x, g, axis=axis), "softmax_vjp", x)}


@VALUES.add("softmax_vjp", name="matches_autograd",
            hint="per slice: s * (upstream - sum(upstream * s)) with s = softmax(x); softmax is "
                 "not elementwise, so s * (1 - s) * upstream is not its gradient")
def softmax_vjp_matches_autograd(impl, device, dtype):
    """x (5, 7) {dtype}, upstream (5, 7), axis -1"""
    return softmax_vjp_probe(impl, device, dtype)


# ---- dead ReLU units ----------------------------------------------------------------------------

DOCSTRING_BATCH = [[1.0, -2.0, 0.0, -1.0], [-0.5, -1.0, 0.0, 3.0], [2.0, -0.1, 0.0, -4.0]]
FRACTION = Close(rtol=1e-12, atol=0.0)  # measured 0: a count over a count


def dead_relu_probe(impl, x):
    return {"fraction": scalar(impl.dead_relu_fraction(x), "dead_relu_fraction's result")}


def shifted_batch(shape, seed, dtype, noncontiguous=False):
    """Pre-activations whose units (last axis) have offsets from -4 to 2, so some units are dead
    on the batch and others alive, with exact zeros in places; computed in float32, so both
    dtypes see the same numbers."""
    x = rng_normal(shape, seed, np.float32, 1.0)
    x = x + np.linspace(-4.0, 2.0, shape[-1]).astype(np.float32)
    x[1::3, ..., ::5] = 0.0
    x = x.astype(dtype)
    return np.asfortranarray(x) if noncontiguous else x  # same values, reversed strides


@CHECKS.add("dead_relu_fraction", expect=literal({"fraction": 0.5}, "the docstring's example"),
            compare=FRACTION, name="worked_example",
            hint="a unit (a column) is dead when its pre-activation is <= 0 for every sample "
                 "(row); return dead units / all units")
def dead_relu_worked_example(impl, device):
    """the docstring's (3, 4) batch, float64"""
    return dead_relu_probe(impl, np.array(DOCSTRING_BATCH))


@CHECKS.add("dead_relu_fraction", expect=TORCH, compare=FRACTION, variants=NUMPY_F64,
            name="matches_torch",
            hint="reduce over the batch axis (axis 0) only: a unit is dead when no sample gives "
                 "it a positive input")
def dead_relu_matches_torch(impl, device, dtype):
    """pre-activations (64, 40) {dtype}, units offset from -4 to 2"""
    return dead_relu_probe(impl, shifted_batch((64, 40), 5, dtype))
