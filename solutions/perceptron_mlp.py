"""Topic 5-02: perceptron_mlp.

The perceptron learning rule and its limit (XOR), a hand-built 2-2-1 network that solves XOR,
Xavier/Glorot and He/Kaiming initialisation in NumPy, how the initial scale carries through a deep
network, parameter counting, and a PyTorch MLP builder as used on FashionMNIST.

Rules for every function here:
- NumPy functions take and return NumPy arrays; randomness comes only from the
  `np.random.Generator` you are given (never `np.random.seed`, `np.random.rand` or the global
  state), so a run is reproducible from its generator's seed.
- Weight matrices follow PyTorch's `nn.Linear` layout: shape (fan_out, fan_in), and a layer
  computes  z = h @ W.T + b.
- Choose an activation or a gain from a dict of the options by name, never by looking an
  attribute up from a computed string.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
from torch import nn

# The gains of torch.nn.init.calculate_gain for the nonlinearities used here.
GAIN_NAMES = ("linear", "sigmoid", "tanh", "relu", "leaky_relu")


def perceptron_predict(x: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    """The perceptron's prediction (a step function of a linear score). Task 5-02.1.

        y_hat[n] = 1 if x[n] @ w + b > 0 else 0
    A score of exactly 0 predicts 0 (the step is 0 at 0).

    Args:
        x: (N, D) inputs, float; always 2-D: pass one row as x[None, :] (as perceptron_train
            does). A 1-D x is not checked.
        w: (D,) weights.
        b: the bias, a float.

    Returns:
        (N,) array of int64 labels in {0, 1}.
    """
    return (x @ w + b > 0).astype(np.int64)


def perceptron_train(x: np.ndarray, y: np.ndarray, epochs: int = 100,
                     lr: float = 1.0) -> tuple[np.ndarray, float, list[int]]:
    """Rosenblatt's perceptron learning rule. Task 5-02.2.

    Start from w = 0 (shape (D,), float64) and b = 0.0. Each epoch visits the samples in the
    given order n = 0, ..., N-1 (no shuffling) and, for each one:
        y_hat = perceptron_predict(x[n][None, :], w, b)[0]   (the current weights)
        if y_hat != y[n]:   w <- w + lr * (y[n] - y_hat) * x[n],   b <- b + lr * (y[n] - y_hat)
    Correctly classified samples change nothing. The epoch's error count is the number of
    samples misclassified when visited (= the number of updates in that epoch). Training stops
    after the first epoch with 0 errors (that epoch's 0 is reported), or after `epochs` epochs.

    On linearly separable data (AND, OR) the rule reaches an epoch with 0 errors; on XOR it never
    does, whatever the epoch budget, and the list has `epochs` entries, all >= 1.

    Example: x = [[0, 0], [0, 1], [1, 0], [1, 1]], y = AND = [0, 0, 0, 1], lr = 1 gives
        errors = [1, 3, 3, 2, 1, 0],  w = [2, 1],  b = -2.

    Args:
        x: (N, D) inputs, float.
        y: (N,) targets in {0, 1}, int.
        epochs: the largest number of epochs, >= 1.
        lr: the learning rate, > 0.

    Returns:
        (w, b, errors): w a float64 (D,) array, b a Python float, errors a list of Python ints,
        one per epoch run.
    """
    x = np.asarray(x, dtype=np.float64)
    w, b = np.zeros(x.shape[1]), 0.0
    errors: list[int] = []
    for _ in range(epochs):
        count = 0
        for x_n, y_n in zip(x, y, strict=True):
            step = int(y_n) - int(perceptron_predict(x_n[None, :], w, b)[0])
            if step != 0:
                w = w + lr * step * x_n
                b = b + lr * step
                count += 1
        errors.append(count)
        if count == 0:
            break
    return w, float(b), errors


def xor_weights() -> dict[str, np.ndarray | float]:
    """Weights of a 2-2-1 network of step units that computes XOR. Task 5-02.3.

    The network (step(z) = 1 if z > 0 else 0, elementwise):
        h = step(x @ W1.T + b1)        W1 (2, 2), b1 (2,)
        y = step(h @ w2 + b2)          w2 (2,),   b2 a float
    must output XOR on the four inputs {0, 1}^2: y(0,0) = y(1,1) = 0, y(0,1) = y(1,0) = 1.
    Choose the weights by hand (one idea: XOR = OR and not AND). Every pre-activation (both
    hidden units and the output) at the four inputs must be at least 0.25 away from 0, so the
    answer does not hinge on rounding.

    Returns:
        {"W1": (2, 2) float64 array, "b1": (2,) float64 array, "w2": (2,) float64 array,
         "b2": a Python float}
    """
    return {"W1": np.array([[1.0, 1.0], [1.0, 1.0]]),  # hidden unit 0: OR, unit 1: AND
            "b1": np.array([-0.5, -1.5]),
            "w2": np.array([1.0, -1.0]),  # OR and not AND
            "b2": -0.5}


def _gain(nonlinearity: str, negative_slope: float) -> float:
    gains = {"linear": 1.0, "sigmoid": 1.0, "tanh": 5.0 / 3.0, "relu": math.sqrt(2.0),
             "leaky_relu": math.sqrt(2.0 / (1.0 + negative_slope**2))}
    if nonlinearity not in gains:
        raise ValueError(f"unknown nonlinearity {nonlinearity!r}; expected one of {GAIN_NAMES}")
    return gains[nonlinearity]


def _he_std(fan_in: int, fan_out: int, nonlinearity: str, negative_slope: float,
            mode: str) -> float:
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"mode must be 'fan_in' or 'fan_out', got {mode!r}")
    fan = fan_in if mode == "fan_in" else fan_out
    return _gain(nonlinearity, negative_slope) / math.sqrt(fan)


def xavier_uniform(fan_in: int, fan_out: int, rng: np.random.Generator, gain: float = 1.0,
                   dtype: np.dtype = np.float64) -> np.ndarray:
    """Xavier/Glorot uniform initialisation, as `torch.nn.init.xavier_uniform_`. Task 5-02.4.

        W_ij ~ U(-a, a),   a = gain * sqrt(6 / (fan_in + fan_out))
    so that Var(W_ij) = a^2 / 3 = gain^2 * 2 / (fan_in + fan_out).

    Args:
        fan_in, fan_out: the layer's input and output sizes (>= 1).
        rng: a np.random.Generator; draw from it only.
        gain: the scale factor (torch.nn.init.calculate_gain of the activation, e.g. 5/3 for tanh).
        dtype: the result's dtype (float32 or float64).

    Returns:
        W of shape (fan_out, fan_in) and the given dtype.
    """
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-bound, bound, size=(fan_out, fan_in)).astype(dtype)


def xavier_normal(fan_in: int, fan_out: int, rng: np.random.Generator, gain: float = 1.0,
                  dtype: np.dtype = np.float64) -> np.ndarray:
    """Xavier/Glorot normal initialisation, as `torch.nn.init.xavier_normal_`. Task 5-02.5.

        W_ij ~ N(0, std^2),   std = gain * sqrt(2 / (fan_in + fan_out))

    Args and returns: as for `xavier_uniform`.
    """
    std = gain * math.sqrt(2.0 / (fan_in + fan_out))
    return rng.normal(0.0, std, size=(fan_out, fan_in)).astype(dtype)


def he_uniform(fan_in: int, fan_out: int, rng: np.random.Generator, nonlinearity: str = "relu",
               negative_slope: float = 0.0, mode: str = "fan_in",
               dtype: np.dtype = np.float64) -> np.ndarray:
    """He/Kaiming uniform initialisation, as `torch.nn.init.kaiming_uniform_`. Task 5-02.6.

        std = gain / sqrt(fan),   W_ij ~ U(-a, a),   a = sqrt(3) * std
    where fan = fan_in (mode "fan_in", keeps the forward pass's variance) or fan_out (mode
    "fan_out", keeps the backward pass's), and gain = torch.nn.init.calculate_gain(nonlinearity,
    negative_slope):
        "linear", "sigmoid": 1     "tanh": 5/3     "relu": sqrt(2)
        "leaky_relu": sqrt(2 / (1 + negative_slope^2))

    Args:
        fan_in, fan_out: the layer's input and output sizes (>= 1).
        rng: a np.random.Generator; draw from it only.
        nonlinearity: one of "linear", "sigmoid", "tanh", "relu", "leaky_relu" (ValueError
            otherwise).
        negative_slope: leaky_relu's slope for negative inputs (used by "leaky_relu" only).
        mode: "fan_in" or "fan_out" (ValueError otherwise).
        dtype: the result's dtype (float32 or float64).

    Returns:
        W of shape (fan_out, fan_in) and the given dtype.
    """
    bound = math.sqrt(3.0) * _he_std(fan_in, fan_out, nonlinearity, negative_slope, mode)
    return rng.uniform(-bound, bound, size=(fan_out, fan_in)).astype(dtype)


def he_normal(fan_in: int, fan_out: int, rng: np.random.Generator, nonlinearity: str = "relu",
              negative_slope: float = 0.0, mode: str = "fan_in",
              dtype: np.dtype = np.float64) -> np.ndarray:
    """He/Kaiming normal initialisation, as `torch.nn.init.kaiming_normal_`. Task 5-02.7.

        W_ij ~ N(0, std^2),   std = gain / sqrt(fan)
    with fan and gain as for `he_uniform`.

    Args and returns: as for `he_uniform`.
    """
    std = _he_std(fan_in, fan_out, nonlinearity, negative_slope, mode)
    return rng.normal(0.0, std, size=(fan_out, fan_in)).astype(dtype)


def _relu(z: np.ndarray) -> np.ndarray:
    return np.maximum(z, 0.0)


def _identity(z: np.ndarray) -> np.ndarray:
    return z


ACTIVATION_NAMES = ("relu", "tanh", "linear")


def layer_stds(x: np.ndarray, widths: list[int], activation: str, init,
               rng: np.random.Generator) -> list[float]:
    """Propagate a batch through a deep MLP and report each layer's activation scale.
    Task 5-02.8.

    For layers l = 1, ..., L = len(widths) - 1, in that order:
        W_l = init(widths[l-1], widths[l], rng)      (shape (widths[l], widths[l-1]); one call
                                                       per layer, in layer order, same rng)
        h_l = act(h_{l-1} @ W_l.T)                   (h_0 = x; biases are 0)
    with act = ReLU ("relu"), tanh ("tanh") or the identity ("linear"), applied after every
    layer, the last included. Report the population standard deviation (ddof = 0) of all entries
    of each h_l: the list [std(h_1), ..., std(h_L)].

    With He initialisation and ReLU the scale stays roughly constant with depth; a too-small
    initial scale makes it collapse towards 0 and a too-large one makes it explode.

    Args:
        x: (N, widths[0]) float64 batch.
        widths: layer sizes [input, hidden..., last], at least two entries.
        activation: "relu", "tanh" or "linear" (ValueError otherwise).
        init: a function init(fan_in, fan_out, rng) -> (fan_out, fan_in) array, such as
            `he_normal` or `xavier_uniform`.
        rng: the np.random.Generator handed to every init call.

    Returns:
        A list of L Python floats.
    """
    functions = {"relu": _relu, "tanh": np.tanh, "linear": _identity}
    if activation not in functions:
        raise ValueError(f"unknown activation {activation!r}; expected one of {ACTIVATION_NAMES}")
    act = functions[activation]
    h = np.asarray(x, dtype=np.float64)
    stds = []
    for fan_in, fan_out in itertools.pairwise(widths):
        h = act(h @ init(fan_in, fan_out, rng).T)
        stds.append(float(np.std(h)))
    return stds


def count_parameters(widths: list[int]) -> int:
    """The number of parameters of a fully connected network with these layer sizes.
    Task 5-02.9.

    Each layer l maps widths[l-1] inputs to widths[l] outputs with a weight matrix and a bias:
        total = sum over l of (widths[l-1] * widths[l] + widths[l])
    Example: [784, 256, 128, 10] -> 200960 + 32896 + 1290 = 235146. One width (no layer) gives 0,
    and so does [] (not checked).

    Returns:
        A Python int.
    """
    return int(sum(a * b + b for a, b in itertools.pairwise(widths)))


def count_module_parameters(module: nn.Module, trainable_only: bool = False) -> int:
    """The number of parameters of a torch module. Task 5-02.10.

    Count every entry of every distinct parameter in `module.parameters()` (a parameter shared by
    two layers counts once; buffers such as BatchNorm's running statistics are not parameters).
    Distinct means distinct Parameter objects (by identity), as `module.parameters()` yields each
    object once: two Parameter objects that share storage count twice (not checked).
    With trainable_only, count only parameters with requires_grad = True.

    Returns:
        A Python int.
    """
    return int(sum(p.numel() for p in module.parameters()
                   if p.requires_grad or not trainable_only))


MLP_ACTIVATIONS = ("relu", "tanh", "sigmoid", "gelu", "leaky_relu")


def build_mlp(widths: list[int], activation: str = "relu") -> nn.Sequential:
    """A fully connected network in PyTorch, e.g. for FashionMNIST. Task 5-02.11.

    For widths [d_0, d_1, ..., d_L] (L = len(widths) - 1 >= 1 layers; fewer than two widths
    raise ValueError, not checked) return
        nn.Sequential(nn.Linear(d_0, d_1), Act(), nn.Linear(d_1, d_2), Act(), ...,
                      nn.Linear(d_{L-1}, d_L))
    with a new activation module after every Linear layer except the last: the output layer
    gives raw scores (logits) for nn.CrossEntropyLoss. Act is nn.ReLU ("relu"), nn.Tanh
    ("tanh"), nn.Sigmoid ("sigmoid"), nn.GELU ("gelu") or nn.LeakyReLU ("leaky_relu", default
    slope); ValueError for any other name. Layers keep PyTorch's default initialisation and
    biases.

    Example: build_mlp([784, 256, 128, 10]) has the modules Linear, ReLU, Linear, ReLU, Linear and
    235146 parameters; on FashionMNIST feed it images flattened to (N, 784).

    Returns:
        The nn.Sequential; its forward maps (N, d_0) to (N, d_L).
    """
    modules = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "gelu": nn.GELU,
               "leaky_relu": nn.LeakyReLU}
    if activation not in modules:
        raise ValueError(f"unknown activation {activation!r}; expected one of {MLP_ACTIVATIONS}")
    if len(widths) < 2:
        raise ValueError(f"build_mlp needs at least two widths, got {widths}")
    layers: list[nn.Module] = []
    for index, (fan_in, fan_out) in enumerate(itertools.pairwise(widths)):
        layers.append(nn.Linear(fan_in, fan_out))
        if index < len(widths) - 2:
            layers.append(modules[activation]())
    return nn.Sequential(*layers)

