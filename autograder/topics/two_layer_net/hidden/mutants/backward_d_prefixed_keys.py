"""Mistake: the gradients keyed "dW1", "db1", "dW2", "db2" (the names of the maths) instead of the
parameters' keys: the module docstring says "Gradients are a dict with the same keys and shapes
(grads["W1"] = dL/dW1, ...)", and sgd_step pairs each parameter with grads[its key]."""

import numpy as np

CAUGHT_BY = ("backward.exact_keys_inputs_unchanged", "backward.finite_differences[float64]")
CONTRACT = "keys"


def backward(params, cache, y):
    X, h, p = cache["X"], cache["h"], cache["p"]  # noqa: N806
    n = X.shape[0]
    dz2 = p.copy()
    dz2[np.arange(n), y] -= 1.0
    dz2 /= n
    dz1 = (dz2 @ params["W2"].T) * (1.0 - h * h)
    return {"dW1": X.T @ dz1, "db1": np.sum(dz1, axis=0),
            "dW2": h.T @ dz2, "db2": np.sum(dz2, axis=0)}


def sgd_step(params, grads, lr):
    return {name: value - lr * grads["d" + name] for name, value in params.items()}
