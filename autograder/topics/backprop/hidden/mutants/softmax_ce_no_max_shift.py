"""Mistake: softmax and log-sum-exp without subtracting each row's maximum: logits of 1000
overflow np.exp (a NumPy warning) and give an infinite or NaN loss."""

import numpy as np

CAUGHT_BY = ("SoftmaxCrossEntropy.extreme_logits_no_overflow[float64]",)
CONTRACT = "edges"


_ReferenceSoftmaxCrossEntropy = SoftmaxCrossEntropy  # noqa: F821 (a mutant is a patch over the reference)


class SoftmaxCrossEntropy(_ReferenceSoftmaxCrossEntropy):
    def forward(self, logits, labels):
        e = np.exp(logits)
        total = np.sum(e, axis=1)
        self._p = e / total[:, None]
        self._labels = labels
        n = logits.shape[0]
        return float(np.mean(np.log(total) - logits[np.arange(n), labels]))
