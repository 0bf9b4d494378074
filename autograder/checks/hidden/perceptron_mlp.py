"""Hidden checks of topic 5-02 (perceptron_mlp): the step at a score of exactly 0, float32 and
non-contiguous inputs, exact error sequences (updates only on mistakes, the zero-error epoch
reported, the epoch budget), XOR over a long budget, the XOR network's margin, the initialisers'
gains (every name of the gain table), fan_out mode, float32 and large draws, use of the
generator, collapse and explosion with depth, parameter counts with tied weights, buffers and
frozen layers, the torch MLP's forward pass on CPU and CUDA, and every function with default
arguments called with them left out.
Graded mode shows a student only each check's name, pass or fail, and its hint. Tolerances are
written next to each check with the error the reference measured.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from autograder.checks.public.perceptron_mlp import (
    F32,
    F64,
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
from autograder.runtime.check import REFERENCE, CheckSet, literal
from autograder.runtime.compare import EXACT, Close, require
from autograder.runtime.probing import raised, scalar

CHECKS = CheckSet("perceptron_mlp", "hidden")
TORCH_F32 = {"float32": {"dtype": torch.float32}}
TORCH_F64 = {"float64": {"dtype": torch.float64}}
# layer_stds against the reference, float64: the same products in the same order.
STDS_F64 = Close(rtol=1e-9, atol=1e-12)  # measured 0 (identical operations)
# build_mlp's forward pass: float64 against the reference, and float32 (CPU or CUDA) against it.
FORWARD_F64 = Close(rtol=1e-10, atol=1e-12)  # measured 0 on CPU
FORWARD_F32 = Close(rtol=1e-4, atol=1e-5)  # measured 8.9e-7 abs on CPU (CUDA not measured)


# ---- perceptron_predict -----------------------------------------------------------------------

@CHECKS.add("perceptron_predict", expect=REFERENCE, compare=EXACT,
            case="w = 0, b = 0 on x (6, 3): every score is exactly 0",
            hint="the step is 0 at 0: a score of exactly 0 predicts 0, so use > 0, not >= 0")
def score_zero_predicts_zero(impl, device):
    x = np.random.default_rng(600).standard_normal((6, 3))
    return labels_out(impl.perceptron_predict(x, np.zeros(3), 0.0), "perceptron_predict")


@CHECKS.add("perceptron_predict", expect=REFERENCE, compare=EXACT,
            case="x transposed view (40, 4) float32, float32 w, b = -0.25",
            hint="work on any memory layout and float dtype; return one int label per row")
def float32_noncontiguous(impl, device):
    x = np.round(np.random.default_rng(601).standard_normal((4, 40)), 1).astype(np.float32).T
    w = np.array([0.5, -1.0, 0.25, 2.0], dtype=np.float32)
    return labels_out(impl.perceptron_predict(x, w, -0.25), "perceptron_predict")


# ---- perceptron_train ---------------------------------------------------------------------------

def separable_data(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Integer inputs (exact arithmetic with lr 1) labelled by a fixed hyperplane; the array is a
    transposed (non-contiguous) view."""
    x = np.random.default_rng(seed).integers(-3, 4, size=(3, n)).astype(np.float64).T
    y = (x @ np.array([2.0, -1.0, 1.0]) + 0.5 > 0).astype(np.int64)
    return x, y


@CHECKS.add("perceptron_train", expect=REFERENCE, compare=EXACT,  # integer arithmetic: exact
            case="40 integer samples in 3-D (transposed view), separable, lr 1, epochs 200",
            hint="visit the samples in the given order; update only on a mistake; record every "
                 "epoch's mistakes, the final epoch's 0 included")
def noncontiguous_separable(impl, device):
    x, y = separable_data(40, 610)
    return train_out(impl.perceptron_train(x, y, epochs=200, lr=1.0), x)


@CHECKS.add("perceptron_train", expect=REFERENCE, compare=EXACT,  # multiples of 1/4: exact
            case="AND on the 4 corners, lr 0.25",
            hint="a correctly classified sample changes nothing: the update is "
                 "lr * (y - y_hat) * x, which is 0 when y_hat == y")
def updates_only_on_mistakes(impl, device):
    x = corners()
    return train_out(impl.perceptron_train(x, np.array(TRUTH["AND"]), epochs=100, lr=0.25), x)


@CHECKS.add("perceptron_train", expect=REFERENCE, compare=EXACT,
            case="40 separable integer samples, epochs 2 (too few to converge)",
            hint="never run more epochs than the budget; errors has one entry per epoch run")
