"""Hidden checks of topic 5-03 (activations): float32, large and non-contiguous inputs, the
defaults, inputs of +-1000 (no overflow warning, no NaN), relative accuracy of tiny sigmoids, the
derivative conventions at 0, inputs left unchanged, softmax's axis and shift invariance, and the
dead-unit edge cases.
Graded mode shows a student only each check's name, pass or fail, and its hint. Tolerances are
written next to each check with the error the reference measured (float32 answers against float64
references).

Contracts (`CONTRACTS`, autograder/contracts.py): every function returns a NumPy array of x's shape
and dtype (dead_relu_fraction: a Python float, for float32 and float64 input alike), leaves its
arguments unchanged, and meets the edge cases its docstring and the module's rules state (+-1000
with no warning, the values at 0 and -0.0, the conventions at the kinks, softmax's constant shift
and slices of length 1, dead units exactly at 0); dead_relu_fraction raises ValueError for fewer
than 2 dimensions or an empty batch.
"""

from __future__ import annotations

import numpy as np

from autograder.runtime.check import REFERENCE, CheckSet, echo
from autograder.runtime.compare import EXACT, Close, no_warnings_and, require
from autograder.runtime.probing import (
    array_out,
    changed_arguments,
    floating_point_warnings,
    raised,
    rng_normal,
    type_names,
)
from autograder.runtime.variants import NUMPY_F32, NUMPY_F64, NUMPY_FLOATS
from autograder.topics.activations.public import (
    ACTIVATIONS,
    DOCSTRING_BATCH,
    FRACTION,
    HINTS,
    TORCH,
    VALUES_F64,
    activation_input,
    dead_relu_probe,
    describe,
    elementwise_probe,
    elementwise_warnings_probe,
    shifted_batch,
    softmax_probe,
    softmax_vjp_probe,
)

CHECKS = CheckSet("activations", "hidden")
# The contract kinds each graded function's docstring states (autograder/contracts.py). Every
# array function: "Return a new np.ndarray of x's shape and dtype, and leave x unchanged", float32
# or float64 in, and the stated values at 0, at the kinks and at +-1000 ("no NumPy floating-point
# warning"). dead_relu_fraction: "The fraction as a Python float" for float32 and float64 input,
# "Raises: ValueError: for fewer than 2 dimensions or an empty batch (N = 0)".
ARRAY_CONTRACTS = ("returns", "dtypes", "unchanged", "edges")
# The topic's own edge cases, each named in at least one hidden check (beside the pack's:
# float32, float64, large, noncontiguous, batch_of_one; tests/test_pack_rules.py).
EDGE_CASES = ("extremes_no_overflow", "convention_at_zero", "large_negative", "shift_invariance",
              "zeros_are_dead")

CONTRACTS = {
    **{name: ARRAY_CONTRACTS for name in (
        "sigmoid", "sigmoid_grad", "tanh", "tanh_grad", "relu", "relu_grad", "leaky_relu",
        "leaky_relu_grad", "elu", "elu_grad", "gelu", "gelu_grad", "gelu_tanh", "gelu_tanh_grad",
        "silu", "silu_grad", "softmax", "softmax_vjp")},
    "dead_relu_fraction": ("returns", "dtypes", "unchanged", "errors", "edges"),
}
NOT_APPLICABLE: dict[str, dict[str, str]] = {}

# float32 answers against float64 torch: measured max errors in each comment; `python -m
# autograder measure` prints them. A real mistake is off by 1e-3 or more.
F32_VALUES = Close(rtol=1e-4, atol=1e-5)  # measured 1.2e-6 abs (gelu_tanh_grad, |x| up to 14)
# Parameters other than the public checks' (leaky_relu slope 0.1, elu alpha 0.7).
PARAMETERS = {"leaky_relu": {"slope": 0.2}, "elu": {"alpha": 1.5}}
# Every value is exact in float32; +-89 and +-100 overflow float32's exp, +-710 and +-1000
# float64's.
EXTREMES = [[-1000.0, -710.0, -100.0, -89.0, -50.0, -20.0, -1.0, 0.0],
            [1000.0, 710.0, 100.0, 89.0, 50.0, 20.0, 1.0, -0.0]]
