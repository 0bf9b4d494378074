"""Mistake: np.random.seed(seed) at the start of train "for reproducibility", besides the
generator: the parameters are right, but train re-seeds the caller's global np.random state, where
the module docstring says all randomness comes from the generator train makes from its seed,
never from the global np.random state."""

import numpy as np

CAUGHT_BY = ("train.global_random_state_untouched",)
CONTRACT = "generator"


def train(X, y, hidden_size=16, lr=1.0, epochs=1000, seed=0, progress=False):  # noqa: N803
    np.random.seed(seed)
    rng = np.random.default_rng(seed)
    params = init_params(X.shape[1], hidden_size, int(np.max(y)) + 1, rng)  # noqa: F821
    losses = []
    for _ in progress_bar(range(epochs), desc="train", unit="epoch",  # noqa: F821
                          wanted=progress):
        p, cache = forward(params, X)  # noqa: F821 - the reference's, in the same namespace
        losses.append(cross_entropy(p, y))  # noqa: F821
        params = sgd_step(params, backward(params, cache, y), lr)  # noqa: F821
    return params, losses
