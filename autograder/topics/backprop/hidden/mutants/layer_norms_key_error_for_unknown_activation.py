"""Mistake: the activation is looked up with activations[activation] inside the loop that builds
the layers, with no check of the name first: an unknown name raises KeyError, and only after the
first Linear has drawn from rng, where the docstring says "ValueError for another name, before
drawing anything"."""

import numpy as np

CAUGHT_BY = ("layer_gradient_norms.rejects_unknown_activation",
             "layer_gradient_norms.rejects_unknown_activation_before_drawing")
CONTRACT = "errors"
# Linear, the activations and SoftmaxCrossEntropy (noqa: F821) are the reference's.


def layer_gradient_norms(x, y, activation, rng, depth=10, width=64, num_classes=10):
    activations = {"relu": ReLU, "sigmoid": Sigmoid, "tanh": Tanh}  # noqa: F821
    init = "he" if activation == "relu" else "xavier"
    hidden, layers = [], []
    fan_in = x.shape[1]
    for _ in range(depth):
        linear = Linear(fan_in, width, rng, init)  # noqa: F821
        hidden.append(linear)
        layers += [linear, activations[activation]()]
        fan_in = width
    layers.append(Linear(width, num_classes, rng, init))  # noqa: F821
    out = x
    for layer in layers:
        out = layer.forward(out)
    loss_fn = SoftmaxCrossEntropy()  # noqa: F821
    loss_fn.forward(out, y)
    grad = loss_fn.backward()
    for layer in reversed(layers):
        grad = layer.backward(grad)
    return [float(np.linalg.norm(layer.dW)) for layer in hidden]
