"""Mistake: tanh'(z1) = 1 - tanh(z1)^2 applied to the pre-activation, 1 - z1^2, instead of to the
cached output h = tanh(z1)."""

import numpy as np

CAUGHT_BY = ("backward.finite_differences[float64]", "backward.float32_large[float32]")


def backward(params, cache, y):
    X, z1, h, p = cache["X"], cache["z1"], cache["h"], cache["p"]  # noqa: N806
    n = X.shape[0]
    dz2 = p.copy()
    dz2[np.arange(n), y] -= 1.0
    dz2 /= n
    dz1 = (dz2 @ params["W2"].T) * (1.0 - z1 * z1)
    return {"W1": X.T @ dz1, "b1": np.sum(dz1, axis=0),
            "W2": h.T @ dz2, "b2": np.sum(dz2, axis=0)}
