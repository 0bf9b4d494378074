"""5-07 figures: training and test curves of the student's nn.Module and loops on real images
(FashionMNIST when `make data` has fetched it, else scikit-learn's real handwritten digits; see
data/digits.py)."""

from __future__ import annotations

from types import ModuleType

import numpy as np
import torch
from matplotlib.figure import Figure
from torch.utils.data import DataLoader, TensorDataset

from autograder.figures.common import figure, panels, style
from data.digits import real_images  # scikit-learn is imported on first use
from data.fashion_mnist import FASHION_MNIST_MEAN, FASHION_MNIST_STD

TOPIC = "torch_fundamentals"
EPOCHS = 15
# Plain SGD at 0.01 climbs steadily on the digits (0.003, tuned on the fixture, is slow there;
# 0.03 and more jump about in the first epochs).
LEARNING_RATE = 0.01
# FashionMNIST has 60,000 training images: the figure takes the first ones only, so that it is
# drawn in seconds (the digits, 1,347 train and 450 test images, are used whole).
MAX_TRAIN, MAX_TEST = 10_000, 2_000


def _loader(images: np.ndarray, labels: np.ndarray, shuffle: bool) -> DataLoader:
    """Images uint8 (N, 28, 28) and labels (N,) as the student's `fashion_mnist_loaders` would
    give them (batches of normalised float32 (B, 1, 28, 28) images and int64 (B,) labels),
    without writing files. The digits get FashionMNIST's mean and std too: they need only bring
    the pixels near mean 0 and std 1, not exactly there."""
    x = torch.tensor(images, dtype=torch.float32).div(255.0)
    x = ((x - FASHION_MNIST_MEAN) / FASHION_MNIST_STD).unsqueeze(1)
    y = torch.tensor(labels, dtype=torch.int64)
    generator = torch.Generator().manual_seed(0) if shuffle else None
    return DataLoader(TensorDataset(x, y), batch_size=32, shuffle=shuffle, generator=generator)


@figure(TOPIC, "train_val_curves.png", needs=("MLP", "init_weights", "train_epoch", "evaluate"))
def train_val_curves(m: ModuleType) -> Figure:
    """Your `MLP([784, 64, 10])`, initialised by your `init_weights`, trained 15 epochs with
    torch's SGD (lr 0.01, batches of 32) through your `train_epoch` on real images; loss and
    accuracy per epoch from your `evaluate` on the training images and on held-out test images:
    scikit-learn's digits (1,347 train, 450 test), or FashionMNIST's first 10,000 train and 2,000
    test images once `make data` has fetched it."""
    data = real_images(MAX_TRAIN, MAX_TEST)
    train = _loader(data.train_images, data.train_labels, True)
    held = {"train": _loader(data.train_images, data.train_labels, False),
            "test": _loader(data.test_images, data.test_labels, False)}
    model = m.MLP([784, 64, 10])
    m.init_weights(model, 0)
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
    history: dict[str, list[float]] = {"epoch loss": [], "train": [], "test": [],
                                       "train accuracy": [], "test accuracy": []}
    for _ in range(EPOCHS):
        history["epoch loss"].append(m.train_epoch(model, train, optimizer))
        for name, loader in held.items():
            loss, accuracy = m.evaluate(model, loader)
            history[name].append(loss)
            history[f"{name} accuracy"].append(accuracy)
    return _curves(history, data.name, len(data.train_images), len(data.test_images))


def _curves(history: dict[str, list[float]], name: str, n_train: int, n_test: int) -> Figure:
    """Loss (left) and accuracy (right) per epoch of `train_val_curves`' history."""
    epochs = range(1, len(history["train"]) + 1)
    fig, (left, right) = panels(2, width=4.6, height=3.5,
                                title=f"torch_fundamentals: training an nn.Module on {name}")
    left.plot(epochs, history["epoch loss"], color="gray", linestyle="--",
              label="train_epoch's mean loss")
    for split, color, n in (("train", "C0", n_train), ("test", "C1", n_test)):
        left.plot(epochs, history[split], color=color, marker="o", markersize=3,
                  label=f"{split}, {n:,} images (evaluate)")
        final = history[f"{split} accuracy"][-1]
        right.plot(epochs, history[f"{split} accuracy"], color=color, marker="o", markersize=3,
                   label=f"{split}: {final:.3f} after {len(epochs)} epochs")
    style(left, "loss", "epoch", "cross-entropy", legend=True)
    style(right, "accuracy", "epoch", "accuracy", legend=True)
    return fig
