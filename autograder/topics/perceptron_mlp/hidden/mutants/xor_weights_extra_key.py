"""Mistake: besides w2 the dict also holds "W2", the output weights in nn.Linear's (1, 2) layout,
"for convenience": the docstring's dict has exactly the keys W1, b1, w2 and b2."""

import numpy as np

CAUGHT_BY = ("xor_weights.exact_keys_and_types",)
CONTRACT = "keys"


def xor_weights():
    w2 = np.array([1.0, -1.0])
    return {"W1": np.array([[1.0, 1.0], [1.0, 1.0]]), "b1": np.array([-0.5, -1.5]),
            "w2": w2, "W2": w2[None, :], "b2": -0.5}
