"""Public checks of topic 5-01 (two_layer_net): run them with `make check TOPIC=two_layer_net`.

Expected data come from PyTorch in float64 (the forward pass, the loss, and the gradients by
autograd), from the docstrings' worked examples, or from properties every correct answer has;
never from the reference solution. Probes hand the implementation NumPy arrays; the oracles below
wrap torch and run in the trusted process only. The network is the module docstring's:
z1 = X @ W1 + b1, h = tanh(z1), p = softmax(h @ W2 + b2). Each tolerance is written next to its
check with the error the reference measured. The inputs, probes, oracles and compares here are
shared with the hidden checks.
"""

from __future__ import annotations

import numpy as np
import torch

from autograder.runtime.check import CheckSet, ProbeError, literal, oracle
from autograder.runtime.compare import EXACT, Close, mean_within, require
from autograder.runtime.plain import to_plain
from autograder.runtime.probing import keyed, rng_normal, scalar
from autograder.runtime.variants import NUMPY_F64
from data.moons import make_moons

CHECKS = CheckSet("two_layer_net", "public")
KEYS = ("W1", "b1", "W2", "b2")
# float64 answers against float64 torch: the reference measured at most 8.9e-16 abs (forward,
# loss, gradients, grid coordinates); a real mistake is off by 1e-3 or more.
VALUES_F64 = Close(rtol=1e-10, atol=1e-12)  # measured 8.9e-16 abs (see above)
# The reference hyper-parameters (solutions' HIDDEN_SIZE, LEARNING_RATE, EPOCHS) and the accuracy
# they must reach on make_moons(500, noise 0.2): the reference measured 0.962 to 0.976 over data
# seeds 0-5 and initialisation seeds 0-3.
TRAIN_SETTINGS = {"hidden_size": 16, "lr": 1.0, "epochs": 1000}
MIN_ACCURACY = 0.95
ALPHA = 1e-6  # false-failure rate of each statistical check

HINTS = {
    "init_params": "W1 = rng.standard_normal((D, H)) * sqrt(1 / D), then W2 = "
                   "rng.standard_normal((H, C)) * sqrt(1 / H); biases zeros; only the rng given",
    "forward": "z1 = X @ W1 + b1, h = tanh(z1), z2 = h @ W2 + b2, p = softmax(z2) over axis 1, "
               "subtracting each row's maximum first",
    "cross_entropy": "-mean(log(p[arange(N), y])), with the picked probabilities clipped to "
                     "[1e-12, 1]",
    "backward": "dz2 = (p - onehot(y)) / N, dW2 = h.T @ dz2, db2 = dz2.sum(0), dz1 = (dz2 @ W2.T) "
                "* (1 - h^2), dW1 = X.T @ dz1, db1 = dz1.sum(0)",
    "sgd_step": "a new dict with param - lr * grad for every key; leave the inputs unchanged",
    "train": "init_params with default_rng(seed), then per epoch: forward, record the loss, "
             "backward, sgd_step",
    "predict": "argmax of the probabilities over the classes (axis 1), as int64",
    "decision_grid": "np.linspace for each axis, np.meshgrid(xs, ys) (indexing 'xy'), one "
                     "predict on the (steps * steps, 2) points, reshaped to (steps, steps)",
}


# ---- inputs and output helpers (shared with the hidden checks) --------------------------------

def network(d, h, c, seed, dtype=np.float64, scale=1.0):
    """Parameters with nonzero biases (a bias that is ignored shows), float32-representable."""
    return {"W1": rng_normal((d, h), seed, dtype, scale), "b1": rng_normal((h,), seed + 1, dtype),
            "W2": rng_normal((h, c), seed + 2, dtype, scale),
            "b2": rng_normal((c,), seed + 3, dtype)}


def labels(n, c, seed):
    """Integer labels covering every class when n >= c."""
    y = np.random.default_rng(seed).integers(0, c, n).astype(np.int64)
    y[:min(n, c)] = np.arange(min(n, c))
    return y


def tln_cache(params, X):  # noqa: N803
    """The forward cache built independently of the implementation, so `backward` is checked on
    its own: {"X", "z1", "h", "p"} as forward's docstring describes."""
    z1 = X @ params["W1"] + params["b1"]
    h = np.tanh(z1)
    z2 = h @ params["W2"] + params["b2"]
    e = np.exp(z2 - np.max(z2, axis=1, keepdims=True))
    return {"X": X, "z1": z1, "h": h, "p": e / np.sum(e, axis=1, keepdims=True)}