STABLE_HINT = ("inputs of +-1000 must give finite values and no NumPy overflow warning: never "
               "exponentiate a large positive number, and remember that np.where evaluates both "
               "branches for every element")
FLOAT32_HINT = ("float32 in, float32 out: Python floats and x.dtype keep float32; astype(float), "
                "np.zeros(shape) and NumPy float64 scalars such as np.sqrt(2.0) promote to float64")


def parameters_of(function: str) -> dict:
    return PARAMETERS.get(function.removesuffix("_grad"), {})


# ---- every activation and derivative --------------------------------------------------------

ELEMENTWISE = ACTIVATIONS + tuple(f"{a}_grad" for a in ACTIVATIONS)
FLOAT32 = CHECKS.defaults(expect=TORCH, compare=F32_VALUES, variants=NUMPY_F32,
                          contract=("returns", "dtypes"))
VALUES = CHECKS.defaults(expect=TORCH, compare=VALUES_F64, variants=NUMPY_F64)


def extremes_case(function: str) -> str:
    return "x (2, 8) {dtype} from -1000 to 1000" + describe(parameters_of(function))


@FLOAT32.add(ELEMENTWISE, hint=lambda f: f"{FLOAT32_HINT}; {HINTS[f]}",
             case=lambda f: "x (256, 300) {dtype}: N(0, 9) values and exact zeros"
                            + describe(parameters_of(f)))
def float32_large(impl, device, dtype, function):
    return elementwise_probe(impl, function, activation_input((256, 300), 10, dtype),
                             parameters_of(function))


# (decorators apply bottom-up: the float64 check is listed first)
# measured: no warning; 1.1e-6 abs (leaky_relu at -1000, 6.4e-8 relative)
@FLOAT32.add(ELEMENTWISE, compare=no_warnings_and(F32_VALUES), hint=STABLE_HINT,
             case=extremes_case, contract="edges")
# measured: no warning; 1.1e-16 abs (gelu), exact for the rest
@VALUES.add(ELEMENTWISE, compare=no_warnings_and(VALUES_F64), hint=STABLE_HINT,
            case=extremes_case, contract="edges")
def extremes_no_overflow(impl, device, dtype, function):
    x = np.array(EXTREMES, dtype=dtype)
    return elementwise_warnings_probe(impl, function, x, parameters_of(function))


@VALUES.add(ELEMENTWISE, hint=lambda f: "work elementwise on any shape and memory layout, and "
                                        f"keep the docstring's default arguments; {HINTS[f]}")
def noncontiguous_defaults(impl, device, dtype, function):
    """x transposed view (4, 5, 6) {dtype}, default arguments"""
    x = activation_input((4, 5, 6), 11, dtype, noncontiguous=True)
    return elementwise_probe(impl, function, x, {})


# The probe returns x as it is after the call: the expected side's x is never written to.
READ_ONLY_INPUT = (*ELEMENTWISE, "softmax")


@VALUES.add(READ_ONLY_INPUT, expect=echo(*READ_ONLY_INPUT, label="the input, untouched"),
            compare=EXACT,
            hint="return a new array and leave x as it was: no out=x, no x[...] = ..., no "
                 "in-place x -= ... (the caller may still need x, e.g. for the backward pass)",
            contract="unchanged")
def leaves_input_unchanged(impl, device, dtype, function):
    """x (5, 6) {dtype}: x itself after the call"""
    x = activation_input((5, 6), 12, dtype)
    getattr(impl, function)(x)
    return {"x": array_out(x, function, x)}


@VALUES.add(("sigmoid", "sigmoid_grad"),
            compare=Close(rtol=1e-10, atol=0.0),  # measured 2.0e-16 rel
            hint="for negative x compute exp(x) / (1 + exp(x)): accurate relative to the tiny "
                 "result, where 1 - sigmoid(-x) or 0.5 * (1 + tanh(x / 2)) round to 0",
            contract="edges")
