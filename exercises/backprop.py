# Student stub generated from the reference solution by `python -m autograder stubs`.
# Replace each `raise NotImplementedError(...)` with your implementation.
"""Topic 5-06: backpropagation for a 3-layer NumPy MLP.

Layers as classes with a forward pass (which keeps what the backward pass needs) and a backward
pass (which returns the gradient with respect to the layer's input and stores the gradients of its
parameters), a fused softmax cross-entropy, a 3-layer MLP composed of them, gradient checking with
central finite differences, global-norm gradient clipping as torch.nn.utils.clip_grad_norm_, the
per-layer gradient norms of a deep stack (vanishing gradients), and mini-batch SGD on
FashionMNIST-format data.

Conventions for everything here:
- NumPy only (no torch, no autograd): you derive and write every gradient yourself.
- Batches are row-major: x has shape (N, D), one sample per row; labels are integers in
  {0, ..., C - 1} of shape (N,).
- A Linear layer holds W of shape (in_features, out_features) and b of shape (out_features,) and
  computes y = x @ W + b (as in topic 5-01; torch's nn.Linear stores the transpose of this W).
- `forward(x)` stores what `backward` needs on the layer itself (self). `backward(grad_out)`
  takes dL/dy, the gradient of a scalar loss L with respect to the layer's output, of the
  output's shape, and returns dL/dx, of the input's shape. A Linear layer's backward also stores
  dL/dW and dL/db in `self.dW` and `self.db`, overwriting the previous ones (gradients are not
  accumulated across calls). Every backward uses the input of the latest forward.
- dtypes follow NumPy's promotion of the inputs and the parameters: float64 throughout this topic
  (He-initialised parameters are float64); float32 x, W and b give float32 results. Mixed dtypes
  (float32 x with float64 W and b) simply follow NumPy's promotion (y is float64); no check mixes
  them: each check gives x, W, b and grad_out one dtype.
- All randomness comes from the np.random.Generator you are given (or that `train` makes from its
  seed), never from the global np.random state.
"""

from __future__ import annotations

import math

import numpy as np

from data.progress import progress_bar

# Initialisation schemes of `Linear` (the weights' standard deviation as a function of the fans).
INIT_NAMES = ("he", "xavier")
ACTIVATION_NAMES = ("relu", "sigmoid", "tanh")
GRADIENT_CHECK_FLOOR = 1e-8  # the denominator's floor in `gradient_check`
CLIP_EPS = 1e-6  # torch.nn.utils.clip_grad_norm_ divides by total_norm + 1e-6
N_PIXELS = 28 * 28
N_CLASSES = 10
# The reference hyper-parameters of `train`: with them the reference reaches 1.000 test accuracy
# on data.fixtures.fashion_mnist_arrays(600, 300, seed) for seeds 0-5 in about 0.1 s; the checks
# require at least 0.95.
HIDDEN1 = 64
HIDDEN2 = 32
EPOCHS = 3
BATCH_SIZE = 32
LEARNING_RATE = 0.1



class Linear:
    """A fully connected layer y = x @ W + b. Task 5-06.1.

    Attributes:
        W: (in_features, out_features) weights; b: (out_features,) biases.
        dW, db: dL/dW and dL/db from the latest `backward` (None before the first one).
    """

    def __init__(self, in_features: int, out_features: int, rng: np.random.Generator,
                 init: str = "he"):
        """Draw the weights with one call of `rng.standard_normal((in_features, out_features))`
        times the scheme's standard deviation; biases start at zero (float64):

            "he"     (He/Kaiming normal, for ReLU):        std = sqrt(2 / in_features)
            "xavier" (Glorot normal, for sigmoid, tanh):   std = sqrt(2 / (in_features +
                                                                   out_features))

        Set dW = db = None. Raise ValueError for another init name (before drawing anything).
        Use only `rng`, never np.random.randn or the global state.
        """
        raise NotImplementedError("backprop.Linear.__init__ is not implemented yet")

    def forward(self, x: np.ndarray) -> np.ndarray:
        """y = x @ W + b for x of shape (N, in_features); returns (N, out_features). Keep x for
        `backward`: a reference (self._x = x) is enough, a copy also passes (no check changes x
        between forward and backward)."""
        raise NotImplementedError("backprop.Linear.forward is not implemented yet")

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        """Given grad_out = dL/dy of shape (N, out_features), store

            self.dW = x.T @ grad_out           (in_features, out_features)
            self.db = grad_out summed over the batch (axis 0)    (out_features,)

        (each summed over the N samples, never averaged: a mean loss already put its 1 / N in
        grad_out) and return dL/dx = grad_out @ W.T of shape (N, in_features)."""
        raise NotImplementedError("backprop.Linear.backward is not implemented yet")


