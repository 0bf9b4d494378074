"""Mistake: for two classes, the label as a threshold on the second class's probability,
p[:, 1] >= 0.5: the same as argmax except at a tie, which it sends to class 1, where the docstring
says "ties go to the lower class index, as np.argmax"."""

import numpy as np

CAUGHT_BY = ("predict.ties_to_lower_index",)
CONTRACT = "edges"


def predict(params, X):  # noqa: N803
    p, _ = forward(params, X)  # noqa: F821 - the reference's forward, in the same namespace
    if p.shape[1] == 2:
        return (p[:, 1] >= 0.5).astype(np.int64)
    return np.argmax(p, axis=1).astype(np.int64)
