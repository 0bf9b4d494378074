"""Mistake: dW2 = dz2.T @ h, the transpose of the right product: shape (C, H) instead of W2's
(H, C)."""

import numpy as np

CAUGHT_BY = ("backward.finite_differences[float64]", "backward.noncontiguous_input[float64]")


def backward(params, cache, y):
    X, h, p = cache["X"], cache["h"], cache["p"]  # noqa: N806
    n = X.shape[0]
    dz2 = p.copy()
    dz2[np.arange(n), y] -= 1.0
    dz2 /= n
    dz1 = (dz2 @ params["W2"].T) * (1.0 - h * h)
    return {"W1": X.T @ dz1, "b1": np.sum(dz1, axis=0),
            "W2": dz2.T @ h, "b2": np.sum(dz2, axis=0)}
