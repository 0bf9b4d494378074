"""Row 38 (by-hand topic done by the library), topic 5-03, found here: sigmoid, tanh and relu are
scikit-learn's internal activations (`sklearn.neural_network._base.ACTIVATIONS`, applied in place
to a copy) and their gradients its DERIVATIVES (applied to a ones array); softmax over the last
axis of a 2-D array is its `softmax`."""

ROW = 38
TOPIC = "activations"
# WIN on current code: full marks (as the honest twin). Defence: sklearn is outside 5-03's
# allowlist.
EXPECT = {"refused": True}

import numpy as np  # noqa: E402
from sklearn.neural_network._base import ACTIVATIONS, DERIVATIVES  # noqa: E402

_HAND_SOFTMAX = softmax  # noqa: F821  (the reference's)


def _apply(name, x):
    out = np.array(x, copy=True)
    result = ACTIVATIONS[name](out)
    return out if result is None else result


def _derivative(name, x):
    z = _apply(name, x)
    delta = np.ones_like(z)
    DERIVATIVES[name](z, delta)
    return delta


def sigmoid(x):
    return _apply("logistic", x)


def sigmoid_grad(x):
    return _derivative("logistic", x)


def tanh(x):
    return _apply("tanh", x)


def tanh_grad(x):
    return _derivative("tanh", x)


def relu(x):
    return _apply("relu", x)


def relu_grad(x):
    return _derivative("relu", x)


def softmax(x, axis=-1):
    if np.ndim(x) == 2 and axis in (-1, 1):
        return _apply("softmax", x)
    return _HAND_SOFTMAX(x, axis)
