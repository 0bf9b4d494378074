"""Hidden checks of topic 5-02 (perceptron_mlp): the step at a score of exactly 0, float32 and
non-contiguous inputs, exact error sequences (updates only on mistakes, the zero-error epoch
reported, the epoch budget), XOR over a long budget, the XOR network's margin, the initialisers'
gains (every name of the gain table), fan_out mode, float32 and large draws, use of the
generator, collapse and explosion with depth, parameter counts with tied weights, buffers and
frozen layers, the torch MLP's forward pass on CPU and CUDA, and every function with default
arguments called with them left out. The contract checks (tagged `contract=`, table CONTRACTS
below): exact return types (Python floats and ints, the XOR dict's keys), int64 labels and a
float64 w for float32 inputs, arguments left unchanged (also when the function raises), the
global random states left alone, and every documented ValueError.
Graded mode shows a student only each check's name, pass or fail, and its hint. Tolerances are
written next to each check with the error the reference measured.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from autograder.runtime.check import REFERENCE, CheckSet, ProbeError, literal
from autograder.runtime.compare import EXACT, Close, require
from autograder.runtime.probing import changed_arguments, raised, scalar, type_names
from autograder.runtime.variants import CPU_CUDA, NUMPY_F32, NUMPY_F64, TORCH_F32, TORCH_F64
from autograder.topics.perceptron_mlp.public import (
    INIT_HINTS,
    INITIALISERS,
    TORCH_INIT,
    TRUTH,
    corners,
    he_relu_init,
    init_out,
    init_probe,
    labels_out,
    learns_to_zero_errors,
    mlp_probe,
    never_separates,
    same_distribution,
    stds_probe,
    tiny_init,
    train_out,
    truth_table,
    unit_init,
    xavier_tanh_init,
    xor_probe,
)

CHECKS = CheckSet("perceptron_mlp", "hidden")
# Most checks compare with the reference exactly (integers, labels, types, counts).
EXACT_REFERENCE = CHECKS.defaults(expect=REFERENCE, compare=EXACT)
# layer_stds against the reference, float64: the same products in the same order.
STDS_F64 = Close(rtol=1e-9, atol=1e-12)  # measured 0 (identical operations)
STDS = CHECKS.defaults(expect=REFERENCE, compare=STDS_F64)
# build_mlp's forward pass: float64 against the reference, and float32 (CPU or CUDA) against it.
FORWARD_F64 = Close(rtol=1e-10, atol=1e-12)  # measured 0 on CPU
FORWARD_F32 = Close(rtol=1e-4, atol=1e-5)  # measured 8.9e-7 abs on CPU (CUDA not measured)

# The topic's own edge cases, each named in at least one hidden check (beside the pack's:
# float32, float64, large, noncontiguous, batch_of_one; tests/test_pack_rules.py).
EDGE_CASES = ("score_zero", "xor_never_separable", "uses_the_generator", "collapses", "explodes",
              "tied_weights", "no_output_activation")

# The contract kinds each graded function's docstring states (autograder/contracts.py).
CONTRACTS = {
    "perceptron_predict": ("returns", "dtypes", "unchanged", "edges"),
    "perceptron_train": ("returns", "dtypes", "unchanged", "edges"),
    "xor_weights": ("returns", "dtypes", "keys"),
    "xavier_uniform": ("returns", "dtypes", "generator"),
    "xavier_normal": ("returns", "dtypes", "generator"),
    "he_uniform": ("returns", "dtypes", "errors", "generator"),
    "he_normal": ("returns", "dtypes", "errors", "generator"),
    "layer_stds": ("returns", "unchanged", "errors", "generator"),
    "count_parameters": ("returns", "unchanged", "edges"),
    "count_module_parameters": ("returns", "unchanged"),
    "build_mlp": ("returns", "unchanged", "errors"),
}
NOT_APPLICABLE = {
    "layer_stds": {
        "dtypes": 'no array comes back ("Returns: A list of L Python floats.", whose exact types '
                  'the returns check tests) and x has one documented dtype, "x: (N, widths[0]) '
                  'float64 batch."',
    },
}


def numpy_global_state() -> dict:
    """np.random's global state, to see whether a call drew from it or re-seeded it."""
    return np.random.get_state(legacy=False)


def same_numpy_state(before: dict, after: dict) -> bool:
    return bool(before["state"]["pos"] == after["state"]["pos"]
                and np.array_equal(before["state"]["key"], after["state"]["key"])
                and before["has_gauss"] == after["has_gauss"]
                and before["gauss"] == after["gauss"])


def global_states_kept(call) -> dict:
    """Call `call()` and say whether np.random's and torch's global random states are as they
    were (no draw from them, no seed)."""
    numpy_before, torch_before = numpy_global_state(), torch.random.get_rng_state()
    call()
    return {"numpy_global_untouched": same_numpy_state(numpy_before, numpy_global_state()),
            "torch_global_untouched": bool(torch.equal(torch_before,
                                                       torch.random.get_rng_state()))}