def large_negative_relative(impl, device, dtype, function):
    """x (69,) {dtype} from -700 to -20"""
    x = np.linspace(-700.0, -20.0, 69).astype(dtype)
    return elementwise_probe(impl, function, x, {})


@VALUES.add(("relu_grad", "leaky_relu_grad", "elu_grad"),
            case=lambda f: "x = [0, -0, 1e-300, -1e-300, 1, -1] {dtype}"
                           + describe(parameters_of(f)),
            hint=lambda f: "at the kink x = 0 (and -0.0) use the x <= 0 branch's derivative, as "
                           f"the docstring states; {HINTS[f]}", contract="edges")
def convention_at_zero(impl, device, dtype, function):
    x = np.array([0.0, -0.0, 1e-300, -1e-300, 1.0, -1.0], dtype=dtype)
    return elementwise_probe(impl, function, x, parameters_of(function))


# ---- softmax --------------------------------------------------------------------------------

SOFTMAX_HINT = ("exp(x - max) / sum(exp(x - max)) along the given axis, with keepdims=True so "
                "the division broadcasts along that axis")


@FLOAT32.add("softmax", hint=f"{FLOAT32_HINT}; {SOFTMAX_HINT}", name="float32_large")
def softmax_float32_large(impl, device, dtype):
    """x (512, 100) {dtype}, axis -1"""
    return softmax_probe(impl, device, dtype, shape=(512, 100), seed=20)


def extreme_rows(dtype):
    """Rows mixing +-1000 with small values, all 1000, all -1000: exact in float32."""
    return np.array([[-1000.0, 0.0, 1000.0, 999.0, -999.0, 5.0],
                     [1000.0, 1000.0, 1000.0, 1000.0, 1000.0, 1000.0],
                     [-1000.0, -1000.0, -1000.0, -1000.0, -1000.0, -1000.0],
                     [100.0, -100.0, 89.0, -89.0, 0.0, 88.0]], dtype=dtype)


# measured: no warning; 4.3e-8 abs (float32), 5.6e-17 abs (float64)
@FLOAT32.add("softmax", compare=no_warnings_and(F32_VALUES), hint=STABLE_HINT, contract="edges",
             name="extremes_no_overflow")
@VALUES.add("softmax", compare=no_warnings_and(VALUES_F64), hint=STABLE_HINT, contract="edges",
            name="extremes_no_overflow")
def softmax_extremes_no_overflow(impl, device, dtype):
    """x (4, 6) {dtype}: rows with +-1000, all 1000, all -1000"""
    x = extreme_rows(dtype)
    y, warned = floating_point_warnings(impl.softmax, x, axis=-1)
    return {"y": array_out(y, "softmax", x), "warnings": warned}


SHIFTS = {"x": 0.0, "x_plus_1000": 1000.0, "x_minus_1000": -1000.0}


def _same_as_unshifted(got: dict, want: dict) -> None:
    for label in SHIFTS:
        # measured 2.2e-16 abs: x + 1000 is exact (x has float32 values), so only softmax rounds
        VALUES_F64({label: got[label]}, {label: want["x"]})


@VALUES.add("softmax", compare=_same_as_unshifted,
            hint="softmax(x + c) = softmax(x) for a constant c: subtracting the maximum first "
                 "keeps every exponent <= 0 and the largest term exactly 1",
            contract="edges")
def shift_invariance(impl, device, dtype):
    """x (6, 10) {dtype}, then x + 1000 and x - 1000"""
    x = activation_input((6, 10), 21, dtype)
    return {label: array_out(impl.softmax(x + shift, axis=-1), "softmax", x)
            for label, shift in SHIFTS.items()}


@VALUES.add("softmax", hint="normalise along the axis argument, not always the last one: max "
                            "and sum with axis=axis, keepdims=True")
