"""Mistake: dz2 = cache["p"] without .copy(), then dz2[arange(N), y] -= 1 and dz2 /= N: the
gradients are right, but forward's cached probabilities are overwritten in place ("Never modify
an argument in place"), so a second backward on the same cache, or the caller's p, is wrong."""

import numpy as np

CAUGHT_BY = ("backward.exact_keys_inputs_unchanged",)
CONTRACT = "unchanged"


def backward(params, cache, y):
    X, h, p = cache["X"], cache["h"], cache["p"]  # noqa: N806
    n = X.shape[0]
    dz2 = p
    dz2[np.arange(n), y] -= 1.0
    dz2 /= n
    dz1 = (dz2 @ params["W2"].T) * (1.0 - h * h)
    return {"W1": X.T @ dz1, "b1": np.sum(dz1, axis=0),
            "W2": h.T @ dz2, "b2": np.sum(dz2, axis=0)}
