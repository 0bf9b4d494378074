"""5-01 figures: the two-layer NumPy network learning make_moons."""

from __future__ import annotations

from types import ModuleType

from matplotlib.figure import Figure

from autograder.figures.common import (
    POINTS,
    REGIONS,
    class_legend,
    figure,
    moons,
    moons_name,
    panels,
    style,
)

TOPIC = "two_layer_net"
EPOCHS_SHOWN = (1, 30, 150, 1000)  # before, during and after the boundary bends
LEARNING_RATES = (1.0, 0.3, 0.1)
DATA = moons_name()  # what `moons()` returns: make_moons(n=500, noise=0.2)


@figure(TOPIC, "decision_boundary.png", needs=("train", "predict", "decision_grid"))
def decision_boundary(m: ModuleType) -> Figure:
    """The decision boundary after 1, 30, 150 and 1000 epochs of full-batch training on
    make_moons(500, noise 0.2): your `train`, then your `decision_grid` and `predict`. Class 0 is
    the upper moon, class 1 the lower one; each area is coloured by the class your network
    predicts there."""
    x, y = moons()
    lo, hi = x.min(axis=0) - 0.5, x.max(axis=0) + 0.5
    fig, axes = panels(len(EPOCHS_SHOWN), width=3.4, height=3.4,
                       title=f"two_layer_net: the decision boundary while training on {DATA}")
    for ax, epochs in zip(axes, EPOCHS_SHOWN, strict=True):
        params, _ = m.train(x, y, epochs=epochs)
        xx, yy, labels = m.decision_grid(params, (lo[0], hi[0]), (lo[1], hi[1]), 150)
        ax.contourf(xx, yy, labels, levels=[-0.5, 0.5, 1.5], cmap=REGIONS)
        ax.scatter(x[:, 0], x[:, 1], c=y, cmap=POINTS, s=6, vmin=0, vmax=1)
        accuracy = float((m.predict(params, x) == y).mean())
        after = f"after {epochs} epoch" + ("s" if epochs > 1 else "")
        style(ax, f"{after}: accuracy {accuracy:.2f}", "x1", "x2", grid=False)
    class_legend(fig, ("class 0 (upper moon)", "class 1 (lower moon)"),
                 ("predicted class 0", "predicted class 1"))
    return fig


@figure(TOPIC, "loss_curve.png", needs=("train",))
def loss_curve(m: ModuleType) -> Figure:
    """The training loss (mean cross-entropy over make_moons(500, noise 0.2)) per epoch for three
    learning rates: the list of losses your `train` returns, each the loss at the start of its
    epoch (epoch 1: the initial parameters)."""
    x, y = moons()
    fig, (ax,) = panels(width=6.0, height=3.8, title=f"two_layer_net: training loss on {DATA}")
    for lr in LEARNING_RATES:
        _, losses = m.train(x, y, lr=lr, epochs=1000)
        # losses[i] is measured before update i, at the start of epoch i + 1
        ax.plot(range(1, len(losses) + 1), losses, label=f"lr = {lr:g}")
    ax.set_yscale("log")
    style(ax, "full-batch gradient descent, 16 hidden units", "epoch",
          "cross-entropy (log scale)", legend=True)
    return fig