# ---- perceptron_predict -----------------------------------------------------------------------

@EXACT_REFERENCE.add("perceptron_predict", contract=("returns", "edges"),
                     hint="the step is 0 at 0: a score of exactly 0 predicts 0, "
                          "so use > 0, not >= 0")
def score_zero_predicts_zero(impl, device):
    """w = 0, b = 0 on x (6, 3): every score is exactly 0"""
    x = np.random.default_rng(600).standard_normal((6, 3))
    return labels_out(impl.perceptron_predict(x, np.zeros(3), 0.0), "perceptron_predict")


@EXACT_REFERENCE.add("perceptron_predict",
                     hint="work on any memory layout and float dtype; return one int label per row")
def float32_noncontiguous(impl, device):
    """x transposed view (40, 4) float32, float32 w, b = -0.25"""
    x = np.round(np.random.default_rng(601).standard_normal((4, 40)), 1).astype(np.float32).T
    w = np.array([0.5, -1.0, 0.25, 2.0], dtype=np.float32)
    return labels_out(impl.perceptron_predict(x, w, -0.25), "perceptron_predict")


def predict_inputs(dtype) -> tuple[np.ndarray, np.ndarray]:
    x = np.round(np.random.default_rng(602).standard_normal((12, 3)), 1).astype(dtype)
    return x, np.array([0.5, -1.0, 2.0], dtype=dtype)


@CHECKS.add("perceptron_predict",
            expect=literal({"float64": "int64", "float32": "int64"}, "the docstring"),
            compare=EXACT, contract="dtypes", weight=0.5,
            hint="the labels are an int64 array whatever the float dtype of x and w, e.g. "
                 "(score > 0).astype(np.int64)")
def int64_labels_any_float_dtype(impl, device):
    """x (12, 3) and w in float64, then in float32, b = 0.1: the labels' dtype"""
    dtypes = {}
    for dtype in (np.float64, np.float32):
        labels = impl.perceptron_predict(*predict_inputs(dtype), 0.1)
        if not isinstance(labels, np.ndarray):
            raise ProbeError(f"perceptron_predict returned {type(labels).__name__}, expected a "
                             "NumPy array")
        dtypes[np.dtype(dtype).name] = labels.dtype.name
    return dtypes


@CHECKS.add("perceptron_predict",
            expect=literal({"float64": [], "float32": []}, "the docstring"),
            compare=EXACT, contract="unchanged", weight=0.5,
            hint="compute the scores into a new array; never write into x or w")
def inputs_unchanged(impl, device):
    """x (12, 3) and w in float64, then in float32: x and w after the call"""
    return {np.dtype(dtype).name: changed_arguments(
        lambda x, w: impl.perceptron_predict(x, w, 0.1), x=x, w=w)["changed"]
        for dtype in (np.float64, np.float32) for x, w in [predict_inputs(dtype)]}


# ---- perceptron_train ---------------------------------------------------------------------------

