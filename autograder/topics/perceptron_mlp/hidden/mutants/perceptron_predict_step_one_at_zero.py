"""Mistake: the step fires at a score of exactly 0 (>= 0), against the stated convention
step(0) = 0."""

import numpy as np

CAUGHT_BY = ("perceptron_predict.score_zero_predicts_zero",
             "perceptron_train.updates_only_on_mistakes")
CONTRACT = "edges"


def perceptron_predict(x, w, b):
    return (x @ w + b >= 0).astype(np.int64)
