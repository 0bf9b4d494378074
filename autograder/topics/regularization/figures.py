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

from autograder.figures.common import figure, integer_ticks, moons, panels, style

TOPIC = "regularization"
EPOCHS = 200
DROP_P = 0.5
PATIENCE = 20
TRAIN_N, VALIDATION_N, NOISE = 60, 500, 0.35
DATA = (f"2-128-128-2 net on make_moons(noise={NOISE:g}): {TRAIN_N} training, {VALIDATION_N} "
        "validation points")

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
    x, y = moons(TRAIN_N, NOISE, seed=1)
    x_val, y_val = moons(VALIDATION_N, NOISE, seed=2)
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
    """Train and validation loss of a 2-128-128-2 network trained on 60 noisy make_moons points
    (noise 0.35) and validated on 500 others, without dropout and with your `inverted_dropout`
    (p = 0.5) after each hidden layer: dropout keeps the validation loss closer to the training
    loss. Epochs count from 1, each loss measured after that epoch's update."""
    generator = torch.Generator().manual_seed(0)
    train, validation = _curves(
        lambda h, training: m.inverted_dropout(h, DROP_P, training, generator))
    base_train, base_validation = _baseline()
    epochs = range(1, EPOCHS + 1)
    fig, (left, right) = panels(2, width=4.6, height=3.5,
                                title="regularization: dropout and the generalisation gap\n"
                                      + DATA)
    left.plot(epochs, base_train, color="C0", linestyle="--", label="train, no dropout")
    left.plot(epochs, base_validation, color="C0", label="validation, no dropout")
    left.plot(epochs, train, color="C1", linestyle="--", label=f"train, dropout {DROP_P}")
    left.plot(epochs, validation, color="C1", label=f"validation, dropout {DROP_P}")
    style(left, "loss (evaluation mode)", "epoch", "cross-entropy", legend=True)
    integer_ticks(left)
    right.plot(epochs, [v - t for v, t in zip(base_validation, base_train, strict=True)],
               color="C0", label="no dropout")
    right.plot(epochs, [v - t for v, t in zip(validation, train, strict=True)], color="C1",
               label=f"dropout {DROP_P}")
    style(right, "the gap", "epoch", "validation loss - train loss", legend=True)
    integer_ticks(right)
    return fig


@figure(TOPIC, "early_stopping.png", needs=("EarlyStopping",))
def early_stopping(m: ModuleType) -> Figure:
    """Your `EarlyStopping(patience=20)` stepped on the validation loss of the run without
    dropout: where the best epoch was and where it stops, while the validation loss keeps
    rising afterwards. Epochs count from 1 as in the dropout figure: your `best_epoch`, which
    counts the `step` calls from 0, is drawn one further on."""
    stopper = m.EarlyStopping(patience=PATIENCE)  # first: a stub fails before the training
    train, validation = _baseline()
    stopped = None  # the epoch (from 1) whose step returned True
    for epoch, loss in enumerate(validation, start=1):
        if stopper.step(loss):
            stopped = epoch
            break
    epochs = range(1, EPOCHS + 1)
    fig, (ax,) = panels(width=6.4, height=4.0, title="regularization: early stopping\n" + DATA)
    ax.plot(epochs, train, linestyle="--", label="train")
    ax.plot(epochs, validation, label="validation")
    if stopper.best_epoch is not None:
        best = stopper.best_epoch + 1
        ax.axvline(best, color="C2", linestyle=":",
                   label=f"best: epoch {best} (best_epoch = {stopper.best_epoch})")
    if stopped is not None:
        ax.axvline(stopped, color="C3", label=f"stopped after epoch {stopped}")
        ax.axvspan(stopped, EPOCHS, color="C3", alpha=0.08)
    integer_ticks(ax)
    style(ax, f"patience {PATIENCE} on the validation loss", "epoch", "cross-entropy",
          legend=True)
    return fig
