"""Mistake: the one-hot labels built with np.eye(C)[y], a float64 array: for float32 p, X and
parameters, p - Y promotes to float64 and so do all the gradients, where the docstring says they
are "in the dtype of X and the parameters"."""

import numpy as np

CAUGHT_BY = ("backward.float32_large[float32]",)
CONTRACT = "dtypes"


def backward(params, cache, y):
    X, h, p = cache["X"], cache["h"], cache["p"]  # noqa: N806
    n = X.shape[0]
    dz2 = (p - np.eye(p.shape[1])[y]) / n
    dz1 = (dz2 @ params["W2"].T) * (1.0 - h * h)
    return {"W1": X.T @ dz1, "b1": np.sum(dz1, axis=0),
            "W2": h.T @ dz2, "b2": np.sum(dz2, axis=0)}
