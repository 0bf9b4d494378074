"""Mistake: b2 is written as np.array(-0.5) like the other entries, a 0-d NumPy array, while the
docstring promises "b2": a Python float."""

import numpy as np

CAUGHT_BY = ("xor_weights.exact_keys_and_types", "xor_weights.float64_arrays")
CONTRACT = "returns"


def xor_weights():
    return {"W1": np.array([[1.0, 1.0], [1.0, 1.0]]), "b1": np.array([-0.5, -1.5]),
            "w2": np.array([1.0, -1.0]), "b2": np.array(-0.5)}
