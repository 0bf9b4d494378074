"""Public checks of topic 5-02 (perceptron_mlp): run them with `make check TOPIC=perceptron_mlp`.

Expected data come from the docstrings' worked examples, from `torch.nn.init` itself (the
initialisers are compared with torch's own draws, gain from `torch.nn.init.calculate_gain`), or
from properties every correct answer has; never from the reference solution. Statistical checks
state their false-failure rate; exact checks compare integers or the examples. The probes,
oracles and compares here are shared with the hidden checks.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from autograder.runtime.check import CheckSet, ProbeError, literal, oracle
from autograder.runtime.compare import EXACT, ks_two_sample, require
from autograder.runtime.probing import randn, scalar, tensor_out
from autograder.runtime.variants import NUMPY_F64

CHECKS = CheckSet("perceptron_mlp", "public")
ALPHA = 1e-6  # false-failure rate of each statistical check: a correct answer fails 1 in 10^6
CORNERS = ((0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0))
TRUTH = {"AND": (0, 0, 0, 1), "OR": (0, 1, 1, 1), "XOR": (0, 1, 1, 0)}
INITIALISERS = ("xavier_uniform", "xavier_normal", "he_uniform", "he_normal")


# ---- probe helpers (shipped with the probes) ---------------------------------------------------

def labels_out(value: object, function: str) -> dict:
    """Predicted labels as plain data: the values, and whether they came as an int array."""
    if not isinstance(value, np.ndarray):
        raise ProbeError(f"{function} returned {type(value).__name__}, expected a NumPy array")
    return {"labels": [int(v) for v in value.ravel()], "int_array": value.dtype.kind in "iu",
            "shape": list(value.shape)}


def train_out(result: object, x: np.ndarray) -> dict:
    """perceptron_train's (w, b, errors), and the training predictions of the returned w and b
    (computed here with the docstring's step, not with the implementation's predict)."""
    if not (isinstance(result, tuple) and len(result) == 3):
        raise ProbeError("perceptron_train must return (w, b, errors), got "
                         f"{type(result).__name__}")
    w, b, errors = result
    if not isinstance(w, np.ndarray):
        raise ProbeError(f"perceptron_train: w is {type(w).__name__}, expected a NumPy array")
    if not isinstance(errors, list):
        raise ProbeError(f"perceptron_train: errors is {type(errors).__name__}, expected a list")
    bias = scalar(b, "perceptron_train's b")
    w64 = np.asarray(w, dtype=np.float64)
    predictions = (np.asarray(x, dtype=np.float64) @ w64 + bias > 0).astype(np.int64)
    return {"w": [float(v) for v in w64.ravel()], "b": float(bias),
            "errors": [scalar(e, "an entry of errors") for e in errors],
            "predictions": [int(v) for v in predictions]}


def corners(dtype=np.float64) -> np.ndarray:
    return np.array(CORNERS, dtype=dtype)


def init_out(value: object, function: str, dtype) -> dict:
    if not isinstance(value, np.ndarray):
        raise ProbeError(f"{function} returned {type(value).__name__}, expected a NumPy array")
    return {"values": np.array(value, dtype=np.float64), "shape": list(value.shape),
            "kept_dtype": bool(value.dtype == np.dtype(dtype))}


def init_probe(impl, name: str, fan_in: int, fan_out: int, seed: int, dtype, kwargs: dict):
    """One draw of an initialiser (chosen from a dict of the four, never by computed name)."""
    functions = {"xavier_uniform": impl.xavier_uniform, "xavier_normal": impl.xavier_normal,
                 "he_uniform": impl.he_uniform, "he_normal": impl.he_normal}
    rng = np.random.default_rng(seed)
    return {"w": init_out(functions[name](fan_in, fan_out, rng, dtype=dtype, **kwargs), name,
                          dtype)}


def he_relu_init(fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
    """He normal for ReLU, written out: N(0, 2 / fan_in)."""
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_out, fan_in))


def tiny_init(fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
    """A too-small scale: N(0, 0.01^2) whatever the width."""
    return rng.normal(0.0, 0.01, size=(fan_out, fan_in))


def unit_init(fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
    """A too-large scale for wide layers: N(0, 1) whatever the width."""
    return rng.normal(0.0, 1.0, size=(fan_out, fan_in))


def xavier_tanh_init(fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
    """Xavier uniform with tanh's gain 5/3, written out."""
    bound = 5.0 / 3.0 * np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-bound, bound, size=(fan_out, fan_in))


def stds_probe(impl, widths: list, activation: str, init, seed: int, n: int = 256) -> dict:
    x = np.random.default_rng(seed).standard_normal((n, widths[0]))
    stds = impl.layer_stds(x, widths, activation, init, np.random.default_rng(seed + 1))
    if not isinstance(stds, list):
        raise ProbeError(f"layer_stds returned {type(stds).__name__}, expected a list")
    return {"stds": [float(scalar(s, "an entry of the list")) for s in stds],
            "input_std": float(np.std(x))}


