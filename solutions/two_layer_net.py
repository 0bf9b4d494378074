"""Topic 5-01: a two-layer neural network in NumPy, trained on make_moons.

Parameter initialisation, the forward pass (tanh hidden layer, softmax output), the mean
cross-entropy loss, the backward pass derived by hand, a plain SGD step, full-batch training,
prediction and a decision-boundary grid.

Conventions for every function here:
- NumPy only (no torch, no autograd): you derive and write every gradient yourself.
- Data are row-major batches: X has shape (N, D), one sample per row; labels y are integers in
  {0, ..., C - 1} of shape (N,).
- The parameters are a dict with exactly these keys and shapes (D inputs, H hidden units,
  C classes):
      "W1": (D, H),  "b1": (H,),  "W2": (H, C),  "b2": (C,)
  and the network computes
      z1 = X @ W1 + b1,  h = tanh(z1),  z2 = h @ W2 + b2,  p = softmax(z2)  (over axis 1).
  Gradients are a dict with the same keys and shapes (grads["W1"] = dL/dW1, ...).
- dtypes: float64 in training; float32 X and parameters give float32 results (NumPy's promotion:
  Python floats keep float32, NumPy float64 scalars and np.zeros(shape) do not). Mixed dtypes
  (float32 X with float64 parameters) are not checked; NumPy's promotion then makes `forward`'s
  and `backward`'s results float64.
- Never modify an argument in place (no `+=` on a parameter array): return new arrays and dicts.
- All randomness comes from the np.random.Generator you are given (or that `train` makes from its
  seed), never from the global np.random state.
"""

from __future__ import annotations

import math

import numpy as np

from data.progress import progress_bar

# The reference hyper-parameters: `train` with these defaults reaches at least 0.95 training
# accuracy on make_moons(n_samples=500, noise=0.2) (the reference gets about 0.97).
HIDDEN_SIZE = 16
LEARNING_RATE = 1.0
EPOCHS = 1000
EPS = 1e-12  # probabilities are clipped to [EPS, 1] before the log in `cross_entropy`



