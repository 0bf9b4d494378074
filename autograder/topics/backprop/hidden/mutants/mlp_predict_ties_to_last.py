"""Mistake: predict takes the last column of np.argsort(logits, axis=1), the class of the largest
logit except on ties, where it picks the higher index: the docstring says "ties to the lower
index, as np.argmax"."""

import numpy as np

CAUGHT_BY = ("MLP.predict_ties_to_lower_index",)
CONTRACT = "edges"
# Linear, ReLU and SoftmaxCrossEntropy (noqa: F821) are the reference's.


class MLP:
    def __init__(self, in_features, hidden1, hidden2, out_features, rng):
        self.layers = [Linear(in_features, hidden1, rng), ReLU(),  # noqa: F821
                       Linear(hidden1, hidden2, rng), ReLU(),  # noqa: F821
                       Linear(hidden2, out_features, rng)]  # noqa: F821
        self.loss_fn = SoftmaxCrossEntropy()  # noqa: F821

    def forward(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, grad_logits):
        for layer in reversed(self.layers):
            grad_logits = layer.backward(grad_logits)
        return grad_logits

    def loss_and_backward(self, x, y):
        loss = self.loss_fn.forward(self.forward(x), y)
        self.backward(self.loss_fn.backward())
        return loss

    def _linears(self):
        return [layer for layer in self.layers if isinstance(layer, Linear)]  # noqa: F821

    def parameters(self):
        params = {}
        for k, layer in enumerate(self._linears(), start=1):
            params[f"W{k}"], params[f"b{k}"] = layer.W, layer.b
        return params

    def gradients(self):
        grads = {}
        for k, layer in enumerate(self._linears(), start=1):
            grads[f"W{k}"], grads[f"b{k}"] = layer.dW, layer.db
        return grads

    def predict(self, x):
        return np.argsort(self.forward(x), axis=1)[:, -1].astype(np.int64)
