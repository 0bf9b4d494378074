"""5-07 figures: training and validation curves of the student's nn.Module and loops."""

from __future__ import annotations

from types import ModuleType

import numpy as np
import torch
from matplotlib.figure import Figure
from torch.utils.data import DataLoader, TensorDataset

from autograder.figures.common import fashion, figure, panels, style
from data.fashion_mnist import FASHION_MNIST_MEAN, FASHION_MNIST_STD

TOPIC = "torch_fundamentals"
EPOCHS = 8


def _loader(images: np.ndarray, labels: np.ndarray, shuffle: bool) -> DataLoader:
    """The fixture arrays as the student's `fashion_mnist_loaders` would give them (normalised
    (B, 1, 28, 28) float32 images), without writing files."""
    x = torch.tensor(images, dtype=torch.float32).div(255.0)
    x = ((x - FASHION_MNIST_MEAN) / FASHION_MNIST_STD).unsqueeze(1)
    y = torch.tensor(labels, dtype=torch.int64)
    generator = torch.Generator().manual_seed(0) if shuffle else None
    return DataLoader(TensorDataset(x, y), batch_size=32, shuffle=shuffle, generator=generator)


@figure(TOPIC, "train_val_curves.png", needs=("MLP", "init_weights", "train_epoch", "evaluate"))
def train_val_curves(m: ModuleType) -> Figure:
    """Your `MLP([784, 64, 10])`, initialised by your `init_weights`, trained 8 epochs with
    torch's SGD through your `train_epoch` on 200 fixture images; loss and accuracy per epoch
    from your `evaluate` on those and on 300 validation images."""
    images, labels, val_images, val_labels = fashion(200, 300)
    train, train_eval = _loader(images, labels, True), _loader(images, labels, False)
    validation = _loader(val_images, val_labels, False)
    model = m.MLP([784, 64, 10])
    m.init_weights(model, 0)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.003)
    history: dict[str, list[float]] = {"epoch loss": [], "train": [], "validation": [],
                                       "train accuracy": [], "validation accuracy": []}
    for _ in range(EPOCHS):
        history["epoch loss"].append(m.train_epoch(model, train, optimizer))
        for name, loader in (("train", train_eval), ("validation", validation)):
            loss, accuracy = m.evaluate(model, loader)
            history[name].append(loss)
            history[f"{name} accuracy"].append(accuracy)
    epochs = range(1, EPOCHS + 1)
    fig, (left, right) = panels(2, width=4.6, height=3.5,
                                title="torch_fundamentals: training an nn.Module on the fixture")
    left.plot(epochs, history["epoch loss"], color="gray", linestyle="--",
              label="train_epoch's mean loss")
    for name, color in (("train", "C0"), ("validation", "C1")):
        left.plot(epochs, history[name], color=color, marker="o", markersize=3,
                  label=f"{name} (evaluate)")
        right.plot(epochs, history[f"{name} accuracy"], color=color, marker="o", markersize=3,
                   label=name)
    style(left, "loss", "epoch", "cross-entropy", legend=True)
    style(right, "accuracy", "epoch", "accuracy", legend=True)
    return fig