def epoch_budget(impl, device):
    x, y = separable_data(40, 610)
    return train_out(impl.perceptron_train(x, y, epochs=2, lr=1.0), x)


@CHECKS.add("perceptron_train", expect=literal({"epochs": 1000}, "the epoch budget"),
            compare=never_separates, case="XOR on the 4 corners, lr 0.1, epochs 1000",
            hint="XOR is not linearly separable: no epoch is free of mistakes, however long you "
                 "train")
def xor_never_separable_large_budget(impl, device):
    x = corners()
    return train_out(impl.perceptron_train(x, np.array(TRUTH["XOR"]), epochs=1000, lr=0.1), x)


@CHECKS.add("perceptron_train", expect=REFERENCE, compare=EXACT,
            case="XOR on the 4 corners, lr 1, epochs 12: the errors per epoch",
            hint="count each epoch's mistakes when the samples are visited (the number of "
                 "updates), one entry per epoch")
def xor_error_sequence(impl, device):
    x = corners()
    return train_out(impl.perceptron_train(x, np.array(TRUTH["XOR"]), epochs=12, lr=1.0), x)


@CHECKS.add("perceptron_train", expect=literal({"targets": [int(v) for v in
                                                          (np.arange(8) % 2)]}, "the targets"),
            compare=learns_to_zero_errors, case="8 samples in 1-D plus a constant feature, "
                                                "batch_of_one-sized steps, lr 0.01",
            hint="a separable problem ends with an epoch of 0 errors for any positive lr")
def small_lr_batch_of_one_steps(impl, device):
    x = np.stack([np.where(np.arange(8) % 2 == 1, 1.0, -1.0) * (1 + np.arange(8) / 8),
                  np.ones(8)], axis=1)
    return train_out(impl.perceptron_train(x, np.arange(8) % 2, epochs=500, lr=0.01), x)


@CHECKS.add("perceptron_train",
            expect=literal({"and": {"w": [2.0, 1.0], "b": -2.0, "errors": [1, 3, 3, 2, 1, 0],
                                    "predictions": [0, 0, 0, 1]},
                            "xor_entries": 100, "xor_all_at_least_one": True},
                           "the docstring's example and the signature's defaults"),
            compare=EXACT,  # small integers: exact in floating point
            case="AND and XOR on the 4 corners, epochs and lr left at their defaults",
            hint="the defaults are those of the signature, epochs 100 and lr 1.0: the "
                 "docstring's AND example again, and one entry per epoch of the default budget "
                 "on XOR")
def documented_defaults(impl, device):
    x = corners()
    learned = train_out(impl.perceptron_train(x, np.array(TRUTH["AND"])), x)
    errors = train_out(impl.perceptron_train(x, np.array(TRUTH["XOR"])), x)["errors"]
    return {"and": learned, "xor_entries": len(errors),
            "xor_all_at_least_one": all(e >= 1 for e in errors)}


# ---- xor_weights --------------------------------------------------------------------------------

def truth_table_and_margin(got: dict, want: None) -> None:
    truth_table(got, want)
    require(got["margin"] >= 0.25, f"the smallest |pre-activation| at the four inputs is "
                                   f"{got['margin']:.3g}, below the required 0.25", "margin")


@CHECKS.add("xor_weights", compare=truth_table_and_margin,
            case="the four inputs; every pre-activation at least 0.25 from 0",
            hint="keep every unit's score at least 0.25 away from its threshold, e.g. biases "
                 "halfway between the integer sums")
def truth_table_with_margin(impl, device):
    return xor_probe(impl)


def float64_entries(got: dict, want: None) -> None:
    require(got["dtypes"] == ["float64"] * 3, f"W1, b1, w2 have dtypes {got['dtypes']}, "
                                              "expected float64 arrays", "dtypes")
    require(got["b2_is_float"], "b2 must be a Python float", "b2")


@CHECKS.add("xor_weights", compare=float64_entries, case="the types of W1, b1, w2 and b2",
            hint="W1, b1 and w2 as float64 NumPy arrays, b2 as a Python float")
def float64_arrays(impl, device):
    weights = impl.xor_weights()
    return {"dtypes": [str(np.asarray(weights[k]).dtype) for k in ("W1", "b1", "w2")],
            "b2_is_float": isinstance(weights["b2"], float)}