class ReLU:
    """The rectified linear unit, elementwise on any shape. Task 5-06.2."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        """y = max(x, 0), of x's shape and dtype. Keep what `backward` needs (where x > 0)."""
        raise NotImplementedError("backprop.ReLU.forward is not implemented yet")

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        """dL/dx = grad_out * relu'(x) with relu'(x) = 1 where x > 0 and 0 where x <= 0 (0 at
        exactly 0, torch's convention)."""
        raise NotImplementedError("backprop.ReLU.backward is not implemented yet")


class Sigmoid:
    """The logistic sigmoid, elementwise on any shape. Task 5-06.3."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        """s = 1 / (1 + exp(-x)), computed without overflow: with e = exp(-|x|) (at most 1),
        s = 1 / (1 + e) where x >= 0 and e / (1 + e) where x < 0, so x = +-1000 gives 1 and 0
        and no NumPy warning. Keep the output s for `backward`."""
        raise NotImplementedError("backprop.Sigmoid.forward is not implemented yet")

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        """dL/dx = grad_out * s * (1 - s), with s the output of the latest forward (not its
        input)."""
        raise NotImplementedError("backprop.Sigmoid.backward is not implemented yet")


class Tanh:
    """The hyperbolic tangent, elementwise on any shape. Task 5-06.4."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        """t = tanh(x) (np.tanh). Keep the output t for `backward`."""
        raise NotImplementedError("backprop.Tanh.forward is not implemented yet")

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        """dL/dx = grad_out * (1 - t^2), with t = tanh(x) the output of the latest forward (not
        its input)."""
        raise NotImplementedError("backprop.Tanh.backward is not implemented yet")


class SoftmaxCrossEntropy:
    """Softmax and the mean cross-entropy in one layer (the loss at the end of a network).
    Task 5-06.5."""

    def forward(self, logits: np.ndarray, labels: np.ndarray) -> float:
        """The mean cross-entropy of softmax(logits) against integer labels:

            L = (1 / N) * sum_n ( log(sum_c exp(z[n, c])) - z[n, labels[n]] ),

        with z = logits (N, C) and labels (N,) integers in {0, ..., C - 1}. The checks give
        float64 logits (float32 ones would give a float32 gradient, by NumPy's promotion; not
        checked). Stable:
        subtract each row's maximum from z first (L does not change), so logits of +-1000 give a
        finite loss and no NumPy warning. Keep p = softmax(z) (over axis 1) and the labels for
        `backward`. Returns L as a Python float.

        Example: logits [[0, 0], [0, ln 3]], labels [0, 1] -> L = (ln 2 + ln(4/3)) / 2 ~ 0.49041.
        """
        raise NotImplementedError("backprop.SoftmaxCrossEntropy.forward is not implemented yet")

    def backward(self) -> np.ndarray:
        """dL/dlogits = (p - Y) / N of shape (N, C), with Y the one-hot encoding of the labels
        (Y[n, labels[n]] = 1) and N the batch size: the 1 / N is the mean's."""
        raise NotImplementedError("backprop.SoftmaxCrossEntropy.backward is not implemented yet")


