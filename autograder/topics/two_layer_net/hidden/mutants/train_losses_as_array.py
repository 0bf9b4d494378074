"""Mistake: the loss history returned as np.array(losses), a NumPy array of float64, where the
docstring promises "the list of `epochs` Python floats"."""

import numpy as np

CAUGHT_BY = ("train.types_and_inputs_unchanged",)
CONTRACT = "returns"


def train(X, y, hidden_size=16, lr=1.0, epochs=1000, seed=0, progress=False):  # noqa: N803
    rng = np.random.default_rng(seed)
    params = init_params(X.shape[1], hidden_size, int(np.max(y)) + 1, rng)  # noqa: F821
    losses = []
    for _ in progress_bar(range(epochs), desc="train", unit="epoch",  # noqa: F821
                          wanted=progress):
        p, cache = forward(params, X)  # noqa: F821 - the reference's, in the same namespace
        losses.append(cross_entropy(p, y))  # noqa: F821
        params = sgd_step(params, backward(params, cache, y), lr)  # noqa: F821
    return params, np.array(losses)