def axis_0_3d(impl, device, dtype):
    """x (4, 5, 6) {dtype}, axis 0"""
    return softmax_probe(impl, device, dtype, shape=(4, 5, 6), axis=0, seed=22)


@VALUES.add("softmax",
            hint="a middle axis works the same way; keepdims=True makes the division broadcast")
def axis_1_noncontiguous(impl, device, dtype):
    """x transposed view (3, 4, 5) {dtype}, axis 1"""
    return softmax_probe(impl, device, dtype, shape=(3, 4, 5), axis=1, seed=23,
                         noncontiguous=True)


@VALUES.add("softmax", hint="a slice of length 1 is all ones; a batch of one row is one slice",
            contract="edges")
def batch_of_one(impl, device, dtype):
    """x (1, 9) {dtype} (a batch of one) and x (5, 1) {dtype} (slices of length 1)"""
    return {"row": softmax_probe(impl, device, dtype, shape=(1, 9), seed=24)["y"],
            "column": softmax_probe(impl, device, dtype, shape=(5, 1), seed=25)["y"]}


# ---- softmax's vector-Jacobian product ---------------------------------------------------------

VJP_HINT = ("dL/dx = s * (upstream - sum(upstream * s)) per slice along the axis, with "
            "s = softmax(x) and the sum keeping its dimension")


@FLOAT32.add("softmax_vjp", hint=f"{FLOAT32_HINT}; {VJP_HINT}", name="float32_large")
def softmax_vjp_float32_large(impl, device, dtype):
    """x and upstream (256, 50) {dtype}, axis -1"""
    return softmax_vjp_probe(impl, device, dtype, shape=(256, 50), seed=30)


# measured: no warning; 4.6e-8 abs (float32), 3.3e-16 abs (float64)
@FLOAT32.add("softmax_vjp", compare=no_warnings_and(F32_VALUES), hint=STABLE_HINT,
             contract="edges", name="extremes_no_overflow")
@VALUES.add("softmax_vjp", compare=no_warnings_and(VALUES_F64), hint=STABLE_HINT,
            contract="edges", name="extremes_no_overflow")
def softmax_vjp_extremes_no_overflow(impl, device, dtype):
    """x (4, 6) {dtype}: rows with +-1000, all 1000, all -1000"""
    x = extreme_rows(dtype)
    upstream = activation_input(x.shape, 31, dtype)
    dx, warned = floating_point_warnings(impl.softmax_vjp, x, upstream, axis=-1)
    return {"y": array_out(dx, "softmax_vjp", x), "warnings": warned}


@VALUES.add("softmax_vjp",
            hint="reduce along the axis argument (keepdims=True), whatever the memory layout")
def axis_0_noncontiguous(impl, device, dtype):
    """x and upstream transposed views (6, 4, 5) {dtype}, axis 0"""
    return softmax_vjp_probe(impl, device, dtype, shape=(6, 4, 5), axis=0, seed=32,
                             noncontiguous=True)


@VALUES.add("softmax_vjp", compare=Close(rtol=0.0, atol=1e-12),  # measured 1.2e-15
            hint="every slice of softmax sums to 1, so a constant upstream gradient gives "
                 "dL/dx = 0: the Jacobian is s_i * (delta_ij - s_j), not only its diagonal",
            contract="edges")
def constant_upstream(impl, device, dtype):
    """x (5, 7) {dtype}, upstream 2.5 everywhere"""
    return softmax_vjp_probe(impl, device, dtype, seed=33, upstream=2.5)


@VALUES.add("softmax_vjp", hint=f"a batch of one row is one slice; {VJP_HINT}",
            contract="edges", name="batch_of_one")
def softmax_vjp_batch_of_one(impl, device, dtype):
    """x and upstream (1, 9) {dtype}: a batch of one"""
    return softmax_vjp_probe(impl, device, dtype, shape=(1, 9), seed=34)



