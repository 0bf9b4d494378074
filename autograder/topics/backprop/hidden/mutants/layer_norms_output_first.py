"""Mistake: the norms listed in backward order (the layer next to the output first), as they are
computed, instead of the layer next to the input first."""

import numpy as np

CAUGHT_BY = ("layer_gradient_norms.sigmoid_vanishes_deep",
             "layer_gradient_norms.matches_reference_tanh_float64")
# The layers, preprocess and MLP (noqa: F821) are the reference's: a mutant runs in its namespace.


def layer_gradient_norms(x, y, activation, rng, depth=10, width=64, num_classes=10):
    activations = {"relu": ReLU, "sigmoid": Sigmoid, "tanh": Tanh}  # noqa: F821
    if activation not in activations:
        raise ValueError(f"unknown activation {activation!r}")
    init = "he" if activation == "relu" else "xavier"
    layers = []
    fan_in = x.shape[1]
    for _ in range(depth):
        layers += [Linear(fan_in, width, rng, init), activations[activation]()]  # noqa: F821
        fan_in = width
    layers.append(Linear(width, num_classes, rng, init))  # noqa: F821
    out = x
    for layer in layers:
        out = layer.forward(out)
    loss_fn = SoftmaxCrossEntropy()  # noqa: F821
    loss_fn.forward(out, y)
    grad = loss_fn.backward()
    norms = []
    for layer in reversed(layers):
        grad = layer.backward(grad)
        if isinstance(layer, Linear) and layer is not layers[-1]:  # noqa: F821
            norms.append(float(np.linalg.norm(layer.dW)))
    return norms
