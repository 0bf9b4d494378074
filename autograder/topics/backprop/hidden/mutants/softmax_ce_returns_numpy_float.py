"""Mistake: forward returns np.mean(...) itself, a NumPy float64 scalar, where the docstring says
"Returns L as a Python float" (float(np.mean(...))); MLP.loss_and_backward passes it on."""

import numpy as np

CAUGHT_BY = ("SoftmaxCrossEntropy.returns_float_leaves_inputs", "MLP.exact_types_and_keys")
CONTRACT = "returns"


_ReferenceSoftmaxCrossEntropy = SoftmaxCrossEntropy  # noqa: F821 (a mutant is a patch over the reference)


class SoftmaxCrossEntropy(_ReferenceSoftmaxCrossEntropy):
    def forward(self, logits, labels):
        shifted = logits - np.max(logits, axis=1, keepdims=True)
        log_sum = np.log(np.sum(np.exp(shifted), axis=1))
        n = logits.shape[0]
        self._p = np.exp(shifted - log_sum[:, None])
        self._labels = labels
        return np.mean(log_sum - shifted[np.arange(n), labels])
