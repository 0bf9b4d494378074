"""Mistake: parameters() and gradients() number the Linear layers by their position in
self.layers (enumerate(self.layers, 1): 1, 3, 5), giving the keys W1, b1, W3, b3, W5, b5, where
the docstring names them W1, b1, W2, b2, W3, b3 (the first, second and third Linear)."""

import numpy as np

CAUGHT_BY = ("MLP.exact_types_and_keys",)
CONTRACT = "keys"
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

    def parameters(self):
        return {name: value for k, layer in enumerate(self.layers, start=1) if hasattr(layer, "W")
                for name, value in ((f"W{k}", layer.W), (f"b{k}", layer.b))}

    def gradients(self):
        return {name: value for k, layer in enumerate(self.layers, start=1) if hasattr(layer, "W")
                for name, value in ((f"W{k}", layer.dW), (f"b{k}", layer.db))}

    def predict(self, x):
        return np.argmax(self.forward(x), axis=1).astype(np.int64)