def _nothing_changed(got: dict, _want: None) -> None:
    """Each case's `changed_arguments` report: no argument modified, whether it returned or
    raised."""
    for label, report in got.items():
        require(report["changed"] == [], f"the call modified {report['changed']}", label)


@CHECKS.add("softmax_vjp", compare=_nothing_changed, variants=NUMPY_F64, contract="unchanged",
            hint="return a new array and leave x and upstream as they were: no upstream -= ..., "
                 "no out= into an argument (the caller may still need both)")
def leaves_inputs_unchanged(impl, device, dtype):
    """x and upstream (5, 7) {dtype}, axis -1, and transposed views (6, 4, 5), axis 0: both
    arguments after the call"""
    def vjp(axis):
        return lambda x, upstream: impl.softmax_vjp(x, upstream, axis=axis)

    cases = {"axis -1": ((5, 7), -1, False), "axis 0, views": ((6, 4, 5), 0, True)}
    return {label: changed_arguments(
        vjp(axis), x=rng_normal(shape, 35, dtype, 3.0, views),
        upstream=rng_normal(shape, 36, dtype, 1.0, views))
        for label, (shape, axis, views) in cases.items()}

# ---- dead ReLU units ----------------------------------------------------------------------------

DEAD = CHECKS.defaults(expect=TORCH, compare=FRACTION, variants=NUMPY_F64)


@DEAD.add("dead_relu_fraction", variants=NUMPY_F32, name="float32_large",
          hint="a unit is dead when all of its N pre-activations are <= 0: reduce over axis 0 "
               "with np.all, then average over the units")
def dead_relu_float32_large(impl, device, dtype):
    """pre-activations (4096, 256) {dtype}, units offset from -4 to 2"""
    return dead_relu_probe(impl, shifted_batch((4096, 256), 40, dtype))


@DEAD.add("dead_relu_fraction", contract="edges", name="batch_of_one",
          hint="with one sample a unit is dead exactly when its one pre-activation is <= 0")
def dead_relu_batch_of_one(impl, device, dtype):
    """pre-activations (1, 50) {dtype}: a batch of one"""
    return dead_relu_probe(impl, shifted_batch((1, 50), 41, dtype))


@DEAD.add("dead_relu_fraction",
          hint="relu'(0) = 0: a unit whose pre-activations are all exactly 0 passes no gradient "
               "and is dead (use <= 0, not < 0)", contract="edges")
def zeros_are_dead(impl, device, dtype):
    """pre-activations (5, 8) {dtype}: some units exactly 0 for every sample"""
    x = np.zeros((5, 8), dtype=dtype)
    x[:, :2] = -1.0
    x[2, 4:6] = 1e-3
    x[:, 7] = np.linspace(-2.0, 2.0, 5)
    return dead_relu_probe(impl, x)


@DEAD.add("dead_relu_fraction",
          hint="axis 0 is the batch; every other axis indexes units, so reduce over axis 0 "
               "only and average over all the rest")
def noncontiguous_conv_shaped(impl, device, dtype):
    """pre-activations (32, 4, 6) {dtype}, Fortran order: units are every axis but the first"""
    return dead_relu_probe(impl, shifted_batch((32, 4, 6), 42, dtype, noncontiguous=True))


@DEAD.add("dead_relu_fraction",
          hint="the fraction is 0.0 when some sample activates every unit and 1.0 when no "
               "sample activates any", contract="edges")
def all_alive_and_all_dead(impl, device, dtype):
    """a (6, 10) {dtype} batch with every unit alive, then one with every unit dead"""
    x = -np.abs(activation_input((6, 10), 43, dtype)) - 0.5
    alive = x.copy()
    alive[3] = 1.0
    return {"alive": dead_relu_probe(impl, alive)["fraction"],
            "dead": dead_relu_probe(impl, x)["fraction"]}


@CHECKS.add("dead_relu_fraction",
            compare=lambda got, _: require(got["errors"] == ["ValueError"] * 2,
                                           f"raised {got['errors']}", "errors"),
            hint="raise ValueError for an empty batch and for an array without unit axes",
            contract="errors")
