"""Mistake: argmax over axis 0 (the batch) instead of axis 1 (the classes): one "label" per class,
the index of the most confident sample."""

import numpy as np

CAUGHT_BY = ("predict.large_four_classes[float64]", "predict.batch_of_one[float64]")


def predict(params, X):  # noqa: N803
    p, _ = forward(params, X)  # noqa: F821 - the reference's forward, in the same namespace
    return np.argmax(p, axis=0).astype(np.int64)
