"""Mistake: the perceptron moves the weights towards every sample's target, correct or not
(w += lr * (2y - 1) * x for each sample) instead of updating only on a mistake."""

import numpy as np

CAUGHT_BY = ("perceptron_train.updates_only_on_mistakes", "perceptron_train.xor_error_sequence",
             "perceptron_train.noncontiguous_separable")


def perceptron_train(x, y, epochs=100, lr=1.0):
    x = np.asarray(x, dtype=np.float64)
    w, b = np.zeros(x.shape[1]), 0.0
    errors = []
    for _ in range(epochs):
        count = 0
        for x_n, y_n in zip(x, y, strict=True):
            if int(x_n @ w + b > 0) != int(y_n):
                count += 1
            sign = 2 * int(y_n) - 1
            w = w + lr * sign * x_n
            b = b + lr * sign
        errors.append(count)
        if count == 0:
            break
    return w, float(b), errors