# ---- initialisers -------------------------------------------------------------------------------
def generator_discipline(got: dict, want: None) -> None:
    require(got["same_seed_equal"], "two generators with the same seed gave different weights",
            "w")
    require(got["other_seed_differs"], "generators with different seeds gave the same weights",
            "w")




for name in INITIALISERS:
    @CHECKS.add(name, expect=TORCH_INIT, compare=same_distribution, variants=F32,
                case="fan_in 512, fan_out 128 (65536 weights), {dtype}; Kolmogorov-Smirnov "
                     "against torch.nn.init, false-failure rate 1e-6",
                hint=f"return the dtype asked for; {INIT_HINTS[name]}")
    def float32_large(impl, device, dtype, _name=name):
        return init_probe(impl, _name, 512, 128, 700, dtype, {})


    @CHECKS.add(name, compare=generator_discipline,
                case="two draws from default_rng(7), one from default_rng(8), fan_in 30, "
                     "fan_out 20",
                hint="draw every weight from the rng you are given (rng.uniform / rng.normal), "
                     "never from np.random's global state")
    def uses_the_generator(impl, device, _name=name):
        first = init_probe(impl, _name, 30, 20, 7, np.float64, {})["w"]["values"]
        again = init_probe(impl, _name, 30, 20, 7, np.float64, {})["w"]["values"]
        other = init_probe(impl, _name, 30, 20, 8, np.float64, {})["w"]["values"]
        return {"same_seed_equal": bool(np.array_equal(first, again)),
                "other_seed_differs": not bool(np.array_equal(first, other))}


# gain = torch.nn.init.calculate_gain("tanh") = 5/3, passed explicitly as torch's users do.
for name in ("xavier_uniform", "xavier_normal"):
    @CHECKS.add(name, expect=TORCH_INIT, compare=same_distribution, variants=F64,
                case="fan_in 100, fan_out 300, gain 5/3 (calculate_gain('tanh')), {dtype}; "
                     "Kolmogorov-Smirnov against torch.nn.init, false-failure rate 1e-6",
                hint="both fans enter: fan_in + fan_out; and multiply by the gain you are given")
    def tanh_gain(impl, device, dtype, _name=name):
        return init_probe(impl, _name, 100, 300, 710, dtype, {"gain": 5.0 / 3.0})

for name in ("he_uniform", "he_normal"):
    @CHECKS.add(name, expect=TORCH_INIT, compare=same_distribution, variants=F64,
                case="fan_in 128, fan_out 512, leaky_relu slope 0.5, mode fan_out, {dtype}; "
                     "Kolmogorov-Smirnov against torch.nn.init, false-failure rate 1e-6",
                hint="gain sqrt(2 / (1 + negative_slope^2)) for leaky_relu, and mode 'fan_out' "
                     "divides by sqrt(fan_out)")
    def leaky_relu_fan_out(impl, device, dtype, _name=name):
        return init_probe(impl, _name, 128, 512, 720, dtype,
                          {"nonlinearity": "leaky_relu", "negative_slope": 0.5,
                           "mode": "fan_out"})

    @CHECKS.add(name, expect=TORCH_INIT, compare=same_distribution, variants=F64,
                case="fan_in 200, fan_out 300, tanh, {dtype}; Kolmogorov-Smirnov against "
                     "torch.nn.init, false-failure rate 1e-6",
                hint="calculate_gain('tanh') is 5/3; pick the gain from a dict by name")
    def tanh_gain(impl, device, dtype, _name=name):
        return init_probe(impl, _name, 200, 300, 730, dtype, {"nonlinearity": "tanh"})


def default_probe(impl, name: str, fan_in: int, fan_out: int, seed: int) -> dict:
    """One draw with every documented default left out (dtype included: float64)."""
    functions = {"xavier_uniform": impl.xavier_uniform, "xavier_normal": impl.xavier_normal,
                 "he_uniform": impl.he_uniform, "he_normal": impl.he_normal}
    value = functions[name](fan_in, fan_out, np.random.default_rng(seed))
    return {"w": init_out(value, name, np.float64)}


for name in INITIALISERS:
    @CHECKS.add(name, expect=TORCH_INIT, compare=same_distribution,
                case="fan_in 96, fan_out 160, called as (fan_in, fan_out, rng) with every other "
                     "argument left at its default; Kolmogorov-Smirnov against torch.nn.init, "
                     "false-failure rate 1e-6",
                hint="the defaults are those of the signature (a float64 result; gain 1, or "
                     f"relu, slope 0 and mode 'fan_in'); {INIT_HINTS[name]}")
    def documented_defaults(impl, device, _name=name):
        return default_probe(impl, _name, 96, 160, 740)


