"""Mistake: predict takes the last column of np.argsort(logits, axis=1), the class of the largest
logit except on ties, where it picks the higher index: the docstring says "ties to the lower
index, as np.argmax"."""

import numpy as np

CAUGHT_BY = ("MLP.predict_ties_to_lower_index",)
CONTRACT = "edges"


_ReferenceMLP = MLP  # noqa: F821 (a mutant is a patch over the reference)


class MLP(_ReferenceMLP):
    def predict(self, x):
        return np.argsort(self.forward(x), axis=1)[:, -1].astype(np.int64)
