"""5-10 figures: what dropout does to the train/validation gap, and early stopping on a
validation curve. A wide network overfits 60 noisy make_moons points within a few epochs."""

from __future__ import annotations

import functools
from collections.abc import Callable
from types import ModuleType

import torch
import torch.nn.functional as F
from matplotlib.figure import Figure
from torch import Tensor, nn

from autograder.figures.common import figure, moons, panels, style

TOPIC = "regularization"
EPOCHS = 200
DROP_P = 0.5
PATIENCE = 20

Dropout = Callable[[Tensor, bool], Tensor]  # (hidden activations, training) -> activations


class _Net(nn.Module):
    """2-128-128-2 with ReLU, and a dropout function after each hidden layer."""

    def __init__(self, dropout: Dropout):
        super().__init__()
        self.hidden1, self.hidden2, self.out = nn.Linear(2, 128), nn.Linear(128, 128), \
            nn.Linear(128, 2)
        self.dropout = dropout

    def forward(self, x: Tensor) -> Tensor:
        h = self.dropout(torch.relu(self.hidden1(x)), self.training)
        h = self.dropout(torch.relu(self.hidden2(h)), self.training)
        return self.out(h)


def _no_dropout(h: Tensor, training: bool) -> Tensor:
    return h


def _curves(dropout: Dropout) -> tuple[list[float], list[float]]:
    """Train and validation losses (evaluation mode) after each full-batch Adam epoch."""
    x, y = moons(60, 0.35, seed=1)
    x_val, y_val = moons(500, 0.35, seed=2)
    x, x_val = torch.tensor(x, dtype=torch.float32), torch.tensor(x_val, dtype=torch.float32)
    y, y_val = torch.tensor(y), torch.tensor(y_val)
    torch.manual_seed(0)  # nn.Linear's default initialisation: the same start for every run
    model = _Net(dropout)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.005)
    train, validation = [], []
    for _ in range(EPOCHS):
        model.train()
        optimizer.zero_grad()
        F.cross_entropy(model(x), y).backward()
        optimizer.step()
        model.eval()
        with torch.no_grad():
            train.append(F.cross_entropy(model(x), y).item())
            validation.append(F.cross_entropy(model(x_val), y_val).item())
    return train, validation


@functools.cache
def _baseline() -> tuple[tuple[float, ...], tuple[float, ...]]:
    """The run without dropout: no student code, so both figures can share it."""
    train, validation = _curves(_no_dropout)
    return tuple(train), tuple(validation)


@figure(TOPIC, "dropout_gap.png", needs=("inverted_dropout",))
def dropout_gap(m: ModuleType) -> Figure:
    """Train and validation loss of a 2-128-128-2 network on 60 noisy make_moons points, without
    dropout and with your `inverted_dropout` (p = 0.5) after each hidden layer: dropout keeps
    the validation loss closer to the training loss."""
    generator = torch.Generator().manual_seed(0)
    train, validation = _curves(
        lambda h, training: m.inverted_dropout(h, DROP_P, training, generator))
    base_train, base_validation = _baseline()
    epochs = range(1, EPOCHS + 1)
    fig, (left, right) = panels(2, width=4.6, height=3.5,
                                title="regularization: dropout and the generalisation gap")
    left.plot(epochs, base_train, color="C0", linestyle="--", label="train, no dropout")
    left.plot(epochs, base_validation, color="C0", label="validation, no dropout")
    left.plot(epochs, train, color="C1", linestyle="--", label=f"train, dropout {DROP_P}")
    left.plot(epochs, validation, color="C1", label=f"validation, dropout {DROP_P}")
    style(left, "loss (evaluation mode)", "epoch", "cross-entropy", legend=True)
    right.plot(epochs, [v - t for v, t in zip(base_validation, base_train, strict=True)],
               color="C0", label="no dropout")
    right.plot(epochs, [v - t for v, t in zip(validation, train, strict=True)], color="C1",
               label=f"dropout {DROP_P}")
    style(right, "the gap", "epoch", "validation loss - train loss", legend=True)
    return fig


@figure(TOPIC, "early_stopping.png", needs=("EarlyStopping",))
def early_stopping(m: ModuleType) -> Figure:
    """Your `EarlyStopping(patience=20)` stepped on the validation loss of the run without
    dropout: where the best epoch was and where it stops, while the validation loss keeps
    rising afterwards."""
    stopper = m.EarlyStopping(patience=PATIENCE)  # first: a stub fails before the training
    train, validation = _baseline()
    stopped = None
    for epoch, loss in enumerate(validation):
        if stopper.step(loss):
            stopped = epoch
            break
    epochs = range(EPOCHS)
    fig, (ax,) = panels(width=6.4, height=3.8, title="regularization: early stopping")
    ax.plot(epochs, train, linestyle="--", label="train")
    ax.plot(epochs, validation, label="validation")
    if stopper.best_epoch is not None:
        ax.axvline(stopper.best_epoch, color="C2", linestyle=":",
                   label=f"best epoch {stopper.best_epoch}")
    if stopped is not None:
        ax.axvline(stopped, color="C3", label=f"stopped at epoch {stopped}")
        ax.axvspan(stopped, EPOCHS - 1, color="C3", alpha=0.08)
    style(ax, f"patience {PATIENCE} on the validation loss", "epoch (from 0)", "cross-entropy",
          legend=True)
    return fig
