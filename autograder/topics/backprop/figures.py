"""5-06 figures: vanishing gradients in a deep stack, and the 3-layer MLP training on the
FashionMNIST fixture."""

from __future__ import annotations

from types import ModuleType

import numpy as np
from matplotlib.figure import Figure

from autograder.figures.common import fashion, figure, panels, style

TOPIC = "backprop"
DEPTH = 10
LEARNING_RATES = (0.1, 0.01)


@figure(TOPIC, "gradient_norms.png", needs=("layer_gradient_norms", "preprocess"))
def gradient_norms(m: ModuleType) -> Figure:
    """The norm of each hidden layer's weight gradient in a 10-layer, 64-wide stack (your
    `layer_gradient_norms` on 128 fixture images, your `preprocess`): sigmoid's shrink layer
    after layer towards the input, ReLU's with He initialisation stay of one order."""
    images, labels, _, _ = fashion()
    x, y = m.preprocess(images[:128]), labels[:128].astype(np.int64)
    fig, (ax,) = panels(width=6.0, height=3.8,
                        title="backprop: gradient norm per layer (layer 1 is next to the input)")
    for activation in ("sigmoid", "tanh", "relu"):
        norms = m.layer_gradient_norms(x, y, activation, np.random.default_rng(0), depth=DEPTH)
        ax.plot(range(1, len(norms) + 1), norms, marker="o", markersize=3, label=activation)
    ax.set_yscale("log")
    style(ax, f"one backward pass through {DEPTH} hidden layers", "hidden layer",
          "||dL/dW|| (log scale)", legend=True)
    return fig


@figure(TOPIC, "training_loss.png", needs=("train", "preprocess", "MLP"))
def training_loss(m: ModuleType) -> Figure:
    """The loss of every mini-batch step of your `train` (3 epochs, batches of 32) on 600 fixture
    images for two learning rates, with your MLP's accuracy on 300 test images."""
    images, labels, test_images, test_labels = fashion()
    fig, (ax,) = panels(width=6.0, height=3.8, title="backprop: mini-batch SGD on the fixture")
    for lr in LEARNING_RATES:
        model, losses = m.train(images, labels, lr=lr)
        accuracy = float((model.predict(m.preprocess(test_images)) == test_labels).mean())
        ax.plot(range(1, len(losses) + 1), losses, label=f"lr {lr:g}: test accuracy "
                                                         f"{accuracy:.2f}")
    style(ax, "3-layer MLP (784-64-32-10), 3 epochs", "step", "cross-entropy of the batch",
          legend=True)
    return fig
