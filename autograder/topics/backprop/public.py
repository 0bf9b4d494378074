"""Public checks of topic 5-06 (backprop): run them with `make check TOPIC=backprop`.

Expected data come from PyTorch in float64 (layers, the loss and the MLP with gradients by
autograd, `torch.nn.utils.clip_grad_norm_`), from formulas (the initialisation, the relative
error, the preprocessing), from the docstrings' worked examples, or from properties every correct
answer has (vanishing gradients, training accuracy); never from the reference solution. Probes
hand the implementation NumPy arrays and call its classes; the oracles below stand in for those
classes with torch and run in the trusted process only. Each tolerance is written next to its
check with the error the reference measured. The inputs, probes, oracles and compares here are
shared with the hidden checks.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import torch
import torch.nn.functional as F

from autograder.runtime.check import CheckSet, ProbeError, literal, oracle
from autograder.runtime.compare import Close, mean_within, require
from autograder.runtime.plain import to_plain
from autograder.runtime.probing import array_out, floating_point_warnings, keyed, rng_normal, scalar
from autograder.runtime.variants import NUMPY_F32, NUMPY_F64
from data.fixtures import fashion_mnist_arrays

CHECKS = CheckSet("backprop", "public")
KEYS = ("W1", "b1", "W2", "b2", "W3", "b3")
# float64 answers against float64 torch: the reference measured at most 1.9e-15 abs on values of
# order 1 (layers, loss, MLP gradients), 3.3e-13 abs (1.4e-13 rel) on sums of 3000 products and
# 2.8e-13 abs on a norm of 400; a real mistake is off by 1e-3 or more.
VALUES_F64 = Close(rtol=1e-10, atol=1e-12)  # measured 1.9e-15 abs, 1.4e-13 rel (see above)
# Central differences with step 1e-4 on a mean cross-entropy against its autograd gradient: the
# reference measured 2.8e-11 abs (truncation eps^2 f'''/6 and rounding); a one-sided difference
# is off by about eps f''/2 ~ 1e-6.
NUMERICAL = Close(rtol=1e-6, atol=1e-8)  # measured 2.8e-11 abs (see above)
# The reference hyper-parameters of `train` (solutions' HIDDEN1, HIDDEN2, EPOCHS, BATCH_SIZE,
# LEARNING_RATE) and the test accuracy they must reach on the FashionMNIST-format fixture: the
# reference measured 1.000 over data seeds 0-5 and training seeds 0-5.
TRAIN_SETTINGS = {"hidden1": 64, "hidden2": 32, "epochs": 3, "batch_size": 32, "lr": 0.1}
MIN_ACCURACY = 0.95
ALPHA = 1e-6  # false-failure rate of each statistical check
# Vanishing gradients, measured on the reference: sigmoid norms increase layer by layer towards
# the output, norms[0] / norms[-1] = 1.1e-6 (the public check) and 6.4e-8 (hidden, depth 12);
# ReLU with He max / min = 9.1 (public) and 5.4 (hidden). Over 20 other seeds (x (64, 32), depth
# 10, width 64): sigmoid 8.4e-7 to 3.1e-6, ReLU 1.6 to 6.0.
SIGMOID_MAX_RATIO = 1e-4
RELU_MAX_SPREAD = 30.0

HINTS = {
    "Linear": "forward: x @ W + b, keeping x; backward: dW = x.T @ grad_out, db = "
              "grad_out.sum(axis=0), return grad_out @ W.T; He init std sqrt(2 / in_features)",
    "ReLU": "forward max(x, 0), keeping where x > 0; backward grad_out * (x > 0): 0 where "
            "x <= 0, at exactly 0 too",
    "Sigmoid": "keep the output s; backward grad_out * s * (1 - s), with the output, not the "
               "input",
    "Tanh": "keep the output t = tanh(x); backward grad_out * (1 - t^2), with the output, not "
            "the input",
    "SoftmaxCrossEntropy": "forward: mean over the batch of logsumexp(z) - z[label], after "
                           "subtracting each row's maximum; backward: (softmax(z) - onehot) / N",
    "MLP": "Linear, ReLU, Linear, ReLU, Linear; forward through the layers in order, backward "
           "in reverse; parameters() returns the layers' own arrays",
    "numerical_gradient": "(f(x + eps e_i) - f(x - eps e_i)) / (2 eps) for every index i "
                          "(np.ndindex), perturbing x in place and putting the saved value back",
    "gradient_check": "max over entries of |a - n| / max(|a| + |n|, floor)",
    "clip_grad_norm": "one global norm over every array; if max_norm / (norm + 1e-6) < 1 "
                      "multiply every array in place by it; return the norm before clipping",
    "layer_gradient_norms": "depth Linear + activation pairs then an output Linear, He init for "
                            "relu and Xavier for sigmoid and tanh; one forward and backward; the "
                            "Frobenius norm of each hidden dW, input side first",
    "preprocess": "images.reshape(N, 784) as float64, divided by 255",
    "train": "preprocess, MLP from default_rng(seed), then per epoch rng.permutation(N) and "
             "batches of batch_size: loss_and_backward, then p -= lr * grad for every parameter",
}


# ---- inputs and output helpers (shared with the hidden checks) --------------------------------

def labels(n, c, seed):
    """Integer labels covering every class when n >= c."""
    y = np.random.default_rng(seed).integers(0, c, n).astype(np.int64)
    y[:min(n, c)] = np.arange(min(n, c))
    return y


def away_from_zero(shape, seed, dtype=np.float64, margin=0.1):
    """Values at least `margin` from 0 (ReLU's kink): sign times (margin + |N(0, 1)|)."""
    x = rng_normal(shape, seed, dtype)
    return (np.sign(x) * (margin + np.abs(x))).astype(dtype)


def mlp_params(sizes, seed, dtype=np.float64, bias_scale=0.1):
    """MLP parameters for layer sizes (D, H1, H2, C): He-scaled weights and small nonzero biases
    (a bias that is ignored shows), float32-representable."""
    params = {}
    for k, (fan_in, fan_out) in enumerate(itertools.pairwise(sizes), start=1):
        params[f"W{k}"] = rng_normal((fan_in, fan_out), seed + k, dtype, math.sqrt(2.0 / fan_in))
        params[f"b{k}"] = rng_normal((fan_out,), seed + 10 + k, dtype, bias_scale)
    return params


def values_of(value, what):
    """A returned array as float64 values."""
    if not isinstance(value, np.ndarray):
        raise ProbeError(f"{what} is {type(value).__name__}, expected a NumPy array")
    return to_plain(np.asarray(value, dtype=np.float64))


def named_arrays(value, what):
    """A returned parameter or gradient dict ({"W1", ..., "b3"}) as float64 values."""
    value = keyed(value, KEYS, what)
    return {key: values_of(value[key], f"{what}[{key!r}]") for key in KEYS}


def linear_probe(impl, x, W, b, grad_out):  # noqa: N803
    """Linear's forward and backward with the given parameters (assigned to layer.W, layer.b)."""
    layer = impl.Linear(W.shape[0], W.shape[1], np.random.default_rng(0))
    layer.W, layer.b = W.copy(), b.copy()
    y = layer.forward(x)
    dx = layer.backward(grad_out)
    return {"y": array_out(y, "Linear.forward", grad_out), "dx": array_out(dx, "Linear.backward",
                                                                         x),
            "dW": array_out(layer.dW, "Linear.backward's self.dW", W),
            "db": array_out(layer.db, "Linear.backward's self.db", b)}


def layer_probe(impl, name, x, grad_out):
    """An activation layer's forward and backward."""
    layer = getattr(impl, name)()
    y = layer.forward(x)
    return {"y": array_out(y, f"{name}.forward", x),
            "dx": array_out(layer.backward(grad_out), f"{name}.backward", x)}


def loss_probe(impl, logits, y):
    loss_fn = impl.SoftmaxCrossEntropy()
    loss = scalar(loss_fn.forward(logits, y), "SoftmaxCrossEntropy.forward's result")
    return {"loss": loss, "grad": array_out(loss_fn.backward(), "SoftmaxCrossEntropy.backward",
                                            logits)}


def new_mlp(impl, params):
    """impl.MLP with the sizes of `params`, its parameters overwritten in place with them."""
    d, h1 = params["W1"].shape
    model = impl.MLP(d, h1, params["W2"].shape[1], params["W3"].shape[1],
                     np.random.default_rng(0))
    live = model.parameters()
    if not isinstance(live, dict) or any(key not in live for key in KEYS):
        raise ProbeError(f"MLP.parameters() must return a dict with keys {list(KEYS)}")
    for key in KEYS:
        if not isinstance(live[key], np.ndarray) or live[key].shape != params[key].shape:
            raise ProbeError(f"MLP.parameters()[{key!r}] must be the layer's own array of shape "
                             f"{params[key].shape}")
        live[key][...] = params[key]
    return model


def mlp_probe(impl, params, x, y, grad_logits):
    """forward, backward(grad_logits), loss_and_backward and predict of an MLP with the given
    parameters."""
    model = new_mlp(impl, params)
    logits = model.forward(x)
    dx = model.backward(grad_logits)
    from_backward = named_arrays(model.gradients(), "MLP.gradients()")
    loss = scalar(model.loss_and_backward(x, y), "MLP.loss_and_backward's result")
    predicted = model.predict(x)
    if not isinstance(predicted, np.ndarray):
        raise ProbeError(f"MLP.predict returned {type(predicted).__name__}, expected an array")
    return {"logits": values_of(logits, "MLP.forward's result"),
            "dx": values_of(dx, "MLP.backward's result"), "grads_of_backward": from_backward,
            "loss": loss, "grads": named_arrays(model.gradients(), "MLP.gradients()"),
            "predict": to_plain(predicted)}


def ce_of(z, y):
    """The mean cross-entropy of logits z (a function for numerical_gradient, in NumPy)."""
    shifted = z - np.max(z, axis=1, keepdims=True)
    return float(np.mean(np.log(np.sum(np.exp(shifted), axis=1))
                         - shifted[np.arange(z.shape[0]), y]))


def relative_error_probe(impl, analytic, numeric, **floor):
    return {"error": scalar(impl.gradient_check(analytic, numeric, **floor),
                            "gradient_check's result")}


def clip_probe(impl, grads, max_norm):
    """clip_grad_norm on copies of `grads`: the returned norm and the arrays after the call."""
    arrays = [g.copy() for g in grads]
    total = scalar(impl.clip_grad_norm(arrays, max_norm), "clip_grad_norm's result")
    return {"total": total, "grads": [array_out(g, "clip_grad_norm", g0)
                                      for g, g0 in zip(arrays, grads, strict=True)]}


def gradient_set(shapes, seed, scale=1.0, dtype=np.float64):
    return [rng_normal(shape, seed + k, dtype, scale) for k, shape in enumerate(shapes)]


def norms_probe(impl, activation, n, d, seed, **sizes):
    """layer_gradient_norms on x (n, d) ~ N(0, 1) and labels, with default_rng(seed)."""
    x = rng_normal((n, d), seed)
    norms = impl.layer_gradient_norms(x, labels(n, sizes.get("num_classes", 10), seed + 1),
                                      activation, np.random.default_rng(seed + 2), **sizes)
    if not isinstance(norms, list):
        raise ProbeError(f"layer_gradient_norms returned {type(norms).__name__}, expected a "
                         "list of floats")
    return [scalar(v, "a gradient norm") for v in norms]


def preprocess_probe(impl, images):
    x = impl.preprocess(images)
    if not isinstance(x, np.ndarray):
        raise ProbeError(f"preprocess returned {type(x).__name__}, expected a NumPy array")
    return {"x": to_plain(x.astype(np.float64)), "float64": bool(x.dtype == np.float64)}


def train_probe(impl, n_train, n_test, data_seed, seed, settings):
    """train on the fixture's training split; the trained parameters, the losses, and (on the
    expected side) the test split and the number of steps for the compare."""
    images, targets, test_images, test_labels = fashion_mnist_arrays(n_train, n_test, data_seed)
    out = impl.train(images, targets, seed=seed, **settings)
    if not isinstance(out, tuple) or len(out) != 2:
        raise ProbeError("train must return a tuple (model, losses)")
    model, losses = out
    if not isinstance(losses, list):
        raise ProbeError(f"train's losses are a {type(losses).__name__}, expected a list")
    steps = settings["epochs"] * -(-n_train // settings["batch_size"])
    return {"params": named_arrays(model.parameters(), "the trained model's parameters()"),
            "losses": [scalar(v, "a loss") for v in losses],
            "run": {"images": test_images, "labels": test_labels, "steps": steps}}


# ---- oracles: torch in float64 (gradients by autograd), in the trusted process ------------------

def _tensor(x, requires_grad=False):
    return torch.tensor(np.array(x, dtype=np.float64), requires_grad=requires_grad)


def _he_draw(rng, fan_in, fan_out, init="he"):
    """The initialisation formula: one standard_normal call times the scheme's std."""
    std = {"he": math.sqrt(2.0 / fan_in), "xavier": math.sqrt(2.0 / (fan_in + fan_out))}[init]
    return rng.standard_normal((fan_in, fan_out)) * std


class _TorchLinear:
    """Linear as torch computes it: y = x @ W + b, gradients by autograd."""

    def __init__(self, in_features, out_features, rng, init="he"):
        self.W, self.b = _he_draw(rng, in_features, out_features, init), np.zeros(out_features)
        self.dW = self.db = None

    def forward(self, x):
        self._t = [_tensor(x, True), _tensor(self.W, True), _tensor(self.b, True)]
        self._y = self._t[0] @ self._t[1] + self._t[2]
        return self._y.detach().numpy()

    def backward(self, grad_out):
        dx, self.dW, self.db = (g.numpy() for g in torch.autograd.grad(self._y, self._t,
                                                                      _tensor(grad_out)))
        return dx


class _TorchLayer:
    """An elementwise layer as torch computes it, its backward by autograd."""

    def __init__(self, function):
        self.function = function

    def forward(self, x):
        self._x = _tensor(x, True)
        self._y = self.function(self._x)
        return self._y.detach().numpy()

    def backward(self, grad_out):
        return torch.autograd.grad(self._y, self._x, _tensor(grad_out))[0].numpy()


class _TorchCrossEntropy:
    """F.cross_entropy (mean over the batch), its gradient by autograd."""

    def forward(self, logits, y):
        self._z = _tensor(logits, True)
        self._loss = F.cross_entropy(self._z, torch.tensor(np.asarray(y, dtype=np.int64)))
        return float(self._loss.detach())

    def backward(self):
        return torch.autograd.grad(self._loss, self._z)[0].numpy()


class _TorchMLP:
    """The MLP of the docstring in torch: He-initialised by the formula, ReLU between the three
    linear maps, gradients by autograd; parameters() are live NumPy arrays as the exercise's."""

    def __init__(self, in_features, hidden1, hidden2, out_features, rng):
        self.params, self.grads = {}, {}
        sizes = (in_features, hidden1, hidden2, out_features)
        for k, (fan_in, fan_out) in enumerate(itertools.pairwise(sizes), start=1):
            self.params[f"W{k}"] = _he_draw(rng, fan_in, fan_out)
            self.params[f"b{k}"] = np.zeros(fan_out)

    def _run(self, x):
        t = {key: _tensor(value, True) for key, value in self.params.items()}
        xt = _tensor(x, True)
        h = xt
        for k in (1, 2, 3):
            h = h @ t[f"W{k}"] + t[f"b{k}"]
            h = torch.relu(h) if k < 3 else h
        return t, xt, h

    def _grads(self, output, inputs, grad):
        return torch.autograd.grad(output, [inputs, *self._t.values()], grad)

    def forward(self, x):
        self._t, self._x, self._logits = self._run(x)
        return self._logits.detach().numpy()

    def backward(self, grad_logits):
        dx, *grads = self._grads(self._logits, self._x, _tensor(grad_logits))
        self.grads = {key: g.numpy() for key, g in zip(KEYS, grads, strict=True)}
        return dx.numpy()

    def loss_and_backward(self, x, y):
        self._t, self._x, logits = self._run(x)
        loss = F.cross_entropy(logits, torch.tensor(np.asarray(y, dtype=np.int64)))
        _, *grads = self._grads(loss, self._x, None)
        self.grads = {key: g.numpy() for key, g in zip(KEYS, grads, strict=True)}
        return float(loss.detach())

    def parameters(self):
        return self.params

    def gradients(self):
        return self.grads

    def predict(self, x):
        return torch.argmax(self._run(x)[2], dim=1).numpy()


def _gradient_check(analytic, numeric, floor=1e-8):
    a, n = _tensor(analytic), _tensor(numeric)
    return float(((a - n).abs() / (a.abs() + n.abs()).clamp(min=floor)).max())


def _clip_grad_norm(grads, max_norm):
    """torch.nn.utils.clip_grad_norm_ on parameters holding these gradients (in place, as the
    exercise's)."""
    params = []
    for g in grads:
        p = torch.nn.Parameter(torch.zeros(g.shape, dtype=torch.float64))
        p.grad = torch.from_numpy(g)  # shares memory: clipping writes into the arrays
        params.append(p)
    return float(torch.nn.utils.clip_grad_norm_(params, max_norm))


def _preprocess(images):
    t = torch.from_numpy(np.ascontiguousarray(images))
    return (t.reshape(t.shape[0], -1).to(torch.float64) / 255.0).numpy()


def _untrained(images, targets, seed, hidden1, hidden2, epochs, batch_size, lr):
    """A model of the right sizes and no losses: a train answer is judged by properties (the
    compare measures the test accuracy of the returned parameters in the trusted process), so the
    expected side only carries the data, in its "run" entry."""
    return _TorchMLP(784, hidden1, hidden2, 10, np.random.default_rng(seed)), []


TORCH = oracle("torch (float64; gradients by autograd; clip_grad_norm_)",
               Linear=_TorchLinear, ReLU=lambda: _TorchLayer(torch.relu),
               Sigmoid=lambda: _TorchLayer(torch.sigmoid), Tanh=lambda: _TorchLayer(torch.tanh),
               SoftmaxCrossEntropy=_TorchCrossEntropy, MLP=_TorchMLP,
               gradient_check=_gradient_check, clip_grad_norm=_clip_grad_norm,
               preprocess=_preprocess, train=_untrained)


def _ce_autograd(f, z, eps):
    """What numerical_gradient(ce_of(., y)) approximates: the cross-entropy's autograd gradient
    (the labels are the probe's, CE_LABELS)."""
    t = _tensor(z, True)
    loss = F.cross_entropy(t, torch.tensor(CE_LABELS))
    return torch.autograd.grad(loss, t)[0].numpy()


CE_LABELS = (2, 0, 1, 1, 3, 0)
CE_AUTOGRAD = oracle("torch autograd of the same cross-entropy", numerical_gradient=_ce_autograd)


# ---- shared compares ----------------------------------------------------------------------------

def with_warnings(probe, *args):
    """A probe's data with the NumPy floating-point warnings raised while it ran."""
    got, warned = floating_point_warnings(probe, *args)
    return {**got, "warnings": warned}


def accuracy_on_test_split(params: dict, images: np.ndarray, targets: np.ndarray) -> float:
    """The accuracy of returned MLP parameters (plain data) on a test split, computed here."""
    model = _TorchMLP(1, 1, 1, 1, np.random.default_rng(0))
    model.params = params
    return float(np.mean(model.predict(_preprocess(images)) == targets))


def trained_well(got: dict, want: dict) -> None:
    """A train answer: one finite loss per step, a lower loss at the end, and parameters of the
    MLP's shapes that reach MIN_ACCURACY on the test split."""
    run = want["run"]
    losses = got["losses"]
    require(len(losses) == run["steps"], f"{len(losses)} losses, expected one per step "
                                         f"({run['steps']})", "losses")
    require(all(type(v) is float and np.isfinite(v) for v in losses),
            "every loss must be a finite Python float", "losses")
    require(np.mean(losses[-5:]) < np.mean(losses[:5]),
            "the loss did not decrease from the first steps to the last", "losses")
    shapes = {key: got["params"][key].shape for key in KEYS}
    expected = {key: value.shape for key, value in want["params"].items()}
    require(shapes == expected, f"parameter shapes {shapes}, expected {expected}", "params")
    acc = accuracy_on_test_split(got["params"], run["images"], run["labels"])
    require(acc >= MIN_ACCURACY, f"test accuracy {acc:.3f}, expected at least {MIN_ACCURACY}",
            "params")


def he_statistics(got: dict, fan_in: int, fan_out: int) -> None:
    """Shapes, zero biases, reproducible from the seed, and weights with mean square 2 / fan_in."""
    first, again, other = got["first"], got["again"], got["other"]
    require(first["W"].shape == (fan_in, fan_out),
            f"W has shape {first['W'].shape}, expected {(fan_in, fan_out)}", "W")
    require(first["b"].shape == (fan_out,) and not np.any(first["b"]),
            f"b must be zeros of shape {(fan_out,)}", "b")
    require(np.array_equal(first["W"], again["W"]),
            "two generators with the same seed gave different weights", "W")
    require(not np.array_equal(first["W"], other["W"]),
            "generators with different seeds gave the same weights: the generator was not used",
            "W")
    # w ~ N(0, 2 / fan_in): w^2 has mean 2 / fan_in and standard deviation 2 sqrt(2) / fan_in
    mean_within(first["W"] ** 2, 2.0 / fan_in, 2.0 * math.sqrt(2.0) / fan_in, ALPHA,
                "mean of the squared weights", "W")


def init_probe(impl, fan_in, fan_out, seeds=(0, 0, 1), **init):
    runs = []
    for seed in seeds:
        layer = impl.Linear(fan_in, fan_out, np.random.default_rng(seed), **init)
        runs.append({"W": values_of(layer.W, "Linear's W"), "b": values_of(layer.b, "Linear's b")})
    return dict(zip(("first", "again", "other"), runs, strict=True))


def vanishing(got: dict, depth: int) -> None:
    """Sigmoid norms grow layer by layer towards the output, by far; ReLU + He norms stay of one
    order of magnitude (each judged where the probe ran that activation)."""
    for name, norms in got.items():
        norms = np.array(norms)
        require(norms.size == depth, f"{norms.size} norms, expected one per hidden layer "
                                     f"({depth})", name)
        require(bool(np.all(np.isfinite(norms)) and np.all(norms > 0)),
                "every norm must be finite and positive", name)
    if "sigmoid" in got:
        sigmoid = np.array(got["sigmoid"])
        require(bool(np.all(np.diff(sigmoid) > 0))
                and sigmoid[0] < SIGMOID_MAX_RATIO * sigmoid[-1],
                f"sigmoid norms from the input side {sigmoid[0]:.3g} to the output side "
                f"{sigmoid[-1]:.3g}: they must grow layer by layer towards the output, the first "
                f"below {SIGMOID_MAX_RATIO:g} times the last (sigmoid' <= 1/4 at every layer)",
                "sigmoid")
    if "relu" in got:
        relu = np.array(got["relu"])
        require(relu.max() < RELU_MAX_SPREAD * relu.min(),
                f"relu norms range from {relu.min():.3g} to {relu.max():.3g}: with He "
                f"initialisation they stay within a factor {RELU_MAX_SPREAD:g}", "relu")


# ---- Linear -------------------------------------------------------------------------------------

# Each layer, the loss and the MLP against torch autograd, in float64.
AUTOGRAD = CHECKS.defaults(expect=TORCH, compare=VALUES_F64, variants=NUMPY_F64)


@AUTOGRAD.add("Linear", hint=HINTS["Linear"])
def matches_autograd(impl, device, dtype):
    """x (6, 4) {dtype}, W (4, 3), b (3,) set on the layer, grad_out (6, 3)"""
    return linear_probe(impl, rng_normal((6, 4), 1, dtype), rng_normal((4, 3), 2, dtype),
                        rng_normal((3,), 3, dtype), rng_normal((6, 3), 4, dtype))


@CHECKS.add("Linear", compare=lambda got, _: he_statistics(got, 400, 300),
            hint="W = rng.standard_normal((in_features, out_features)) * sqrt(2 / in_features), "
                 "b = zeros(out_features), only the rng given")
def he_init_scale(impl, device):
    """Linear(400, 300, default_rng(seed)): seeds 0, 0 and 1"""
    return init_probe(impl, 400, 300)


# ---- ReLU, Sigmoid, Tanh ------------------------------------------------------------------------

@AUTOGRAD.add("ReLU", hint=HINTS["ReLU"])
def matches_autograd_away_from_kinks(impl, device, dtype):
    """x (5, 7) {dtype} at least 0.1 away from 0, grad_out (5, 7)"""
    return layer_probe(impl, "ReLU", away_from_zero((5, 7), 10, dtype),
                       rng_normal((5, 7), 11, dtype))


@AUTOGRAD.add("Sigmoid", name="matches_autograd", hint=HINTS["Sigmoid"])
def sigmoid_matches_autograd(impl, device, dtype):
    """x (5, 7) {dtype} ~ N(0, 9), grad_out (5, 7)"""
    return layer_probe(impl, "Sigmoid", rng_normal((5, 7), 20, dtype, 3.0),
                       rng_normal((5, 7), 21, dtype))


@AUTOGRAD.add("Tanh", name="matches_autograd", hint=HINTS["Tanh"])
def tanh_matches_autograd(impl, device, dtype):
    """x (5, 7) {dtype} ~ N(0, 4), grad_out (5, 7)"""
    return layer_probe(impl, "Tanh", rng_normal((5, 7), 30, dtype, 2.0),
                       rng_normal((5, 7), 31, dtype))


# ---- SoftmaxCrossEntropy ------------------------------------------------------------------------

@CHECKS.add("SoftmaxCrossEntropy",
            expect=literal({"loss": float((math.log(2.0) + math.log(4.0 / 3.0)) / 2)},
                           "the docstring's example"),
            compare=VALUES_F64,  # measured 0
            hint="each row: log(sum(exp(z))) - z[label]; then the mean over the rows")
def worked_example(impl, device):
    """logits [[0, 0], [0, ln 3]], labels [0, 1]"""
    loss_fn = impl.SoftmaxCrossEntropy()
    logits = np.array([[0.0, 0.0], [0.0, math.log(3.0)]])
    return {"loss": scalar(loss_fn.forward(logits, np.array([0, 1])),
                           "SoftmaxCrossEntropy.forward's result")}


@AUTOGRAD.add("SoftmaxCrossEntropy", name="matches_autograd", hint=HINTS["SoftmaxCrossEntropy"])
def softmax_ce_matches_autograd(impl, device, dtype):
    """logits (8, 5) {dtype} ~ N(0, 4), labels (8,)"""
    return loss_probe(impl, rng_normal((8, 5), 40, dtype, 2.0), labels(8, 5, 41))


# ---- MLP ----------------------------------------------------------------------------------------

@AUTOGRAD.add("MLP", name="matches_autograd", hint=HINTS["MLP"])
def mlp_matches_autograd(impl, device, dtype):
    """MLP(6, 5, 4, 3) with given parameters (overwritten through parameters()), x (8, 6)
    {dtype}, labels (8,), grad_logits (8, 3)"""
    return mlp_probe(impl, mlp_params((6, 5, 4, 3), 50, dtype), rng_normal((8, 6), 56, dtype),
                     labels(8, 3, 57), rng_normal((8, 3), 58, dtype))


# ---- numerical_gradient -------------------------------------------------------------------------

@CHECKS.add("numerical_gradient", expect=CE_AUTOGRAD, compare=NUMERICAL,
            hint=HINTS["numerical_gradient"])
def matches_autograd_of_cross_entropy(impl, device):
    """f = the mean cross-entropy of logits z (6, 4) float64 with fixed labels, eps = 1e-4"""
    y = np.array(CE_LABELS)
    z = rng_normal((6, 4), 60)
    return {"grad": array_out(impl.numerical_gradient(lambda v: ce_of(v, y), z, 1e-4),
                              "numerical_gradient", z)}


# ---- gradient_check -----------------------------------------------------------------------------

@CHECKS.add("gradient_check", expect=literal({"error": 1.0 / 3.0}, "the docstring's example"),
            compare=VALUES_F64,  # measured 0
            name="worked_example", hint=HINTS["gradient_check"])
def gradient_check_worked_example(impl, device):
    """analytic [1, 0, 2], numeric [1, 0, 1]"""
    return relative_error_probe(impl, np.array([1.0, 0.0, 2.0]), np.array([1.0, 0.0, 1.0]))


# ---- clip_grad_norm -----------------------------------------------------------------------------

@CHECKS.add("clip_grad_norm", expect=TORCH, compare=VALUES_F64, hint=HINTS["clip_grad_norm"])
def matches_torch_clip_grad_norm(impl, device):
    """3 arrays (4, 3), (3,), (2, 5) float64 of total norm about 5, max_norm 1.0"""
    return clip_probe(impl, gradient_set([(4, 3), (3,), (2, 5)], 70), 1.0)


# float32 arrays against float64 torch: measured 2.5e-8 abs; a real mistake is off by 1e-2.
@CHECKS.add("clip_grad_norm", expect=TORCH, compare=Close(rtol=1e-4, atol=1e-5),  # measured 2.5e-8
            variants=NUMPY_F32,
            hint="scale each array in place (g *= factor): it keeps its dtype; the norm returned "
                 "is a Python float")
def float32_arrays_stay_float32(impl, device, dtype):
    """2 arrays (5, 4), (4,) {dtype} of total norm about 10, max_norm 2.0"""
    return clip_probe(impl, gradient_set([(5, 4), (4,)], 75, 2.0, dtype), 2.0)


# ---- layer_gradient_norms -----------------------------------------------------------------------

@CHECKS.add("layer_gradient_norms", compare=lambda got, _: vanishing(got, 10),
            hint="sigmoid stacks lose a factor of about 4 or more per layer going backwards; "
                 "ReLU with He keeps the scale. " + HINTS["layer_gradient_norms"])
def sigmoid_vanishes_relu_does_not(impl, device):
    """x (64, 32) ~ N(0, 1), 10 labels, depth 10, width 64: sigmoid and relu"""
    return {"sigmoid": norms_probe(impl, "sigmoid", 64, 32, 80),
            "relu": norms_probe(impl, "relu", 64, 32, 80)}


# ---- preprocess ---------------------------------------------------------------------------------

@CHECKS.add("preprocess", expect=TORCH, compare=VALUES_F64,  # measured 0
            hint=HINTS["preprocess"])
def matches_formula(impl, device):
    """5 fixture images (5, 28, 28) uint8"""
    return preprocess_probe(impl, fashion_mnist_arrays(5, 1, 0)[0])


# ---- train --------------------------------------------------------------------------------------

@CHECKS.add("train", expect=TORCH, compare=lambda got, want: trained_well(got, want),
            hint="mini-batch SGD: per epoch one rng.permutation, then for each batch "
                 "loss_and_backward and p -= lr * grad; at least 0.95 test accuracy is expected")
def reaches_accuracy(impl, device):
    """fashion_mnist_arrays(600, 300, seed 0): the reference hyper-parameters (hidden 64 and 32,
    3 epochs, batches of 32, lr 0.1), seed 0; accuracy on the test split"""
    return train_probe(impl, 600, 300, 0, 0, TRAIN_SETTINGS)