def moons(n, seed):
    """make_moons(n, noise=0.2, random_state=seed) as float64 points and int64 labels."""
    X, y = make_moons(n_samples=n, noise=0.2, random_state=seed)  # noqa: N806
    return X.astype(np.float64), y.astype(np.int64)


def array_of(value, function, what, dtype):
    """A returned array as float64 values, and whether it has the expected dtype."""
    if not isinstance(value, np.ndarray):
        raise ProbeError(f"{function}: {what} is {type(value).__name__}, expected a NumPy array")
    return {"values": to_plain(np.asarray(value, dtype=np.float64)),
            "kept_dtype": bool(value.dtype == dtype)}


def params_of(value, function, dtype):
    """A returned parameter (or gradient) dict as plain data."""
    value = keyed(value, KEYS, function)
    return {key: array_of(value[key], function, key, dtype) for key in KEYS}


def forward_probe(impl, params, X):  # noqa: N803
    out = impl.forward(params, X)
    if not isinstance(out, tuple) or len(out) != 2 or not isinstance(out[1], dict):
        raise ProbeError("forward must return a tuple (p, cache) with cache a dict")
    p, cache = out
    got = {"p": array_of(p, "forward", "p", X.dtype)}
    for key in ("z1", "h"):
        if key not in cache:
            raise ProbeError(f"forward's cache has no {key!r}")
        got[key] = array_of(cache[key], "forward", f"cache[{key!r}]", X.dtype)
    return got


def loss_probe(impl, p, y):
    return {"loss": scalar(impl.cross_entropy(p, y), "cross_entropy's result")}


def backward_probe(impl, params, X, y):  # noqa: N803
    return {"grads": params_of(impl.backward(params, tln_cache(params, X), y), "backward",
                               X.dtype)}


def labels_of(value, function, what):
    if not isinstance(value, np.ndarray):
        raise ProbeError(f"{function}: {what} is {type(value).__name__}, expected a NumPy array")
    return {"values": to_plain(value), "int64": bool(value.dtype == np.int64)}


def predict_probe(impl, params, X):  # noqa: N803
    return {"labels": labels_of(impl.predict(params, X), "predict", "the result")}


def grid_probe(impl, params, x_range, y_range, steps):
    out = impl.decision_grid(params, x_range, y_range, steps)
    if not isinstance(out, tuple) or len(out) != 3:
        raise ProbeError("decision_grid must return a tuple (xx, yy, labels)")
    xx, yy, grid_labels = out
    return {"xx": array_of(xx, "decision_grid", "xx", np.float64),
            "yy": array_of(yy, "decision_grid", "yy", np.float64),
            "labels": labels_of(grid_labels, "decision_grid", "labels")}


# ---- oracles: torch in float64, in the trusted process ----------------------------------------

def _torch_params(params, requires_grad=False):
    return {key: torch.tensor(np.array(value, dtype=np.float64), requires_grad=requires_grad)
            for key, value in params.items()}


def _torch_forward(t, X):  # noqa: N803
    z1 = torch.tensor(np.array(X, dtype=np.float64)) @ t["W1"] + t["b1"]
    h = torch.tanh(z1)
    return z1, h, torch.softmax(h @ t["W2"] + t["b2"], dim=1)


def _forward(params, X):  # noqa: N803
    z1, h, p = _torch_forward(_torch_params(params), X)
    return p.numpy(), {"z1": z1.numpy(), "h": h.numpy()}


def _cross_entropy(p, y):
    picked = torch.tensor(np.array(p, dtype=np.float64))[torch.arange(len(y)), torch.tensor(y)]
    return float(-torch.log(picked.clamp(1e-12, 1.0)).mean())


def _backward(params, cache, y):
    t = _torch_params(params, requires_grad=True)
    _, _, p = _torch_forward(t, cache["X"])
    loss = -torch.log(p[torch.arange(len(y)), torch.tensor(y)]).mean()
    grads = torch.autograd.grad(loss, [t[key] for key in KEYS])
    return {key: grad.numpy() for key, grad in zip(KEYS, grads, strict=True)}


def _sgd_step(params, grads, lr):
    return {key: np.array(params[key], dtype=np.float64) - lr * np.array(grads[key],
                                                                         dtype=np.float64)
            for key in params}


def _predict(params, X):  # noqa: N803
    return torch.argmax(_torch_forward(_torch_params(params), X)[2], dim=1).numpy()


