"""Mistake: both hidden units get the OR threshold (b1 = [-0.5, -0.5]), so 'OR and not AND'
becomes 'OR and not OR' and the network outputs 0 everywhere."""

import numpy as np

CAUGHT_BY = ("xor_weights.truth_table_with_margin",)


def xor_weights():
    return {"W1": np.array([[1.0, 1.0], [1.0, 1.0]]), "b1": np.array([-0.5, -0.5]),
            "w2": np.array([1.0, -1.0]), "b2": -0.5}
