"""Mistake: the step is written with np.heaviside(score, 0.0), which is 0 at 0 as required but
returns floats (float32 for float32 inputs), while the docstring promises "(N,) array of int64
labels in {0, 1}"."""

import numpy as np

CAUGHT_BY = ("perceptron_predict.int64_labels_any_float_dtype",
             "perceptron_predict.score_zero_predicts_zero")
CONTRACT = "dtypes"


def perceptron_predict(x, w, b):
    return np.heaviside(x @ w + b, 0.0)