def mlp_probe(impl, widths: list, activation: str, device: str, dtype, n: int, seed: int) -> dict:
    """build_mlp's structure, parameter count and forward pass, with seeded weights copied into
    its Linear layers (so the forward pass is comparable)."""
    model = impl.build_mlp(widths, activation)
    if not isinstance(model, nn.Sequential):
        raise ProbeError(f"build_mlp returned {type(model).__name__}, expected nn.Sequential")
    layers = list(model.children())
    linears = [m for m in layers if isinstance(m, nn.Linear)]
    model = model.to(device=device, dtype=dtype)
    with torch.no_grad():
        for k, layer in enumerate(linears):
            layer.weight.copy_(randn(tuple(layer.weight.shape), seed + 2 * k, dtype, device)
                              * layer.in_features ** -0.5)
            if layer.bias is not None:
                layer.bias.copy_(randn(tuple(layer.bias.shape), seed + 2 * k + 1, dtype, device))
    x = randn((n, widths[0]), seed + 100, dtype, device)
    return {"types": [type(m).__name__ for m in layers],
            "shapes": [[m.in_features, m.out_features, m.bias is not None] for m in linears],
            "parameters": int(sum(p.numel() for p in model.parameters())),
            "y": tensor_out(model(x), "build_mlp(...).forward", x)}


# ---- compares -------------------------------------------------------------------------------

def same_distribution(got: dict, want: dict) -> None:
    """An initialiser's draw against torch.nn.init's draw for the same layer: the same shape and
    dtype, and the same distribution by a two-sample Kolmogorov-Smirnov test (a correct answer
    fails with probability ALPHA); a wrong bound, std, gain or shape of distribution moves the
    empirical CDF by far more than the test's margin at these sample sizes."""
    got, want = got["w"], want["w"]
    require(got["shape"] == want["shape"], f"shape {got['shape']}, expected {want['shape']} "
                                           "(fan_out, fan_in)", "w")
    require(got["kept_dtype"], "the weights' dtype is not the dtype asked for", "w")
    values = got["values"].ravel()
    require(bool(np.all(np.isfinite(values))), "NaN or inf among the weights", "w")
    statistic, p_value = ks_two_sample(values, want["values"].ravel())
    require(p_value >= ALPHA,
            f"the weights' distribution differs from torch.nn.init's (Kolmogorov-Smirnov D = "
            f"{statistic:.4f}, p = {p_value:.2g} < {ALPHA:g}; sample std "
            f"{values.std():.4g}, largest |w| {np.abs(values).max():.4g})", "w")


def truth_table(got: dict, want: None) -> None:
    shapes = got["shapes"]
    for name, shape in (("W1", [2, 2]), ("b1", [2]), ("w2", [2]), ("b2", [])):
        require(shapes[name] == shape, f"shape {shapes[name]}, expected {shape}", name)
    require(got["outputs"] == list(TRUTH["XOR"]),
            f"the network outputs {got['outputs']} on (0,0), (0,1), (1,0), (1,1); XOR is "
            f"{list(TRUTH['XOR'])}", "y")


def learns_to_zero_errors(got: dict, want: dict) -> None:
    errors = got["errors"]
    require(all(type(e) is int for e in errors), "errors must be a list of ints", "errors")
    require(len(errors) >= 1 and errors[-1] == 0,
            f"the last epoch has {errors[-1] if errors else 'no'} errors; on separable data "
            "training stops after the first epoch with 0", "errors")
    require(all(e > 0 for e in errors[:-1]), "an epoch with 0 errors before the last one: "
                                             "training must stop there", "errors")
    require(got["predictions"] == want["targets"],
            "the returned w and b misclassify some training samples", "predictions")


def never_separates(got: dict, want: dict) -> None:
    errors = got["errors"]
    require(len(errors) == want["epochs"], f"{len(errors)} entries in errors; with no epoch "
                                           f"free of errors it has one per epoch", "errors")
    require(all(type(e) is int and e >= 1 for e in errors),
            "an epoch with 0 errors on XOR, which no single perceptron can separate", "errors")


def keeps_scale(got: dict, want: None) -> None:
    stds = np.array(got["stds"])
    require(stds.size == got["layers"], f"{stds.size} stds, expected one per layer "
                                        f"({got['layers']})", "stds")
    ratio = stds / stds[0]
    require(bool(np.all((ratio > 0.5) & (ratio < 2.0))),
            f"the activation std drifts from {stds[0]:.3g} (layer 1) to between "
            f"{stds.min():.3g} and {stds.max():.3g}; He + ReLU should keep it within a factor 2",
            "stds")