class MLP:
    """A 3-layer perceptron with its loss. Task 5-06.6.

    self.layers = [Linear(in_features, hidden1), ReLU(), Linear(hidden1, hidden2), ReLU(),
                   Linear(hidden2, out_features)]   (no activation after the last Linear)
    self.loss_fn = SoftmaxCrossEntropy()

    Every Linear uses init "he" and the generator given to __init__, created in this order (W1
    is drawn first, then W2, then W3). Parameters and gradients are named by layer: "W1", "b1"
    (the first Linear), "W2", "b2", "W3", "b3".
    """

    def __init__(self, in_features: int, hidden1: int, hidden2: int, out_features: int,
                 rng: np.random.Generator):
        """Build self.layers and self.loss_fn as the class docstring states."""
        raise NotImplementedError("backprop.MLP.__init__ is not implemented yet")

    def forward(self, x: np.ndarray) -> np.ndarray:
        """The logits (N, out_features) of x (N, in_features): each layer's forward in order."""
        raise NotImplementedError("backprop.MLP.forward is not implemented yet")

    def backward(self, grad_logits: np.ndarray) -> np.ndarray:
        """Backpropagate dL/dlogits (N, out_features) through the layers in reverse order, which
        stores every Linear's dW and db; return dL/dx (N, in_features)."""
        raise NotImplementedError("backprop.MLP.backward is not implemented yet")

    def loss_and_backward(self, x: np.ndarray, y: np.ndarray) -> float:
        """One forward and backward pass on a batch: L = loss_fn.forward(forward(x), y), then
        backward(loss_fn.backward()). Returns L as a Python float; the gradients are then in
        `gradients()`."""
        raise NotImplementedError("backprop.MLP.loss_and_backward is not implemented yet")

    def parameters(self) -> dict[str, np.ndarray]:
        """{"W1": W of the first Linear, "b1": its b, "W2", "b2", "W3", "b3"}: the layers' own
        arrays, not copies, so an in-place update (p -= lr * g) changes the model."""
        raise NotImplementedError("backprop.MLP.parameters is not implemented yet")

    def gradients(self) -> dict[str, np.ndarray]:
        """{"W1": dW of the first Linear, "b1": its db, ..., "b3"}: the keys of `parameters()`,
        each gradient of its parameter's shape, from the latest backward."""
        raise NotImplementedError("backprop.MLP.gradients is not implemented yet")

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The predicted class of each row of x: argmax of the logits over axis 1 (ties to the
        lower index, as np.argmax), int64 of shape (N,)."""
        raise NotImplementedError("backprop.MLP.predict is not implemented yet")


def numerical_gradient(f, x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """The gradient of a scalar function by central differences. Task 5-06.7.

        grad[i] = (f(x + eps * e_i) - f(x - eps * e_i)) / (2 * eps)

    for every index i of x (any shape: iterate with np.ndindex(x.shape)), e_i the unit array at
    index i. Perturb x itself, in place, one entry at a time, so that f sees an array of x's
    shape, memory layout and dtype; save the entry first and put the saved value back after its
    two evaluations (adding and subtracting eps again can change the last bit), so x is exactly
    as it was on return. Do not flatten x with reshape(-1) and perturb the result: for a
    non-contiguous x that is a copy, and f never sees the change.

    Args:
        f: a function of one array returning a number (Python float, NumPy scalar or 0-d array).
        x: float64 array of any shape, N-dimensional, possibly non-contiguous.
        eps: the step, > 0.

    Returns:
        float64 array of x's shape.
    """
    raise NotImplementedError("backprop.numerical_gradient is not implemented yet")


def gradient_check(analytic: np.ndarray, numeric: np.ndarray,
                   floor: float = GRADIENT_CHECK_FLOOR) -> float:
    """The largest relative error between an analytic and a numerical gradient. Task 5-06.8.

        max over all entries i of  |a_i - n_i| / max(|a_i| + |n_i|, floor)

    with a = analytic, n = numeric (same shape, any shape) and floor = 1e-8 by default: the
    floor keeps entries where both gradients are (nearly) zero from dividing by zero, so two
    all-zero arrays give 0.0, never NaN. Around 1e-7 or less for a correct float64 gradient
    against central differences; 1e-2 or more means a bug.

    Raises:
        ValueError: the shapes differ.

    Returns:
        A Python float in [0, 1] (0.0 for empty arrays).

    Example: a = [1.0, 0.0, 2.0], n = [1.0, 0.0, 1.0] -> max(0 / 2, 0 / 1e-8, 1 / 3) = 1/3.
    """
    raise NotImplementedError("backprop.gradient_check is not implemented yet")


def clip_grad_norm(grads: list[np.ndarray], max_norm: float) -> float:
    """Global-norm gradient clipping, with the results of torch.nn.utils.clip_grad_norm_
    (norm_type 2). Task 5-06.9.

        total_norm = sqrt(sum over every array g in grads of sum(g ** 2))   (one global norm)
        clip_coef  = max_norm / (total_norm + 1e-6)
        if clip_coef < 1: every g *= clip_coef   (in place, all by the same factor)

    torch writes the last line as: every g *= min(clip_coef, 1.0), always. Multiplying by 1.0
    changes nothing, so both forms give the same arrays and both get full marks.
    Only ever scales down: gradients whose total norm is at most about max_norm are left exactly
    as they are (never scaled up); all-zero gradients stay zero, with no NaN.

    Args:
        grads: a list of float arrays (any shapes), modified in place; each keeps its dtype.
        max_norm: the largest allowed total norm, >= 0.

    Returns:
        total_norm before clipping, as a Python float.
    """
    raise NotImplementedError("backprop.clip_grad_norm is not implemented yet")


def layer_gradient_norms(x: np.ndarray, y: np.ndarray, activation: str,
                         rng: np.random.Generator, depth: int = 10, width: int = 64,
                         num_classes: int = N_CLASSES) -> list[float]:
    """The weight-gradient norm of every hidden layer of a deep stack. Task 5-06.10.

    Build, with `rng` and in this order,
        Linear(D, width), act, Linear(width, width), act, ... (depth Linear + act pairs), then
        Linear(width, num_classes) (no activation), then SoftmaxCrossEntropy,
    with D = x.shape[1], act = ReLU(), Sigmoid() or Tanh() for "relu", "sigmoid", "tanh" (pick it
    from a dict; ValueError for another name, before drawing anything) and every Linear's init
    "he" for "relu" and "xavier" for "sigmoid" and "tanh". Run one forward pass on (x, y) and one
    backward pass, then return the Frobenius norm sqrt(sum(dW ** 2)) of each of the `depth`
    hidden Linear layers' dW, as Python floats, the layer next to the input first (the output
    layer is not included).

    With sigmoid the norms shrink by a large factor from the last hidden layer back to the first
    (sigmoid' <= 1/4: vanishing gradients); with ReLU and He initialisation they stay of the same
    order throughout.

    Args:
        x: (N, D) float64 inputs; y: (N,) integer labels in {0, ..., num_classes - 1}.
        activation: "relu", "sigmoid" or "tanh".
        rng: the generator every Linear draws its weights from.
        depth: the number of hidden Linear layers, >= 1.
        width: their width.
        num_classes: the output layer's width.

    Returns:
        A list of `depth` Python floats.
    """
    raise NotImplementedError("backprop.layer_gradient_norms is not implemented yet")


def preprocess(images: np.ndarray) -> np.ndarray:
    """FashionMNIST images as network inputs. Task 5-06.11.

        x = images.reshape(N, 784) as float64, divided by 255.0

    one row per image (row-major pixel order, as reshape), every value in [0, 1]. Convert to
    float64 before dividing; do not modify `images`.

    Args:
        images: (N, 28, 28) uint8 (N >= 1), any memory layout.

    Returns:
        (N, 784) float64.
    """
    raise NotImplementedError("backprop.preprocess is not implemented yet")


def train(images: np.ndarray, labels: np.ndarray, hidden1: int = HIDDEN1,
          hidden2: int = HIDDEN2, epochs: int = EPOCHS, batch_size: int = BATCH_SIZE,
          lr: float = LEARNING_RATE, seed: int = 0,
          progress: bool = False) -> tuple[MLP, list[float]]:
    """Mini-batch SGD of the MLP on FashionMNIST-format data. Task 5-06.12.

    1. x = preprocess(images) (N, 784) float64; y = labels as int64.
    2. rng = np.random.default_rng(seed); model = MLP(784, hidden1, hidden2, 10, rng).
    3. For each of the `epochs` epochs: order = rng.permutation(N) (one call per epoch, from the
       same rng); for start = 0, batch_size, 2 * batch_size, ... < N, the batch is
       order[start:start + batch_size] (the last one may be smaller):
           loss = model.loss_and_backward(x[batch], y[batch]); record it;
           every parameter p -= lr * its gradient (names of model.parameters()/gradients()).

    The same seed gives exactly the same model and losses; different seeds give different ones.
    With the defaults (hidden 64 and 32, 3 epochs, batches of 32, lr 0.1) the reference reaches
    1.000 test accuracy on data.fixtures.fashion_mnist_arrays(600, 300, seed) in about 0.1 s
    (the checks require at least 0.95; the fixture is far easier than the real dataset).

    Args:
        images: (N, 28, 28) uint8 training images; labels: (N,) integer labels in {0, ..., 9}.
        hidden1, hidden2: the hidden widths; epochs: passes over the data; batch_size: >= 1;
        lr: the learning rate; seed: the generator's seed.
        progress: show a progress bar over each epoch's batches: loop over
            progress_bar(range(0, N, batch_size), desc=..., unit="batch", wanted=progress)
            (imported from data.progress; silent under CI and off a terminal); changes nothing
            else.

    Returns:
        (model, losses): the trained MLP and the Python float loss of every step, in order
        (epochs * ceil(N / batch_size) of them; losses[0] is the first batch's loss before any
        update).
    """
    raise NotImplementedError("backprop.train is not implemented yet")
