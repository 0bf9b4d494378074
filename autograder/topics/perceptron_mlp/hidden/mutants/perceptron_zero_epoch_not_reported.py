"""Mistake (off by one): training stops as soon as an epoch has no errors but leaves that epoch
out of the list, so the reported errors never end with the converged epoch's 0."""

import numpy as np

CAUGHT_BY = ("perceptron_train.updates_only_on_mistakes",
             "perceptron_train.noncontiguous_separable",
             "perceptron_train.small_lr_batch_of_one_steps")


def perceptron_train(x, y, epochs=100, lr=1.0):
    x = np.asarray(x, dtype=np.float64)
    w, b = np.zeros(x.shape[1]), 0.0
    errors = []
    for _ in range(epochs):
        count = 0
        for x_n, y_n in zip(x, y, strict=True):
            step = int(y_n) - int(x_n @ w + b > 0)
            if step != 0:
                w, b, count = w + lr * step * x_n, b + lr * step, count + 1
        if count == 0:
            break
        errors.append(count)
    return w, float(b), errors