def _torch_init(draw):
    """An initialiser backed by torch.nn.init: an independent draw (its own seeded
    torch.Generator) with torch's own bound/std and gain conventions."""
    def init(fan_in, fan_out, rng, dtype=np.float64, **kwargs):
        seed = int(rng.integers(2**31)) + 12345
        tensor = torch.empty((fan_out, fan_in), dtype=torch.float64)
        draw(tensor, torch.Generator().manual_seed(seed), **kwargs)
        return tensor.numpy().astype(dtype)
    return init


def _xavier_uniform(t, g, gain=1.0):
    nn.init.xavier_uniform_(t, gain=gain, generator=g)


def _xavier_normal(t, g, gain=1.0):
    nn.init.xavier_normal_(t, gain=gain, generator=g)


def _kaiming_uniform(t, g, nonlinearity="relu", negative_slope=0.0, mode="fan_in"):
    nn.init.kaiming_uniform_(t, a=negative_slope, mode=mode, nonlinearity=nonlinearity,
                             generator=g)


def _kaiming_normal(t, g, nonlinearity="relu", negative_slope=0.0, mode="fan_in"):
    nn.init.kaiming_normal_(t, a=negative_slope, mode=mode, nonlinearity=nonlinearity,
                            generator=g)


TORCH_INIT = oracle("torch.nn.init (gain from calculate_gain)",
                    xavier_uniform=_torch_init(_xavier_uniform),
                    xavier_normal=_torch_init(_xavier_normal),
                    he_uniform=_torch_init(_kaiming_uniform),
                    he_normal=_torch_init(_kaiming_normal))


# ---- perceptron -----------------------------------------------------------------------------

@CHECKS.add("perceptron_predict",
            expect=literal({"labels": [1, 0, 0, 1, 0], "int_array": True, "shape": [5]},
                           "the step rule, worked out"),
            compare=EXACT,
            hint="predict 1 where x @ w + b > 0 and 0 elsewhere, a score of exactly 0 included; "
                 "return integers")
def step_rule(impl, device):
    """x (5, 2), w = [1, -2], b = 0.5; one score is exactly 0"""
    x = np.array([[1.0, 0.0], [0.0, 1.0], [1.5, 1.0], [0.0, 0.0], [0.5, 0.5]])
    return labels_out(impl.perceptron_predict(x, np.array([1.0, -2.0]), 0.5),
                      "perceptron_predict")


@CHECKS.add("perceptron_train",
            expect=literal({"w": [2.0, 1.0], "b": -2.0, "errors": [1, 3, 3, 2, 1, 0],
                            "predictions": [0, 0, 0, 1]}, "the docstring's example"),
            compare=EXACT,  # small integers: exact in floating point
            hint="start from w = 0, b = 0; visit samples in order; on a mistake add "
                 "lr * (y - y_hat) * x to w and lr * (y - y_hat) to b; count the mistakes of "
                 "each epoch and stop after the first epoch without any")
def docstring_example(impl, device):
    """AND on the 4 corners in order, lr 1, epochs 100"""
    x = corners()
    return train_out(impl.perceptron_train(x, np.array(TRUTH["AND"]), epochs=100, lr=1.0), x)


@CHECKS.add("perceptron_train", expect=literal({"targets": list(TRUTH["OR"])}, "OR's targets"),
            compare=learns_to_zero_errors,
            hint="a separable problem ends with an epoch of 0 errors; stop right after it")
def learns_or(impl, device):
    """OR on the 4 corners, lr 0.5"""
    x = corners()
    return train_out(impl.perceptron_train(x, np.array(TRUTH["OR"]), epochs=100, lr=0.5), x)


@CHECKS.add("perceptron_train", expect=literal({"epochs": 40}, "the epoch budget"),
            compare=never_separates,
            hint="XOR is not linearly separable: every epoch makes at least one mistake, so "
                 "errors has one entry per epoch of the budget")
def never_learns_xor(impl, device):
    """XOR on the 4 corners, lr 1, epochs 40"""
    x = corners()
    return train_out(impl.perceptron_train(x, np.array(TRUTH["XOR"]), epochs=40, lr=1.0), x)


# ---- XOR network ----------------------------------------------------------------------------

def xor_probe(impl) -> dict:
    weights = impl.xor_weights()
    if not isinstance(weights, dict):
        raise ProbeError(f"xor_weights returned {type(weights).__name__}, expected a dict")
    missing = [k for k in ("W1", "b1", "w2", "b2") if k not in weights]
    if missing:
        raise ProbeError(f"xor_weights: missing entries {missing}")
    w1, b1, w2 = (np.asarray(weights[k], dtype=np.float64) for k in ("W1", "b1", "w2"))
    b2 = np.asarray(weights["b2"], dtype=np.float64)
    shapes = {k: list(np.shape(weights[k])) for k in ("W1", "b1", "w2", "b2")}
    outputs, margin = [], float("inf")
    if shapes["W1"] == [2, 2] and shapes["b1"] == [2] and shapes["w2"] == [2]:
        z1 = corners() @ w1.T + b1
        h = (z1 > 0).astype(np.float64)
        z2 = h @ w2 + float(b2.reshape(-1)[0])
        outputs = [int(v) for v in (z2 > 0)]
        margin = float(min(np.abs(z1).min(), np.abs(z2).min()))
    return {"shapes": shapes, "outputs": outputs, "margin": margin,
            "b2_is_float": isinstance(weights["b2"], float)}