def init_params(input_size: int, hidden_size: int, output_size: int,
                rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Initialise the parameters of the two-layer network. Task 5-01.1.

    Weights are drawn from a scaled standard normal (LeCun/Xavier-style scaling for tanh), biases
    start at zero, all float64:

        W1 = rng.standard_normal((D, H)) * sqrt(1 / D),   b1 = zeros(H),
        W2 = rng.standard_normal((H, C)) * sqrt(1 / H),   b2 = zeros(C),

    with D = input_size, H = hidden_size, C = output_size. Draw W1 first, then W2, each with one
    call `rng.standard_normal(shape)`, so that the same generator state gives the same
    parameters as the reference. Use only `rng`: never np.random.randn or np.random.seed.

    Args:
        input_size: D >= 1.
        hidden_size: H >= 1.
        output_size: C >= 1, the number of classes.
        rng: a np.random.Generator (np.random.default_rng(seed)).

    Returns:
        {"W1": (D, H), "b1": (H,), "W2": (H, C), "b2": (C,)}, float64 arrays.
    """
    w1 = rng.standard_normal((input_size, hidden_size)) * math.sqrt(1.0 / input_size)
    w2 = rng.standard_normal((hidden_size, output_size)) * math.sqrt(1.0 / hidden_size)
    return {"W1": w1, "b1": np.zeros(hidden_size), "W2": w2, "b2": np.zeros(output_size)}


def _softmax_rows(z: np.ndarray) -> np.ndarray:
    shifted = z - np.max(z, axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=1, keepdims=True)


def forward(params: dict[str, np.ndarray],
            X: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:  # noqa: N803
    """The forward pass: class probabilities and the values the backward pass needs. Task 5-01.2.

        z1 = X @ W1 + b1,   h = tanh(z1),   z2 = h @ W2 + b2,   p = softmax(z2),

    with softmax over the classes (axis 1): p[n, c] = exp(z2[n, c]) / sum_k exp(z2[n, k]).
    Numerically stable: subtract each row's maximum from z2 before np.exp (softmax does not
    change), so logits of +-1000 give finite probabilities and no overflow warning.

    Args:
        params: {"W1", "b1", "W2", "b2"} as described in the module docstring.
        X: (N, D), float64 or float32 (the parameters' dtype), N >= 1; any memory layout (a
            transposed view too).

    Returns:
        (p, cache): p of shape (N, C) in X's dtype, each row positive and summing to 1; cache a
        dict {"X": X, "z1": z1 (N, H), "h": h (N, H), "p": p (N, C)} for `backward`.
    """
    z1 = X @ params["W1"] + params["b1"]
    h = np.tanh(z1)
    z2 = h @ params["W2"] + params["b2"]
    p = _softmax_rows(z2)
    return p, {"X": X, "z1": z1, "h": h, "p": p}


def cross_entropy(p: np.ndarray, y: np.ndarray) -> float:
    """The mean cross-entropy loss of predicted probabilities. Task 5-01.3.

        L = -(1 / N) * sum_n log(p[n, y[n]]),

    the negative log-probability of each sample's true class, averaged over the batch (pick the
    entries with p[np.arange(N), y], not a loop). Stable: a probability of exactly 0 (an
    underflowed softmax) would give log(0) = -inf, so clip the picked probabilities to
    [EPS, 1] with EPS = 1e-12 first; the loss is then at most -log(1e-12) ~ 27.63 per sample.

    Args:
        p: (N, C) probabilities (rows sum to 1), a NumPy array, float64 or float32.
        y: (N,) integer labels in {0, ..., C - 1}, a NumPy array.

    Returns:
        L as a Python float.

    Example:
        cross_entropy(np.array([[0.25, 0.75], [0.5, 0.5]]), np.array([1, 0]))
            = -(log 0.75 + log 0.5) / 2 ~ 0.49041.
    """
    picked = np.clip(p[np.arange(p.shape[0]), y], EPS, 1.0)
    return float(-np.mean(np.log(picked)))


def backward(params: dict[str, np.ndarray], cache: dict[str, np.ndarray],
             y: np.ndarray) -> dict[str, np.ndarray]:
    """The gradient of the mean cross-entropy with respect to every parameter. Task 5-01.4.

    For L = cross_entropy(forward(params, X)[0], y) (ignoring the clipping), with Y the one-hot
    encoding of y (Y[n, y[n]] = 1) and N = X.shape[0]:

        dz2 = (p - Y) / N                      (N, C)   softmax and cross-entropy together
        dW2 = h.T @ dz2                        (H, C)
        db2 = sum of dz2 over the batch        (C,)
        dh  = dz2 @ W2.T                       (N, H)
        dz1 = dh * (1 - h^2)                   (N, H)   tanh'(z1) = 1 - tanh(z1)^2 = 1 - h^2
        dW1 = X.T @ dz1                        (D, H)
        db1 = sum of dz1 over the batch        (H,)

    Mind the 1 / N (the loss is a mean) and the activation's derivative, evaluated with h, the
    output of tanh (1 - z1^2 is the formula applied to the wrong thing).

    Args:
        params: the parameters `forward` used.
        cache: forward's cache {"X", "z1", "h", "p"} for those parameters and X.
        y: (N,) integer labels.

    Returns:
        {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}, each of its parameter's shape, in the
        dtype of X and the parameters (one dtype; mixed dtypes: see the module docstring).
    """
    X, h, p = cache["X"], cache["h"], cache["p"]  # noqa: N806
    n = X.shape[0]
    dz2 = p.copy()
    dz2[np.arange(n), y] -= 1.0
    dz2 /= n
    dh = dz2 @ params["W2"].T
    dz1 = dh * (1.0 - h * h)
    return {"W1": X.T @ dz1, "b1": np.sum(dz1, axis=0),
            "W2": h.T @ dz2, "b2": np.sum(dz2, axis=0)}


def sgd_step(params: dict[str, np.ndarray], grads: dict[str, np.ndarray],
             lr: float) -> dict[str, np.ndarray]:
    """One plain gradient-descent step. Task 5-01.5.

        param_new = param - lr * grad,   for every key of params.

    Return a new dict of new arrays; leave `params` and `grads` unchanged (no `-=`: the caller
    may still hold the old parameters).

    Args:
        params: {"W1", "b1", "W2", "b2"}.
        grads: a dict with the same keys and shapes.
        lr: the learning rate, a Python float > 0.

    Returns:
        The updated parameters: a new dict with params' keys, shapes and dtypes.
    """
    return {name: value - lr * grads[name] for name, value in params.items()}


def train(X: np.ndarray, y: np.ndarray, hidden_size: int = HIDDEN_SIZE,  # noqa: N803
          lr: float = LEARNING_RATE, epochs: int = EPOCHS, seed: int = 0,
          progress: bool = False) -> tuple[dict[str, np.ndarray], list[float]]:
    """Full-batch gradient descent on the whole training set. Task 5-01.6.

    1. rng = np.random.default_rng(seed); C = int(y.max()) + 1 classes;
       params = init_params(D, hidden_size, C, rng) with D = X.shape[1].
    2. For each of the `epochs` epochs: p, cache = forward(params, X); record
       cross_entropy(p, y) (the loss before this epoch's update); grads = backward(params,
       cache, y); params = sgd_step(params, grads, lr).

    With the module's defaults (HIDDEN_SIZE = 16, LEARNING_RATE = 1.0, EPOCHS = 1000) this reaches
    at least 0.95 training accuracy on make_moons(n_samples=500, noise=0.2), in well under a
    second.

    Args:
        X: (N, D) float64 training inputs. float32 X is not checked (the reference's parameters,
            made float64 by init_params, stay float64 under NumPy's promotion).
        y: (N,) integer labels in {0, ..., C - 1}.
        hidden_size: H, the number of hidden units.
        lr: the learning rate.
        epochs: the number of full-batch updates.
        seed: the seed of the generator used to initialise the parameters.
        progress: show a progress bar over the epochs: loop over
            progress_bar(range(epochs), desc=..., unit="epoch", wanted=progress) (imported from
            data.progress; silent under CI and off a terminal); changes nothing else.

    Returns:
        (params, losses): the trained parameters and the list of `epochs` Python floats,
        losses[i] the loss before update i (losses[0] is the loss of the initial parameters).
    """
    rng = np.random.default_rng(seed)
    params = init_params(X.shape[1], hidden_size, int(np.max(y)) + 1, rng)
    losses = []
    for _ in progress_bar(range(epochs), desc="train", unit="epoch", wanted=progress):
        p, cache = forward(params, X)
        losses.append(cross_entropy(p, y))
        params = sgd_step(params, backward(params, cache, y), lr)
    return params, losses


def predict(params: dict[str, np.ndarray], X: np.ndarray) -> np.ndarray:  # noqa: N803
    """The predicted class of every sample. Task 5-01.7.

        predict(params, X)[n] = argmax over c of p[n, c],   p = forward(params, X)[0],

    the most probable class per row (argmax over the classes, axis 1; ties go to the lower
    class index, as np.argmax).

    Args:
        params: {"W1", "b1", "W2", "b2"}.
        X: (N, D), N >= 1.

    Returns:
        (N,) int64 labels in {0, ..., C - 1}.
    """
    p, _ = forward(params, X)
    return np.argmax(p, axis=1).astype(np.int64)


def decision_grid(params: dict[str, np.ndarray], x_range: tuple[float, float],
                  y_range: tuple[float, float],
                  steps: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The predicted class on a grid of points, for a decision-boundary plot. Task 5-01.8.

        xs = np.linspace(x_range[0], x_range[1], steps),  ys likewise from y_range,
        xx, yy = np.meshgrid(xs, ys)          (default indexing "xy": xx[i, j] = xs[j],
                                               yy[i, j] = ys[i], both (steps, steps)),
        labels[i, j] = predict(params, [[xx[i, j], yy[i, j]]]),

    computed in one call of `predict` on all steps * steps points (flatten the grid into a
    (steps * steps, 2) array, then reshape the labels back). Plot with
    `plt.contourf(xx, yy, labels)`. Requires D = 2 inputs; D != 2 is not checked.

    Args:
        params: {"W1", "b1", "W2", "b2"} with W1 of shape (2, H).
        x_range: (x_min, x_max), the first input feature's range.
        y_range: (y_min, y_max), the second input feature's range.
        steps: the number of grid points along each axis, >= 2.

    Returns:
        (xx, yy, labels): xx and yy float64 of shape (steps, steps), labels int64 of the same
        shape.
    """
    xs = np.linspace(x_range[0], x_range[1], steps)
    ys = np.linspace(y_range[0], y_range[1], steps)
    xx, yy = np.meshgrid(xs, ys)
    points = np.column_stack([xx.ravel(), yy.ravel()])
    return xx, yy, predict(params, points).reshape(xx.shape)