# Every name of the docstring's gain table; negative_slope and mode left at their defaults (so
# leaky_relu's gain is sqrt(2 / (1 + 0^2)) = sqrt(2), torch's a = 0).
GAIN_VARIANTS = {g: {"nonlinearity": g} for g in ("linear", "sigmoid", "leaky_relu")}

for name in ("he_uniform", "he_normal"):
    @CHECKS.add(name, expect=TORCH_INIT, compare=same_distribution, variants=GAIN_VARIANTS,
                case="fan_in 150, fan_out 250, nonlinearity '{nonlinearity}', negative_slope and "
                     "mode left at their defaults, float64; Kolmogorov-Smirnov against "
                     "torch.nn.init, false-failure rate 1e-6",
                hint="the gain table: 1 for linear and sigmoid, 5/3 for tanh, sqrt(2) for relu, "
                     "sqrt(2 / (1 + negative_slope^2)) for leaky_relu with negative_slope's "
                     "default 0")
    def gain_by_name(impl, device, nonlinearity, _name=name):
        return init_probe(impl, _name, 150, 250, 750, np.float64,
                          {"nonlinearity": nonlinearity})


# ---- layer_stds ---------------------------------------------------------------------------------

@CHECKS.add("layer_stds", expect=REFERENCE, compare=STDS_F64,
            case="x (256, 64), widths [64, 128, 128, 32], tanh, Xavier uniform (gain 5/3)",
            hint="one init call per layer in layer order, with the rng you are given; "
                 "h = act(h @ W.T); np.std (ddof 0) after the activation")
def float64_tanh_xavier(impl, device):
    return stds_probe(impl, [64, 128, 128, 32], "tanh", xavier_tanh_init, 800)


@CHECKS.add("layer_stds", expect=REFERENCE, compare=STDS_F64,
            case="x (2048, 512), widths [512] * 4, relu, He normal",
            hint="the std of all entries of each layer's activations h_l, one per layer")
def large_he_relu(impl, device):
    return stds_probe(impl, [512] * 4, "relu", he_relu_init, 810, n=2048)


@CHECKS.add("layer_stds", expect=REFERENCE, compare=STDS_F64,
            case="x (1, 32), widths [32, 16, 8], linear, weights N(0, 1)",
            hint="a batch of one sample is fine: the std runs over all entries of h")
def batch_of_one_linear(impl, device):
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
            case="x (256, 256), widths [256] * 11, tanh, weights N(0, 0.01^2)",
            hint="each layer multiplies the scale by about 0.01 * sqrt(fan_in) < 1")
def tiny_init_collapses(impl, device):
    return stds_probe(impl, [256] * 11, "tanh", tiny_init, 830)


@CHECKS.add("layer_stds", compare=explodes,
            case="x (256, 256), widths [256] * 9, relu, weights N(0, 1)",
            hint="each layer multiplies the scale by about sqrt(fan_in / 2) > 1")
def unit_init_explodes(impl, device):
    return stds_probe(impl, [256] * 9, "relu", unit_init, 840)


@CHECKS.add("layer_stds", expect=literal({"error": "ValueError"}, "the docstring"),
            compare=EXACT, case="activation 'softplus'",
            hint="raise ValueError for an activation name outside relu, tanh, linear")
def rejects_unknown_activation(impl, device):
    x = np.ones((2, 3))
    return {"error": raised(lambda: impl.layer_stds(x, [3, 2], "softplus", unit_init,
                                                    np.random.default_rng(0)))}


# ---- count_parameters ---------------------------------------------------------------------------

@CHECKS.add("count_parameters", expect=REFERENCE, compare=EXACT,
            case="widths [4096, 4096, 4096, 1000]",
            hint="sum fan_in * fan_out + fan_out over consecutive pairs of widths; Python ints "
                 "do not overflow")
def large_widths(impl, device):
    return {"count": scalar(impl.count_parameters([4096, 4096, 4096, 1000]), "count")}


@CHECKS.add("count_parameters", expect=REFERENCE, compare=EXACT,
            case="widths [10] (no layer), [10, 3] (one layer), [5, 1, 5]",
            hint="one width means no layer and 0 parameters; every layer has its biases")