def _decision_grid(params, x_range, y_range, steps):
    xs = torch.linspace(x_range[0], x_range[1], steps, dtype=torch.float64)
    ys = torch.linspace(y_range[0], y_range[1], steps, dtype=torch.float64)
    yy, xx = torch.meshgrid(ys, xs, indexing="ij")  # rows follow y, columns follow x
    points = torch.stack([xx.reshape(-1), yy.reshape(-1)], dim=1).numpy()
    return xx.numpy(), yy.numpy(), _predict(params, points).reshape(steps, steps)


def _untrained(X, y, hidden_size, lr, epochs, seed):  # noqa: N803
    """Zero parameters and losses: a train answer is judged by properties (the compare measures
    the accuracy of the returned parameters on the probe's data, in the trusted process), so the
    expected side only carries the data, in its "run" entry."""
    c = int(np.max(y)) + 1
    return ({"W1": np.zeros((X.shape[1], hidden_size)), "b1": np.zeros(hidden_size),
             "W2": np.zeros((hidden_size, c)), "b2": np.zeros(c)}, [0.0] * epochs)


TORCH = oracle("torch (float64; gradients by autograd)", forward=_forward,
               cross_entropy=_cross_entropy, backward=_backward, sgd_step=_sgd_step,
               predict=_predict, decision_grid=_decision_grid, train=_untrained)
# float64 answers against torch, value for value.
AGAINST_TORCH = CHECKS.defaults(expect=TORCH, compare=VALUES_F64, variants=NUMPY_F64)


# ---- shared compares ----------------------------------------------------------------------------

def accuracy(params, X, y):  # noqa: N803
    """The accuracy of returned parameters (plain data) on X, y, computed here."""
    values = {key: params[key]["values"] for key in KEYS}
    return float(np.mean(_predict(values, X) == y))


def trained_well(got: dict, want: dict) -> None:
    """A train answer: `epochs` finite losses that went down, and parameters of the right shapes
    that reach MIN_ACCURACY on the training data."""
    X, y, epochs = want["run"]["X"], want["run"]["y"], want["run"]["epochs"]  # noqa: N806
    losses = got["losses"]
    require(type(losses) is list and len(losses) == epochs,
            f"{len(losses) if type(losses) is list else 'no'} losses, expected one per epoch "
            f"({epochs})", "losses")
    require(all(type(v) is float and np.isfinite(v) for v in losses),
            "every loss must be a finite Python float", "losses")
    require(losses[-1] < losses[0], f"the loss did not decrease ({losses[0]:.4g} -> "
                                    f"{losses[-1]:.4g})", "losses")
    d, c = X.shape[1], int(y.max()) + 1
    shapes = {key: got["params"][key]["values"].shape for key in KEYS}
    require(shapes["W1"][0] == d and shapes["W2"][1] == c and shapes["b2"] == (c,),
            f"parameter shapes {shapes} do not fit {d} inputs and {c} classes", "params")
    acc = accuracy(got["params"], X, y)
    require(acc >= MIN_ACCURACY, f"training accuracy {acc:.3f}, expected at least "
                                 f"{MIN_ACCURACY}", "params")


def init_statistics(got: dict, d: int, h: int, c: int) -> None:
    """Shapes, float64, zero biases, reproducible, and weights with mean square 1 / fan-in."""
    first, again, other = got["first"], got["again"], got["other"]
    shapes = {"W1": (d, h), "b1": (h,), "W2": (h, c), "b2": (c,)}
    for key, shape in shapes.items():
        require(first[key]["values"].shape == shape,
                f"shape {first[key]['values'].shape}, expected {shape}", key)
        require(first[key]["kept_dtype"], "expected float64", key)
    for key in ("b1", "b2"):
        require(not np.any(first[key]["values"]), "biases start at zero", key)
    for key in KEYS:
        require(np.array_equal(first[key]["values"], again[key]["values"]),
                "two generators with the same seed gave different parameters", key)
    require(not np.array_equal(first["W1"]["values"], other["W1"]["values"]),
            "generators with different seeds gave the same W1: the generator was not used", "W1")
    for key, fan_in in (("W1", d), ("W2", h)):
        # w ~ N(0, 1 / fan_in): w^2 has mean 1 / fan_in and standard deviation sqrt(2) / fan_in
        mean_within(first[key]["values"] ** 2, 1.0 / fan_in, np.sqrt(2.0) / fan_in, ALPHA,
                    "mean of the squared weights", key)


def init_probe(impl, d, h, c, seeds=(0, 0, 1)):
    runs = [params_of(impl.init_params(d, h, c, np.random.default_rng(seed)), "init_params",
                      np.float64) for seed in seeds]
    return dict(zip(("first", "again", "other"), runs, strict=True))


