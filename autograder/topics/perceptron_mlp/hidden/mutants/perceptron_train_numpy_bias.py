"""Mistake: the error y[n] - y_hat is left as a NumPy integer (y[n] is np.int64, y_hat an element
of the int64 prediction), so b = b + lr * step becomes a np.float64 and is returned as it is,
while the docstring promises "b a Python float"."""

import numpy as np

CAUGHT_BY = ("perceptron_train.exact_types",)
CONTRACT = "returns"


def perceptron_train(x, y, epochs=100, lr=1.0):
    x = np.asarray(x, dtype=np.float64)
    w, b = np.zeros(x.shape[1]), 0.0
    errors = []
    for _ in range(epochs):
        count = 0
        for x_n, y_n in zip(x, y, strict=True):
            step = y_n - perceptron_predict(x_n[None, :], w, b)[0]  # noqa: F821 (reference's)
            if step != 0:
                w = w + lr * step * x_n
                b = b + lr * step
                count += 1
        errors.append(count)
        if count == 0:
            break
    return w, b, errors