def few_layers(impl, device):
    return {"counts": [scalar(impl.count_parameters(w), "count")
                       for w in ([10], [10, 3], [5, 1, 5])]}


# ---- count_module_parameters --------------------------------------------------------------------

def tied_model() -> nn.Module:
    """Linear(6, 6) used twice (its parameters shared), a BatchNorm1d with its buffers, and a
    Linear(6, 2) without bias."""
    shared = nn.Linear(6, 6)
    return nn.Sequential(shared, nn.BatchNorm1d(6), nn.ReLU(), shared, nn.Linear(6, 2,
                                                                                bias=False))


@CHECKS.add("count_module_parameters", expect=REFERENCE, compare=EXACT,
            case="Sequential(Linear(6, 6) used twice, BatchNorm1d(6), ReLU, Linear(6, 2, "
                 "bias=False))",
            hint="module.parameters() lists a shared parameter once; buffers (running "
                 "statistics) are not parameters, so do not count state_dict() entries")
def tied_weights_and_buffers(impl, device):
    return {"count": scalar(impl.count_module_parameters(tied_model()), "count")}


@CHECKS.add("count_module_parameters", expect=REFERENCE, compare=EXACT,
            case="Linear(4096, 4096) frozen, then Linear(4096, 10); all and trainable_only",
            hint="trainable_only counts only parameters with requires_grad = True")
def large_frozen_layer(impl, device):
    model = nn.Sequential(nn.Linear(4096, 4096), nn.Linear(4096, 10))
    model[0].requires_grad_(False)
    return {"all": scalar(impl.count_module_parameters(model), "count"),
            "trainable": scalar(impl.count_module_parameters(model, trainable_only=True),
                                "count")}


# ---- build_mlp ----------------------------------------------------------------------------------

@CHECKS.add("build_mlp", expect=REFERENCE, compare=FORWARD_F64, variants=TORCH_F64,
            case="widths [20, 32, 16, 5], tanh, seeded weights, x (64, 20) {dtype}",
            hint="Linear, activation, ..., Linear: the output layer has no activation")
def forward_tanh(impl, device, dtype):
    return mlp_probe(impl, [20, 32, 16, 5], "tanh", device, dtype, 64, 900)


@CHECKS.add("build_mlp", expect=REFERENCE, compare=FORWARD_F32, variants=TORCH_F32,
            devices=("cpu", "cuda"),
            case="widths [784, 128, 64, 10], relu, seeded weights, x (32, 784) {dtype} on "
                 "{device}",
            hint="the model must work after .to(device, dtype): build it from nn modules only")
def forward_relu(impl, device, dtype):
    return mlp_probe(impl, [784, 128, 64, 10], "relu", device, dtype, 32, 910)


@CHECKS.add("build_mlp", expect=REFERENCE, compare=FORWARD_F64, variants=TORCH_F64,
            case="widths [12, 4], gelu (one layer), x (1, 12) {dtype}",
            hint="a single layer is one Linear and no activation: the output gives logits")
def no_output_activation_batch_of_one(impl, device, dtype):
    return mlp_probe(impl, [12, 4], "gelu", device, dtype, 1, 920)


@CHECKS.add("build_mlp", expect=REFERENCE, compare=EXACT,
            case="widths [6, 5, 4, 3] with each of relu, tanh, sigmoid, gelu, leaky_relu",
            hint="pick the activation class from a dict by name and create a new module for "
                 "every hidden layer")
def activation_types(impl, device):
    types = []
    for activation in ("relu", "tanh", "sigmoid", "gelu", "leaky_relu"):
        types.append([type(m).__name__ for m in impl.build_mlp([6, 5, 4, 3], activation)])
    return {"types": types}


@CHECKS.add("build_mlp",
            expect=literal({"types": ["Linear", "ReLU", "Linear", "ReLU", "Linear"]},
                           "the signature's default"),
            compare=EXACT, case="widths [6, 5, 4, 3], activation left at its default",
            hint="the default activation is the signature's, relu")
def default_activation(impl, device):
    return {"types": [type(m).__name__ for m in impl.build_mlp([6, 5, 4, 3])]}


@CHECKS.add("build_mlp", expect=literal({"error": "ValueError"}, "the docstring"),
            compare=EXACT, case="activation 'swish'",
            hint="raise ValueError for an activation name the docstring does not list")
def rejects_unknown_activation(impl, device):
    return {"error": raised(lambda: impl.build_mlp([4, 3, 2], "swish"))}