@CHECKS.add("xor_weights", compare=truth_table,
            hint="two hidden step units that compute OR and AND of the inputs, and an output "
                 "unit that fires for 'OR and not AND'")
def truth_table_holds(impl, device):
    """the four inputs (0,0), (0,1), (1,0), (1,1)"""
    return xor_probe(impl)


# ---- initialisers ---------------------------------------------------------------------------

INIT_HINTS = {
    "xavier_uniform": "U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out)), shape "
                      "(fan_out, fan_in), drawn from rng",
    "xavier_normal": "N(0, std^2) with std = gain * sqrt(2 / (fan_in + fan_out)), shape "
                     "(fan_out, fan_in), drawn from rng",
    "he_uniform": "U(-a, a) with a = sqrt(3) * gain / sqrt(fan) and gain = calculate_gain("
                  "nonlinearity, negative_slope), e.g. sqrt(2) for relu",
    "he_normal": "N(0, std^2) with std = gain / sqrt(fan) and gain = calculate_gain("
                 "nonlinearity, negative_slope), e.g. sqrt(2) for relu",
}

@CHECKS.add(INITIALISERS, expect=TORCH_INIT, compare=same_distribution, variants=NUMPY_F64,
            hint=lambda function: INIT_HINTS[function])
def matches_torch_init(impl, device, dtype, function):
    """fan_in 256, fan_out 64, default arguments, {dtype}; Kolmogorov-Smirnov against
    torch.nn.init, false-failure rate 1e-6"""
    return init_probe(impl, function, 256, 64, 300, dtype, {})


# ---- depth and scale ------------------------------------------------------------------------

@CHECKS.add("layer_stds", compare=keeps_scale,
            hint="one init call per layer in order, h = act(h @ W.T) after every layer, and the "
                 "std (ddof 0) of all entries of each h")
def he_relu_keeps_scale(impl, device):
    """x (256, 256) N(0, 1), widths [256] * 11, relu, He normal weights"""
    out = stds_probe(impl, [256] * 11, "relu", he_relu_init, 400)
    return {"stds": out["stds"], "layers": 10}


# ---- parameter counts -----------------------------------------------------------------------

@CHECKS.add("count_parameters", expect=literal({"count": 235146}, "the docstring's example"),
            compare=EXACT,
            hint="each layer has fan_in * fan_out weights and fan_out biases")
def fashion_mnist_widths(impl, device):
    """widths [784, 256, 128, 10]"""
    return {"count": scalar(impl.count_parameters([784, 256, 128, 10]), "count_parameters")}


@CHECKS.add("count_module_parameters", expect=literal({"count": 235146}, "784-256-128-10"),
            compare=EXACT,
            hint="sum p.numel() over module.parameters()")
def fashion_mnist_module(impl, device):
    """nn.Sequential(Linear(784, 256), ReLU, Linear(256, 128), ReLU, Linear(128, 10))"""
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(),
                          nn.Linear(128, 10))
    return {"count": scalar(impl.count_module_parameters(model), "count_module_parameters")}


# ---- the torch MLP --------------------------------------------------------------------------

def structure(got: dict, want: dict) -> None:
    for key in ("types", "shapes", "parameters"):
        require(got[key] == want[key], f"{got[key]}, expected {want[key]}", key)
    y = got["y"]
    require(y["kept_dtype"] and y["kept_input_device"],
            "the output's dtype or device differs from the input's", "y")
    require(list(y["values"].shape) == want["y_shape"],
            f"output shape {list(y['values'].shape)}, expected {want['y_shape']}", "y")


@CHECKS.add("build_mlp",
            expect=literal({"types": ["Linear", "ReLU", "Linear", "ReLU", "Linear"],
                            "shapes": [[784, 256, True], [256, 128, True], [128, 10, True]],
                            "parameters": 235146, "y_shape": [8, 10]},
                           "the docstring's example"),
            compare=structure,
            hint="Linear layers between consecutive widths, a new activation module after every "
                 "Linear except the last (the logits)")
def fashion_mnist_structure(impl, device):
    """widths [784, 256, 128, 10], relu; forward on x (8, 784)"""
    return mlp_probe(impl, [784, 256, 128, 10], "relu", device, torch.float32, 8, 500)