def rejects_empty_batch(impl, device):
    """pre-activations of shape (0, 5) and (7,)"""
    empty, flat = np.zeros((0, 5)), np.ones(7)
    return {"errors": [raised(lambda: impl.dead_relu_fraction(empty)),
                       raised(lambda: impl.dead_relu_fraction(flat))]}


# float32 in, a Python float out all the same: the docstring promises "a Python float".
PYTHON_FLOAT_HINT = ("return a Python float, as the docstring says: float(np.mean(dead)) or "
                     "count / units; np.mean, .sum() / .size and np.float32 give NumPy scalars")


def _python_float_probe(impl, dtype):
    docstring_batch = np.array(DOCSTRING_BATCH, dtype=dtype)
    dead = -np.abs(activation_input((6, 10), 45, dtype)) - 0.5
    alive = dead.copy()
    alive[2] = 1.0
    batches = {"docstring batch": docstring_batch, "every unit dead": dead,
               "every unit alive": alive, "(N, C, L)": shifted_batch((9, 3, 4), 46, dtype)}
    return {label: type_names(impl.dead_relu_fraction(x)) for label, x in batches.items()}


@CHECKS.add("dead_relu_fraction", expect=REFERENCE, compare=EXACT, variants=NUMPY_F32,
            contract=("returns", "dtypes"), hint=PYTHON_FLOAT_HINT)
@CHECKS.add("dead_relu_fraction", expect=REFERENCE, compare=EXACT, variants=NUMPY_F64,
            contract="returns", hint=PYTHON_FLOAT_HINT)
def returns_a_python_float(impl, device, dtype):
    """the type of the result for {dtype} batches: the docstring's, every unit dead, every unit
    alive, (N, C, L)"""
    return _python_float_probe(impl, dtype)


def bad_shapes(dtype):
    """Arrays the docstring rejects: an empty batch (N = 0), and fewer than 2 dimensions."""
    return {"(0, 5)": np.zeros((0, 5), dtype=dtype), "(0, 3, 4)": np.zeros((0, 3, 4), dtype=dtype),
            "(7,)": np.linspace(-3.0, 3.0, 7).astype(dtype), "0-d": np.array(-2.0, dtype=dtype)}


def _all_value_errors(got: dict, _want: None) -> None:
    for label, error in got.items():
        require(error == "ValueError", f"raised {error}, expected ValueError", label)


@CHECKS.add("dead_relu_fraction", compare=_all_value_errors, variants=NUMPY_FLOATS,
            contract="errors",
            hint="raise ValueError (not an assert, not an IndexError) for every array with fewer "
                 "than 2 dimensions, 0-d included, and for an empty batch: test ndim before "
                 "reading shape[0]")
def rejects_bad_shapes(impl, device, dtype):
    """pre-activations {dtype} of shapes (0, 5), (0, 3, 4), (7,) and () (0-d)"""
    return {label: raised(lambda x=x: impl.dead_relu_fraction(x))
            for label, x in bad_shapes(dtype).items()}


@CHECKS.add("dead_relu_fraction", compare=_nothing_changed, variants=NUMPY_F64,
            contract="unchanged", name="leaves_input_unchanged",
            hint="read pre_activations, never write to it (no pre_activations[...] = 0 or "
                 "np.maximum(..., out=pre_activations)), also for the arrays you reject")
def dead_relu_leaves_input_unchanged(impl, device, dtype):
    """pre-activations (8, 3, 5) {dtype}, and the rejected shapes (0, 5), (0, 3, 4), (7,) and
    (): the argument after the call"""
    def count(pre_activations):
        return impl.dead_relu_fraction(pre_activations)

    batches = {"(8, 3, 5)": shifted_batch((8, 3, 5), 47, dtype), **bad_shapes(dtype)}
    return {label: changed_arguments(count, pre_activations=x) for label, x in batches.items()}
