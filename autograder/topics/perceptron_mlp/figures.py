"""5-02 figures: the perceptron on logic gates, and the activation scale through a deep net."""

from __future__ import annotations

from types import ModuleType

import numpy as np
from matplotlib.figure import Figure

from autograder.figures.common import (
    POINTS,
    REGIONS,
    class_legend,
    figure,
    integer_ticks,
    panels,
    style,
)

TOPIC = "perceptron_mlp"
INPUTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
GATES = {"AND": [0, 0, 0, 1], "OR": [0, 1, 1, 1], "XOR": [0, 1, 1, 0]}
DEPTH, WIDTH = 20, 256


@figure(TOPIC, "perceptron_gates.png", needs=("perceptron_train", "perceptron_predict"))
def perceptron_gates(m: ModuleType) -> Figure:
    """The regions your `perceptron_train` learns for AND, OR and XOR on their four inputs (at
    most 20 epochs, drawn with your `perceptron_predict`), and the errors per epoch: XOR is not
    linearly separable, so its errors never reach 0."""
    fig, axes = panels(4, width=3.2, height=3.4,
                       title="perceptron_mlp: the perceptron rule on the 4 inputs of each gate")
    grid = np.linspace(-0.5, 1.5, 201)
    xx, yy = np.meshgrid(grid, grid)
    points = np.column_stack([xx.ravel(), yy.ravel()])
    for ax, (gate, targets) in zip(axes, GATES.items(), strict=False):
        y = np.array(targets, dtype=np.int64)
        w, b, errors = m.perceptron_train(INPUTS, y, epochs=20)
        regions = np.asarray(m.perceptron_predict(points, w, b)).reshape(xx.shape)
        ax.contourf(xx, yy, regions, levels=[-0.5, 0.5, 1.5], cmap=REGIONS)
        ax.scatter(INPUTS[:, 0], INPUTS[:, 1], c=y, cmap=POINTS, s=60, vmin=0, vmax=1,
                   edgecolors="black")
        outcome = "learned" if errors[-1] == 0 else "not learned"
        style(ax, f"{gate}: {outcome} in {len(errors)} epochs", "x1", "x2", grid=False)
        axes[3].plot(range(1, len(errors) + 1), errors, marker="o", markersize=3, label=gate)
    style(axes[3], "misclassified inputs per epoch", "epoch", "errors (of 4 inputs)", legend=True)
    integer_ticks(axes[3], "x")
    integer_ticks(axes[3], "y")
    class_legend(fig, ("target 0", "target 1"), ("output 0", "output 1"))
    return fig


def _small_normal(fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
    return rng.normal(0.0, 0.01, size=(fan_out, fan_in))


@figure(TOPIC, "init_scale.png", needs=("layer_stds", "xavier_normal", "he_normal"))
def init_scale(m: ModuleType) -> Figure:
    """The standard deviation of each layer's activations in a 20-layer, 256-wide network
    (your `layer_stds`, biases 0) for three initialisations: N(0, 0.01^2), your `xavier_normal`
    and your `he_normal`, with ReLU and with tanh. The input is a batch of 256 samples of
    N(0, 1) in 256 dimensions."""
    x = np.random.default_rng(0).standard_normal((256, WIDTH))
    inits = {"N(0, 0.01^2)": _small_normal, "Xavier normal": m.xavier_normal,
             "He normal": m.he_normal}
    fig, axes = panels(2, width=4.6, height=3.6,
                       title=f"perceptron_mlp: activation scale through {DEPTH} layers of "
                             f"width {WIDTH}; input: 256 samples of N(0, 1)")
    for ax, activation in zip(axes, ("relu", "tanh"), strict=True):
        for label, init in inits.items():
            stds = m.layer_stds(x, [WIDTH] * (DEPTH + 1), activation, init,
                                np.random.default_rng(1))
            ax.plot(range(1, len(stds) + 1), stds, marker=".", label=label)
        ax.set_yscale("log")
        integer_ticks(ax)
        style(ax, f"{activation} layers", "layer", "std of the activations (log scale)",
              legend=True)
    return fig