# ---- init_params ---------------------------------------------------------------------------------

@CHECKS.add("init_params", compare=lambda got, _: init_statistics(got, 40, 50, 30),
            hint=HINTS["init_params"])
def shapes_scale_and_seed(impl, device):
    """D, H, C = 40, 50, 30: seeds 0, 0 and 1"""
    return init_probe(impl, 40, 50, 30)


# ---- forward ----------------------------------------------------------------------------------

@AGAINST_TORCH.add("forward", hint=HINTS["forward"])
def matches_torch(impl, device, dtype):
    """X (12, 2) {dtype}, H = 5, C = 3, nonzero biases"""
    return forward_probe(impl, network(2, 5, 3, 1, dtype), rng_normal((12, 2), 5, dtype))


# ---- cross_entropy ------------------------------------------------------------------------------

@CHECKS.add("cross_entropy", expect=literal({"loss": float(-(np.log(0.75) + np.log(0.5)) / 2)},
                                           "the docstring's example"),
            compare=VALUES_F64,  # measured 0
            hint="pick each row's probability of its true class, take -log and average")
def worked_example(impl, device):
    """p = [[0.25, 0.75], [0.5, 0.5]], y = [1, 0]"""
    return loss_probe(impl, np.array([[0.25, 0.75], [0.5, 0.5]]), np.array([1, 0]))


@AGAINST_TORCH.add("cross_entropy", name="matches_torch", hint=HINTS["cross_entropy"])
def cross_entropy_matches_torch(impl, device, dtype):
    """p (20, 4) {dtype}: a softmax of random logits"""
    return loss_probe(impl, tln_cache(network(3, 6, 4, 10, dtype),
                                      rng_normal((20, 3), 14, dtype))["p"], labels(20, 4, 15))


# ---- backward ---------------------------------------------------------------------------------

@AGAINST_TORCH.add("backward", hint=HINTS["backward"])
def matches_autograd(impl, device, dtype):
    """X (10, 2) {dtype}, H = 4, C = 3, cache computed by the checks"""
    return backward_probe(impl, network(2, 4, 3, 20), rng_normal((10, 2), 24, dtype),
                          labels(10, 3, 25))


# ---- sgd_step -----------------------------------------------------------------------------------

@CHECKS.add("sgd_step", expect=TORCH, compare=Close(rtol=1e-12, atol=1e-14),  # measured 0
            variants=NUMPY_F64, hint=HINTS["sgd_step"])
def matches_formula(impl, device, dtype):
    """parameters D, H, C = 3, 4, 2 {dtype}, lr = 0.1"""
    params, grads = network(3, 4, 2, 30, dtype), network(3, 4, 2, 34, dtype)
    return {"params": params_of(impl.sgd_step(params, grads, 0.1), "sgd_step", dtype)}


# ---- train --------------------------------------------------------------------------------------

@CHECKS.add("train", expect=TORCH, compare=lambda got, want: trained_well(got, want),
            hint="full-batch gradient descent: each epoch one forward on all of X, the loss, "
                 "backward and sgd_step; at least 0.95 training accuracy is expected")
def reaches_accuracy(impl, device):
    """make_moons(500, noise 0.2, random_state 0), the reference hyper-parameters (H = 16,
    lr = 1.0, 1000 epochs), seed 0"""
    X, y = moons(500, 0)  # noqa: N806
    params, losses = impl.train(X, y, seed=0, **TRAIN_SETTINGS)
    return {"params": params_of(params, "train", np.float64),
            "losses": [scalar(v, "a loss") for v in losses],
            "run": {"X": X, "y": y, "epochs": TRAIN_SETTINGS["epochs"]}}


# ---- predict ------------------------------------------------------------------------------------

@CHECKS.add("predict", expect=TORCH, compare=EXACT, variants=NUMPY_F64, hint=HINTS["predict"])
def matches_argmax(impl, device, dtype):
    """X (30, 2) {dtype}, H = 8, C = 3"""
    return predict_probe(impl, network(2, 8, 3, 40, dtype, 2.0), rng_normal((30, 2), 44, dtype))


# ---- decision_grid ------------------------------------------------------------------------------

@CHECKS.add("decision_grid", expect=TORCH, compare=VALUES_F64, hint=HINTS["decision_grid"])
def matches_meshgrid(impl, device):
    """x in [-1.5, 2.5], y in [-1, 1.5], 7 steps, H = 8, C = 2"""
    return grid_probe(impl, network(2, 8, 2, 50, np.float64, 2.0), (-1.5, 2.5), (-1.0, 1.5), 7)
