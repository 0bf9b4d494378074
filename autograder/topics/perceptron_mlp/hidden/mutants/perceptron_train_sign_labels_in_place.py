"""Mistake: the targets are turned into the +-1 convention in place (y[y == 0] = -1) to use the
sign form of the rule. Training itself is right (the update (y - y_hat) / 2 * x is the documented
one), but the caller's y now holds -1 where it held 0: an argument the docstring never says is
modified."""

import numpy as np

CAUGHT_BY = ("perceptron_train.inputs_unchanged",)
CONTRACT = "unchanged"


def perceptron_train(x, y, epochs=100, lr=1.0):
    x = np.asarray(x, dtype=np.float64)
    y[y == 0] = -1
    w, b = np.zeros(x.shape[1]), 0.0
    errors = []
    for _ in range(epochs):
        count = 0
        for x_n, y_n in zip(x, y, strict=True):
            y_hat = 1 if x_n @ w + b > 0 else -1
            if y_hat != y_n:
                step = (int(y_n) - y_hat) // 2
                w = w + lr * step * x_n
                b = b + lr * step
                count += 1
        errors.append(count)
        if count == 0:
            break
    return w, float(b), errors
