"""Mistake: MLP.backward runs only through the Linear layers, skipping the ReLUs' backward, so
the gradient also flows through units that were off (pre-activation <= 0)."""

import numpy as np

CAUGHT_BY = ("MLP.finite_differences_away_from_kinks[float64]", "MLP.noncontiguous_input[float64]")
# The layers, preprocess and MLP (noqa: F821) are the reference's: a mutant runs in its namespace.


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
        for layer in reversed(self.layers[::2]):
            grad_logits = layer.backward(grad_logits)
        return grad_logits

    def loss_and_backward(self, x, y):
        loss = self.loss_fn.forward(self.forward(x), y)
        self.backward(self.loss_fn.backward())
        return loss

    def parameters(self):
        params = {}
        for k, layer in enumerate(self.layers[::2], start=1):
            params[f"W{k}"], params[f"b{k}"] = layer.W, layer.b
        return params

    def gradients(self):
        grads = {}
        for k, layer in enumerate(self.layers[::2], start=1):
            grads[f"W{k}"], grads[f"b{k}"] = layer.dW, layer.db
        return grads

    def predict(self, x):
        return np.argmax(self.forward(x), axis=1).astype(np.int64)
