"""Mistake: the stabilising shift is done in place (logits -= max) on the caller's array: the loss
and gradient are right, but the logits passed in are modified, which the docstring's "subtract
each row's maximum from z first (L does not change)" does not allow."""

import numpy as np

CAUGHT_BY = ("SoftmaxCrossEntropy.returns_float_leaves_inputs",)
CONTRACT = "unchanged"


_ReferenceSoftmaxCrossEntropy = SoftmaxCrossEntropy  # noqa: F821 (a mutant is a patch over the reference)


class SoftmaxCrossEntropy(_ReferenceSoftmaxCrossEntropy):
    def forward(self, logits, labels):
        logits -= np.max(logits, axis=1, keepdims=True)
        log_sum = np.log(np.sum(np.exp(logits), axis=1))
        n = logits.shape[0]
        self._p = np.exp(logits - log_sum[:, None])
        self._labels = labels
        return float(np.mean(log_sum - logits[np.arange(n), labels]))