def separable_data(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Integer inputs (exact arithmetic with lr 1) labelled by a fixed hyperplane; the array is a
    transposed (non-contiguous) view."""
    x = np.random.default_rng(seed).integers(-3, 4, size=(3, n)).astype(np.float64).T
    y = (x @ np.array([2.0, -1.0, 1.0]) + 0.5 > 0).astype(np.int64)
    return x, y


@EXACT_REFERENCE.add("perceptron_train",  # integer arithmetic: exact
                     hint="visit the samples in the given order; update only on a mistake; record "
                          "every epoch's mistakes, the final epoch's 0 included")
def noncontiguous_separable(impl, device):
    """40 integer samples in 3-D (transposed view), separable, lr 1, epochs 200"""
    x, y = separable_data(40, 610)
    return train_out(impl.perceptron_train(x, y, epochs=200, lr=1.0), x)


@EXACT_REFERENCE.add("perceptron_train",  # multiples of 1/4: exact
                     hint="a correctly classified sample changes nothing: the update is "
                          "lr * (y - y_hat) * x, which is 0 when y_hat == y")
def updates_only_on_mistakes(impl, device):
    """AND on the 4 corners, lr 0.25"""
    x = corners()
    return train_out(impl.perceptron_train(x, np.array(TRUTH["AND"]), epochs=100, lr=0.25), x)


@EXACT_REFERENCE.add("perceptron_train",
                     hint="never run more epochs than the budget; "
                          "errors has one entry per epoch run")
def epoch_budget(impl, device):
    """40 separable integer samples, epochs 2 (too few to converge)"""
    x, y = separable_data(40, 610)
    return train_out(impl.perceptron_train(x, y, epochs=2, lr=1.0), x)


@CHECKS.add("perceptron_train", expect=literal({"epochs": 1000}, "the epoch budget"),
            compare=never_separates,
            hint="XOR is not linearly separable: no epoch is free of mistakes, however long you "
                 "train")
def xor_never_separable_large_budget(impl, device):
    """XOR on the 4 corners, lr 0.1, epochs 1000"""
    x = corners()
    return train_out(impl.perceptron_train(x, np.array(TRUTH["XOR"]), epochs=1000, lr=0.1), x)


@EXACT_REFERENCE.add("perceptron_train",
                     hint="count each epoch's mistakes when the samples are visited (the number of "
                          "updates), one entry per epoch")
def xor_error_sequence(impl, device):
    """XOR on the 4 corners, lr 1, epochs 12: the errors per epoch"""
    x = corners()
    return train_out(impl.perceptron_train(x, np.array(TRUTH["XOR"]), epochs=12, lr=1.0), x)


@CHECKS.add("perceptron_train", expect=literal({"targets": [int(v) for v in
                                                          (np.arange(8) % 2)]}, "the targets"),
            compare=learns_to_zero_errors,
            hint="a separable problem ends with an epoch of 0 errors for any positive lr")
def small_lr_batch_of_one_steps(impl, device):
    """8 samples in 1-D plus a constant feature, batch_of_one-sized steps, lr 0.01"""
    x = np.stack([np.where(np.arange(8) % 2 == 1, 1.0, -1.0) * (1 + np.arange(8) / 8),
                  np.ones(8)], axis=1)
    return train_out(impl.perceptron_train(x, np.arange(8) % 2, epochs=500, lr=0.01), x)


@CHECKS.add("perceptron_train",
            expect=literal({"and": {"w": [2.0, 1.0], "b": -2.0, "errors": [1, 3, 3, 2, 1, 0],
                                    "predictions": [0, 0, 0, 1]},
                            "xor_entries": 100, "xor_all_at_least_one": True},
                           "the docstring's example and the signature's defaults"),
            compare=EXACT,  # small integers: exact in floating point
            hint="the defaults are those of the signature, epochs 100 and lr 1.0: the "
                 "docstring's AND example again, and one entry per epoch of the default budget "
                 "on XOR")
def documented_defaults(impl, device):
    """AND and XOR on the 4 corners, epochs and lr left at their defaults"""
    x = corners()
    learned = train_out(impl.perceptron_train(x, np.array(TRUTH["AND"])), x)
    errors = train_out(impl.perceptron_train(x, np.array(TRUTH["XOR"])), x)["errors"]
    return {"and": learned, "xor_entries": len(errors),
            "xor_all_at_least_one": all(e >= 1 for e in errors)}


def train_types(result: object) -> dict:
    """The exact types of (w, b, errors), w's dtype, and the set of the errors' item types (so
    that this check judges the types only, not the number of epochs)."""
    if not (type(result) is tuple and len(result) == 3):
        return {"result": type_names(result)}
    w, b, errors = result
    items = sorted({type(e).__name__ for e in errors}) if isinstance(errors, list) else []
    return {"result": "tuple", "w": type_names(w), "b": type_names(b),
            "errors": type(errors).__name__, "error_items": items,
            "w_dtype": w.dtype.name if isinstance(w, np.ndarray) else None}


@EXACT_REFERENCE.add("perceptron_train", contract=("returns", "dtypes"), weight=0.5,
                     hint="return the tuple (w, b, errors): w a float64 array (also for float32 "
                          "x), b a Python float (float(b), not a NumPy scalar), "
                          "errors a list of Python ints")
def exact_types(impl, device):
    """AND on the 4 corners in float64, then in float32, lr 1: the exact types of w, b and the
    entries of errors, and w's dtype"""
    return {np.dtype(dtype).name: train_types(
        impl.perceptron_train(corners(dtype), np.array(TRUTH["AND"]), epochs=100, lr=1.0))
        for dtype in (np.float64, np.float32)}


@CHECKS.add("perceptron_train",
            expect=literal({"xor float64": [], "separable float32": []}, "the docstring"),
            compare=EXACT, contract="unchanged", weight=0.5, name="inputs_unchanged",
            hint="leave x and y as they were: keep the targets in {0, 1} and update only your "
                 "own w and b, never x[n] or y in place")
def train_inputs_unchanged(impl, device):
    """XOR on the 4 corners (float64) and 40 separable samples (float32 view), epochs 10: x and y
    after the call"""
    separable_x, separable_y = separable_data(40, 611)
    cases = {"xor float64": (corners(), np.array(TRUTH["XOR"])),
             "separable float32": (separable_x.astype(np.float32).T.copy().T, separable_y)}
    return {label: changed_arguments(lambda x, y: impl.perceptron_train(x, y, 10, 1.0),
                                     x=x, y=y)["changed"] for label, (x, y) in cases.items()}


@EXACT_REFERENCE.add("perceptron_train", contract="edges",
                     hint="an epoch without mistakes ends training and its 0 is reported, the very "
                          "first epoch included; epochs = 1 runs exactly one epoch")
def edge_cases(impl, device):
    """10 samples all labelled 0 (the first epoch has no mistake), and XOR with epochs 1"""
    x, _ = separable_data(10, 612)
    return {"first_epoch_clean": train_out(
                impl.perceptron_train(x, np.zeros(10, dtype=np.int64), epochs=5, lr=1.0), x),
            "one_epoch": train_out(
                impl.perceptron_train(corners(), np.array(TRUTH["XOR"]), epochs=1, lr=1.0),
                corners())}


# ---- xor_weights --------------------------------------------------------------------------------

def truth_table_and_margin(got: dict, want: None) -> None:
    truth_table(got, want)
    require(got["margin"] >= 0.25, f"the smallest |pre-activation| at the four inputs is "
                                   f"{got['margin']:.3g}, below the required 0.25", "margin")


@CHECKS.add("xor_weights", compare=truth_table_and_margin,
            hint="keep every unit's score at least 0.25 away from its threshold, e.g. biases "
                 "halfway between the integer sums")
def truth_table_with_margin(impl, device):
    """the four inputs; every pre-activation at least 0.25 from 0"""
    return xor_probe(impl)


def float64_entries(got: dict, want: None) -> None:
    require(got["dtypes"] == ["float64"] * 3, f"W1, b1, w2 have dtypes {got['dtypes']}, "
                                              "expected float64 arrays", "dtypes")
    require(got["b2_is_float"], "b2 must be a Python float", "b2")


@CHECKS.add("xor_weights", compare=float64_entries, contract="dtypes",
            hint="W1, b1 and w2 as float64 NumPy arrays, b2 as a Python float")
def float64_arrays(impl, device):
    """the types of W1, b1, w2 and b2"""
    weights = impl.xor_weights()
    return {"dtypes": [str(np.asarray(weights[k]).dtype) for k in ("W1", "b1", "w2")],
            "b2_is_float": isinstance(weights["b2"], float)}


@EXACT_REFERENCE.add("xor_weights", contract=("returns", "keys"), weight=0.5,
                     hint='return a dict with exactly the keys "W1", "b1", "w2" and "b2": three '
                          'NumPy arrays and b2 a Python float (not a NumPy scalar or a 0-d array)')
def exact_keys_and_types(impl, device):
    """the returned dict's keys and the exact type of each entry"""
    return {"types": type_names(impl.xor_weights())}


# ---- initialisers -------------------------------------------------------------------------------
def generator_discipline(got: dict, want: None) -> None:
    require(got["same_seed_equal"], "two generators with the same seed gave different weights",
            "w")
    require(got["other_seed_differs"], "generators with different seeds gave the same weights",
            "w")


# An initialiser's draw against torch.nn.init's, by a Kolmogorov-Smirnov test.
LIKE_TORCH_INIT = CHECKS.defaults(expect=TORCH_INIT, compare=same_distribution)
HE = ("he_uniform", "he_normal")

@LIKE_TORCH_INIT.add(INITIALISERS, variants=NUMPY_F32, contract=("returns", "dtypes"),
                     hint=lambda function: f"return the dtype asked for; {INIT_HINTS[function]}")
def float32_large(impl, device, dtype, function):
    """fan_in 512, fan_out 128 (65536 weights), {dtype}; Kolmogorov-Smirnov against
    torch.nn.init, false-failure rate 1e-6"""
    return init_probe(impl, function, 512, 128, 700, dtype, {})


@CHECKS.add(INITIALISERS, compare=generator_discipline, contract="generator",
            hint="draw every weight from the rng you are given (rng.uniform / rng.normal), "
                 "never from np.random's global state")
def uses_the_generator(impl, device, function):
    """two draws from default_rng(7), one from default_rng(8), fan_in 30, fan_out 20"""
    first = init_probe(impl, function, 30, 20, 7, np.float64, {})["w"]["values"]
    again = init_probe(impl, function, 30, 20, 7, np.float64, {})["w"]["values"]
    other = init_probe(impl, function, 30, 20, 8, np.float64, {})["w"]["values"]
    return {"same_seed_equal": bool(np.array_equal(first, again)),
            "other_seed_differs": not bool(np.array_equal(first, other))}


# gain = torch.nn.init.calculate_gain("tanh") = 5/3, passed explicitly as torch's users do.
@LIKE_TORCH_INIT.add(("xavier_uniform", "xavier_normal"), variants=NUMPY_F64,
                     hint="both fans enter: fan_in + fan_out; "
                          "and multiply by the gain you are given")
def tanh_gain(impl, device, dtype, function):
    """fan_in 100, fan_out 300, gain 5/3 (calculate_gain('tanh')), {dtype};
    Kolmogorov-Smirnov against torch.nn.init, false-failure rate 1e-6"""
    return init_probe(impl, function, 100, 300, 710, dtype, {"gain": 5.0 / 3.0})


@LIKE_TORCH_INIT.add(HE, variants=NUMPY_F64,
                     hint="gain sqrt(2 / (1 + negative_slope^2)) for leaky_relu, and mode "
                          "'fan_out' divides by sqrt(fan_out)")
def leaky_relu_fan_out(impl, device, dtype, function):
    """fan_in 128, fan_out 512, leaky_relu slope 0.5, mode fan_out, {dtype};
    Kolmogorov-Smirnov against torch.nn.init, false-failure rate 1e-6"""
    return init_probe(impl, function, 128, 512, 720, dtype,
                      {"nonlinearity": "leaky_relu", "negative_slope": 0.5, "mode": "fan_out"})


@LIKE_TORCH_INIT.add(HE, variants=NUMPY_F64, name="tanh_gain",
                     hint="calculate_gain('tanh') is 5/3; pick the gain from a dict by name")
def he_tanh_gain(impl, device, dtype, function):
    """fan_in 200, fan_out 300, tanh, {dtype}; Kolmogorov-Smirnov against torch.nn.init,
    false-failure rate 1e-6"""
    return init_probe(impl, function, 200, 300, 730, dtype, {"nonlinearity": "tanh"})


def default_probe(impl, name: str, fan_in: int, fan_out: int, seed: int) -> dict:
    """One draw with every documented default left out (dtype included: float64)."""
    functions = {"xavier_uniform": impl.xavier_uniform, "xavier_normal": impl.xavier_normal,
                 "he_uniform": impl.he_uniform, "he_normal": impl.he_normal}
    value = functions[name](fan_in, fan_out, np.random.default_rng(seed))
    return {"w": init_out(value, name, np.float64)}


@LIKE_TORCH_INIT.add(INITIALISERS, contract="dtypes", name="documented_defaults",
                     hint=lambda function: "the defaults are those of the signature (a float64 "
                                           "result; gain 1, or relu, slope 0 and mode "
                                           f"'fan_in'); {INIT_HINTS[function]}")
def initialiser_documented_defaults(impl, device, function):
    """fan_in 96, fan_out 160, called as (fan_in, fan_out, rng) with every other argument
    left at its default; Kolmogorov-Smirnov against torch.nn.init, false-failure rate 1e-6"""
    return default_probe(impl, function, 96, 160, 740)


# Every name of the docstring's gain table; negative_slope and mode left at their defaults (so
# leaky_relu's gain is sqrt(2 / (1 + 0^2)) = sqrt(2), torch's a = 0).
GAIN_VARIANTS = {g: {"nonlinearity": g} for g in ("linear", "sigmoid", "leaky_relu")}


@LIKE_TORCH_INIT.add(HE, variants=GAIN_VARIANTS,
                     hint="the gain table: 1 for linear and sigmoid, 5/3 for tanh, sqrt(2) for "
                          "relu, sqrt(2 / (1 + negative_slope^2)) for leaky_relu with "
                          "negative_slope's default 0")
def gain_by_name(impl, device, nonlinearity, function):
    """fan_in 150, fan_out 250, nonlinearity '{nonlinearity}', negative_slope and mode left
    at their defaults, float64; Kolmogorov-Smirnov against torch.nn.init, false-failure rate
    1e-6"""
    return init_probe(impl, function, 150, 250, 750, np.float64,
                      {"nonlinearity": nonlinearity})


GENERATOR_KEPT = {"drew_from_rng": True, "numpy_global_untouched": True,
                  "torch_global_untouched": True}


@CHECKS.add(INITIALISERS, expect=literal(GENERATOR_KEPT, "the docstring"), compare=EXACT,
            contract="generator", weight=0.5,
            hint="draw from the rng you are given and nothing else: never np.random.seed, "
                 "np.random.rand/normal/uniform or torch's random functions")
def leaves_global_state_alone(impl, device, function):
    """fan_in 40, fan_out 30, rng = default_rng(760): the given generator's state and the
    global random states of NumPy and torch after the call"""
    functions = {"xavier_uniform": impl.xavier_uniform, "xavier_normal": impl.xavier_normal,
                 "he_uniform": impl.he_uniform, "he_normal": impl.he_normal}
    rng = np.random.default_rng(760)
    before = rng.bit_generator.state
    kept = global_states_kept(lambda: functions[function](40, 30, rng))
    return {"drew_from_rng": rng.bit_generator.state != before, **kept}


# Names the docstring rejects (and torch.nn.init rejects too), each in both result dtypes.
BAD_HE_ARGUMENTS = {"nonlinearity gelu": {"nonlinearity": "gelu"},
                    "leaky_relu, mode fan_avg": {"nonlinearity": "leaky_relu",
                                                 "negative_slope": 0.2, "mode": "fan_avg"},
                    "linear, mode fan_avg": {"nonlinearity": "linear", "mode": "fan_avg"}}


@CHECKS.add(HE, expect=literal({dtype: {label: "ValueError" for label in BAD_HE_ARGUMENTS}
                                for dtype in ("float64", "float32")}, "the docstring"),
            compare=EXACT, contract="errors", weight=0.5,
            hint="raise ValueError for a nonlinearity outside the gain table and for a mode "
                 "other than 'fan_in' or 'fan_out', whatever the other arguments")
def rejects_unknown_names(impl, device, function):
    """nonlinearity 'gelu', and mode 'fan_avg' with leaky_relu and with linear, each for
    dtype float64 and float32"""
    draw = {"he_uniform": impl.he_uniform, "he_normal": impl.he_normal}[function]
    return {np.dtype(dtype).name: {
        label: raised(lambda kwargs=kwargs, dtype=dtype: draw(
            20, 10, np.random.default_rng(770), dtype=dtype, **kwargs))
        for label, kwargs in BAD_HE_ARGUMENTS.items()} for dtype in (np.float64, np.float32)}


# ---- layer_stds ---------------------------------------------------------------------------------

@STDS.add("layer_stds",
            hint="one init call per layer in layer order, with the rng you are given; "
                 "h = act(h @ W.T); np.std (ddof 0) after the activation")
def float64_tanh_xavier(impl, device):
    """x (256, 64), widths [64, 128, 128, 32], tanh, Xavier uniform (gain 5/3)"""
    return stds_probe(impl, [64, 128, 128, 32], "tanh", xavier_tanh_init, 800)


@STDS.add("layer_stds",
            hint="the std of all entries of each layer's activations h_l, one per layer")
def large_he_relu(impl, device):
    """x (2048, 512), widths [512] * 4, relu, He normal"""
    return stds_probe(impl, [512] * 4, "relu", he_relu_init, 810, n=2048)


@STDS.add("layer_stds",
            hint="a batch of one sample is fine: the std runs over all entries of h")
def batch_of_one_linear(impl, device):
    """x (1, 32), widths [32, 16, 8], linear, weights N(0, 1)"""
    return stds_probe(impl, [32, 16, 8], "linear", unit_init, 820, n=1)


def collapses(got: dict, want: None) -> None:
    stds = np.array(got["stds"])
    require(stds.size == 10, f"{stds.size} stds, expected 10", "stds")
    require(bool(np.all(np.diff(stds) < 0)) and stds[-1] < 1e-6 * got["input_std"],
            f"the std goes from {stds[0]:.3g} to {stds[-1]:.3g}: a too-small init must shrink "
            "it layer after layer (below 1e-6 of the input's after 10 tanh layers)", "stds")


def explodes(got: dict, want: None) -> None:
    stds = np.array(got["stds"])
    require(stds.size == 8, f"{stds.size} stds, expected 8", "stds")
    require(bool(np.all(np.diff(stds) > 0)) and stds[-1] > 1e6 * got["input_std"],
            f"the std goes from {stds[0]:.3g} to {stds[-1]:.3g}: N(0, 1) weights in layers of "
            "width 256 must blow it up layer after layer (above 1e6 times the input's after 8 "
            "relu layers)", "stds")


@CHECKS.add("layer_stds", compare=collapses,
            hint="each layer multiplies the scale by about 0.01 * sqrt(fan_in) < 1")
def tiny_init_collapses(impl, device):
    """x (256, 256), widths [256] * 11, tanh, weights N(0, 0.01^2)"""
    return stds_probe(impl, [256] * 11, "tanh", tiny_init, 830)


@CHECKS.add("layer_stds", compare=explodes,
            hint="each layer multiplies the scale by about sqrt(fan_in / 2) > 1")
def unit_init_explodes(impl, device):
    """x (256, 256), widths [256] * 9, relu, weights N(0, 1)"""
    return stds_probe(impl, [256] * 9, "relu", unit_init, 840)


@CHECKS.add("layer_stds", expect=literal({"error": "ValueError"}, "the docstring"),
            compare=EXACT, contract="errors",
            hint="raise ValueError for an activation name outside relu, tanh, linear")
def rejects_unknown_activation(impl, device):
    """activation 'softplus'"""
    x = np.ones((2, 3))
    return {"error": raised(lambda: impl.layer_stds(x, [3, 2], "softplus", unit_init,
                                                    np.random.default_rng(0)))}


@EXACT_REFERENCE.add("layer_stds", contract="returns", weight=0.5,
                     hint="return a list of Python floats: float(np.std(h)), not the NumPy scalar "
                          "np.std returns")
def python_floats(impl, device):
    """x (64, 16), widths [16, 12, 8, 4], relu, He normal: the exact types returned"""
    x = np.random.default_rng(860).standard_normal((64, 16))
    return {"types": type_names(impl.layer_stds(x, [16, 12, 8, 4], "relu", he_relu_init,
                                                np.random.default_rng(861)))}


@CHECKS.add("layer_stds",
            expect=literal({"after_a_call": [], "after_it_raises": []}, "the docstring"),
            compare=EXACT, contract="unchanged", weight=0.5, name="inputs_unchanged",
            hint="read widths without popping or appending, and compute every h as a new array; "
                 "x and widths must be as they were, also when you raise")
def layer_stds_inputs_unchanged(impl, device):
    """x (32, 10) and widths [10, 8, 6, 4], relu, then activation 'softplus' (which raises): x
    and widths after each call"""
    def call(activation):
        rng = np.random.default_rng(871)
        return lambda x, widths: impl.layer_stds(x, widths, activation, he_relu_init, rng)

    def fresh():
        return {"x": np.random.default_rng(870).standard_normal((32, 10)),
                "widths": [10, 8, 6, 4]}

    return {"after_a_call": changed_arguments(call("relu"), **fresh())["changed"],
            "after_it_raises": changed_arguments(call("softplus"), **fresh())["changed"]}


@EXACT_REFERENCE.add("layer_stds", contract="generator", weight=0.5,
                     hint="call init(widths[l-1], widths[l], rng) once per layer in layer order, "
                          "always with the rng you are given, and draw nothing else")
def init_calls_use_the_generator(impl, device):
    """widths [10, 8, 6, 4], tanh, a recording init: its calls (fan_in, fan_out, the given rng or
    not) and np.random's and torch's global states"""
    x = np.random.default_rng(880).standard_normal((16, 10))
    given = np.random.default_rng(881)
    calls = []

    def init(fan_in, fan_out, rng):
        calls.append([int(fan_in), int(fan_out), rng is given])
        return rng.normal(0.0, np.sqrt(1.0 / fan_in), size=(int(fan_out), int(fan_in)))

    kept = global_states_kept(lambda: impl.layer_stds(x, [10, 8, 6, 4], "tanh", init, given))
    return {"calls": calls, **kept}


# ---- count_parameters ---------------------------------------------------------------------------

@EXACT_REFERENCE.add("count_parameters",
                     hint="sum fan_in * fan_out + fan_out over consecutive pairs of widths; Python "
                          "ints do not overflow")
def large_widths(impl, device):
    """widths [4096, 4096, 4096, 1000]"""
    return {"count": scalar(impl.count_parameters([4096, 4096, 4096, 1000]), "count")}


@EXACT_REFERENCE.add("count_parameters", contract="edges",
                     hint="one width means no layer and 0 parameters; every layer has its biases")
def few_layers(impl, device):
    """widths [10] (no layer), [10, 3] (one layer), [5, 1, 5]"""
    return {"counts": [scalar(impl.count_parameters(w), "count")
                       for w in ([10], [10, 3], [5, 1, 5])]}


@EXACT_REFERENCE.add("count_parameters", contract=("returns", "unchanged"), weight=0.5,
                     hint="return a Python int (int(...) around a NumPy sum), also 0 for a single "
                          "width, and leave widths as it was")
def python_int_widths_unchanged(impl, device):
    """widths [784, 256, 128, 10], [10] and [3, 1]: the type of each count, and widths after each
    call"""
    cases = ([784, 256, 128, 10], [10], [3, 1])
    return {"types": [type_names(impl.count_parameters(list(w))) for w in cases],
            "changed": [changed_arguments(lambda widths: impl.count_parameters(widths),
                                          widths=list(w))["changed"] for w in cases]}


# ---- count_module_parameters --------------------------------------------------------------------

def tied_model() -> nn.Module:
    """Linear(6, 6) used twice (its parameters shared), a BatchNorm1d with its buffers, and a
    Linear(6, 2) without bias."""
    shared = nn.Linear(6, 6)
    return nn.Sequential(shared, nn.BatchNorm1d(6), nn.ReLU(), shared, nn.Linear(6, 2,
                                                                                bias=False))


@EXACT_REFERENCE.add("count_module_parameters",
                     hint="module.parameters() lists a shared parameter once; buffers (running "
                          "statistics) are not parameters, so do not count state_dict() entries")
def tied_weights_and_buffers(impl, device):
    """Sequential(Linear(6, 6) used twice, BatchNorm1d(6), ReLU, Linear(6, 2, bias=False))"""
    return {"count": scalar(impl.count_module_parameters(tied_model()), "count")}


@EXACT_REFERENCE.add("count_module_parameters",
                     hint="trainable_only counts only parameters with requires_grad = True")
def large_frozen_layer(impl, device):
    """Linear(4096, 4096) frozen, then Linear(4096, 10); all and trainable_only"""
    model = nn.Sequential(nn.Linear(4096, 4096), nn.Linear(4096, 10))
    model[0].requires_grad_(False)
    return {"all": scalar(impl.count_module_parameters(model), "count"),
            "trainable": scalar(impl.count_module_parameters(model, trainable_only=True),
                                "count")}


@EXACT_REFERENCE.add("count_module_parameters", contract=("returns", "unchanged"), weight=0.5,
                     hint="return a Python int and only read the module: no change to its "
                          "parameters, buffers, requires_grad flags or train/eval mode")
def python_int_module_unchanged(impl, device):
    """the tied model (train mode) and the same with a frozen last layer (eval mode),
    trainable_only False and True: the count's type, and the module after the call"""
    def model(frozen: bool) -> nn.Module:
        module = tied_model()
        if frozen:
            module[4].requires_grad_(False)
            module.eval()
        return module

    def count(module, trainable_only):
        return impl.count_module_parameters(module, trainable_only=trainable_only)

    out = {"types": [], "changed": [], "requires_grad_kept": []}
    for frozen in (False, True):
        for trainable_only in (False, True):
            out["types"].append(type_names(count(model(frozen), trainable_only)))
            module = model(frozen)
            flags = [p.requires_grad for p in module.parameters()]
            out["changed"].append(changed_arguments(count, module=module,
                                                    trainable_only=trainable_only)["changed"])
            out["requires_grad_kept"].append(
                [p.requires_grad for p in module.parameters()] == flags)
    return out


# ---- build_mlp ----------------------------------------------------------------------------------

@CHECKS.add("build_mlp", expect=REFERENCE, compare=FORWARD_F64, variants=TORCH_F64,
            contract="returns",
            hint="Linear, activation, ..., Linear: the output layer has no activation")
def forward_tanh(impl, device, dtype):
    """widths [20, 32, 16, 5], tanh, seeded weights, x (64, 20) {dtype}"""
    return mlp_probe(impl, [20, 32, 16, 5], "tanh", device, dtype, 64, 900)


@CHECKS.add("build_mlp", expect=REFERENCE, compare=FORWARD_F32, variants=TORCH_F32,
            devices=CPU_CUDA,
            hint="the model must work after .to(device, dtype): build it from nn modules only")
def forward_relu(impl, device, dtype):
    """widths [784, 128, 64, 10], relu, seeded weights, x (32, 784) {dtype} on {device}"""
    return mlp_probe(impl, [784, 128, 64, 10], "relu", device, dtype, 32, 910)


@CHECKS.add("build_mlp", expect=REFERENCE, compare=FORWARD_F64, variants=TORCH_F64,
            hint="a single layer is one Linear and no activation: the output gives logits")
def no_output_activation_batch_of_one(impl, device, dtype):
    """widths [12, 4], gelu (one layer), x (1, 12) {dtype}"""
    return mlp_probe(impl, [12, 4], "gelu", device, dtype, 1, 920)


@EXACT_REFERENCE.add("build_mlp",
                     hint="pick the activation class from a dict by name and create a new module "
                          "for every hidden layer")
def activation_types(impl, device):
    """widths [6, 5, 4, 3] with each of relu, tanh, sigmoid, gelu, leaky_relu"""
    types = []
    for activation in ("relu", "tanh", "sigmoid", "gelu", "leaky_relu"):
        types.append([type(m).__name__ for m in impl.build_mlp([6, 5, 4, 3], activation)])
    return {"types": types}


@CHECKS.add("build_mlp",
            expect=literal({"types": ["Linear", "ReLU", "Linear", "ReLU", "Linear"]},
                           "the signature's default"),
            compare=EXACT,
            hint="the default activation is the signature's, relu")
def default_activation(impl, device):
    """widths [6, 5, 4, 3], activation left at its default"""
    return {"types": [type(m).__name__ for m in impl.build_mlp([6, 5, 4, 3])]}


@CHECKS.add("build_mlp", expect=literal({"error": "ValueError"}, "the docstring"),
            compare=EXACT, contract="errors", name="rejects_unknown_activation",
            hint="raise ValueError for an activation name the docstring does not list")
def build_mlp_rejects_unknown_activation(impl, device):
    """activation 'swish'"""
    return {"error": raised(lambda: impl.build_mlp([4, 3, 2], "swish"))}


@CHECKS.add("build_mlp",
            expect=literal({"one layer": "ValueError", "two layers": "ValueError"},
                           "the docstring"),
            compare=EXACT, contract="errors", weight=0.5,
            hint="check the activation name up front: ValueError for a name outside the list "
                 "even when no hidden layer needs an activation")
def rejects_unknown_activation_any_depth(impl, device):
    """activation 'swish' with widths [4, 2] (no hidden layer) and [4, 3, 2]"""
    return {"one layer": raised(lambda: impl.build_mlp([4, 2], "swish")),
            "two layers": raised(lambda: impl.build_mlp([4, 3, 2], "swish"))}


@CHECKS.add("build_mlp",
            expect=literal({"after_a_call": [], "after_it_raises": []}, "the docstring"),
            compare=EXACT, contract="unchanged", weight=0.5,
            hint="read widths without popping, appending or sorting it, also when you raise")
def widths_unchanged(impl, device):
    """widths [6, 5, 4, 3], tanh, then activation 'swish' (which raises): widths after each call"""
    def call(widths, activation):
        return impl.build_mlp(widths, activation)

    return {"after_a_call": changed_arguments(call, widths=[6, 5, 4, 3],
                                              activation="tanh")["changed"],
            "after_it_raises": changed_arguments(call, widths=[6, 5, 4, 3],
                                                 activation="swish")["changed"]}
