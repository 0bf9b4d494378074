"""Mistake: the gradient passed straight through the hidden layer, dz1 = dh, forgetting the
tanh derivative 1 - h^2 (the chain rule's factor for the activation)."""

import numpy as np

CAUGHT_BY = ("backward.finite_differences[float64]", "backward.batch_of_one[float64]",
             "train.loss_history_float64")


def backward(params, cache, y):
    X, h, p = cache["X"], cache["h"], cache["p"]  # noqa: N806
    n = X.shape[0]
    dz2 = p.copy()
    dz2[np.arange(n), y] -= 1.0
    dz2 /= n
    dz1 = dz2 @ params["W2"].T
    return {"W1": X.T @ dz1, "b1": np.sum(dz1, axis=0),
            "W2": h.T @ dz2, "b2": np.sum(dz2, axis=0)}
