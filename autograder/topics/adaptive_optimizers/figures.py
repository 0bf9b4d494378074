"""5-09 figures: the learning-rate schedules, the LR finder's curve, and RMSProp and Adam paths
on an ill-conditioned bowl."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import numpy as np
import torch
import torch.nn.functional as F
from matplotlib.figure import Figure
from torch import Tensor, nn

from autograder.figures.common import (
    coordinates,
    figure,
    mark_start_and_minimum,
    moons,
    moons_name,
    panels,
    style,
)

TOPIC = "adaptive_optimizers"
ITERATIONS = 1000
PATH_STEPS = 80
BATCH = 50


@figure(TOPIC, "schedules.png",
        needs=("warmup_cosine_lr", "one_cycle_lr", "cosine_warm_restarts_lr"))
def schedules(m: ModuleType) -> Figure:
    """Your three schedules over iterations 0 to 999, peak 0.1: warm-up then cosine to a floor of
    0.005, one-cycle, and cosine with warm restarts (cycles of 100, 200, 400 iterations)."""
    t = range(ITERATIONS)
    curves = {
        "warmup_cosine_lr\nwarm-up 100, floor 0.005":
            [m.warmup_cosine_lr(i, 0.1, 100, ITERATIONS, min_lr=0.005) for i in t],
        "one_cycle_lr\npct_start 0.3": [m.one_cycle_lr(i, 0.1, ITERATIONS) for i in t],
        "cosine_warm_restarts_lr\nT_0 100, T_mult 2":
            [m.cosine_warm_restarts_lr(i, 0.1, 100, T_mult=2) for i in t],
    }
    fig, (ax,) = panels(width=8.4, height=3.8, title="adaptive_optimizers: learning-rate "
                                                     "schedules, peak 0.1")
    for label, rates in curves.items():
        ax.plot(t, rates, label=label)
    # the curves fill the whole axes (each spans 0 to 0.1): the legend goes beside them
    style(ax, f"the learning rate at each of {ITERATIONS} iterations",
          "iteration (the schedule's argument, from 0)", "learning rate", legend="right")
    return fig


def _moons_batches() -> list[tuple[Tensor, Tensor]]:
    x, y = moons()
    inputs = torch.tensor(x, dtype=torch.float32)
    targets = torch.tensor(y, dtype=torch.int64)
    return [(inputs[i:i + BATCH], targets[i:i + BATCH]) for i in range(0, len(x), BATCH)]


@figure(TOPIC, "lr_finder.png", needs=("lr_finder",))
def lr_finder(m: ModuleType) -> Figure:
    """Your `lr_finder` on a 2-32-2 ReLU network over make_moons(500, noise 0.2) in 10 batches of
    50 (reused in turn) with torch's SGD (momentum 0.9), rates 1e-4 to 100: the smoothed
    training loss against the rate, your suggestion and where the sweep stopped."""
    model = nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Linear(32, 2))
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
    batches = _moons_batches()
    result = m.lr_finder(model, F.cross_entropy, batches, optimizer, min_lr=1e-4,
                         max_lr=100.0, num_steps=100)
    fig, (ax,) = panels(width=6.4, height=4.0,
                        title=f"adaptive_optimizers: the LR finder on a 2-32-2 ReLU network\n"
                              f"{moons_name()}, {len(batches)} batches of {BATCH}")
    ax.plot(result["rates"], result["losses"], label="smoothed loss")
    ax.axvline(result["suggestion"], color="C2", linestyle="--",
               label=f"suggestion {result['suggestion']:.3g}")
    if result["diverged_lr"] is not None:
        ax.axvline(result["diverged_lr"], color="C3", linestyle=":",
                   label=f"diverged at {result['diverged_lr']:.3g}")
    ax.set_xscale("log")
    style(ax, "SGD momentum 0.9, exponential sweep 1e-4 to 100, 100 steps at most",
          "learning rate (log scale)", "smoothed training loss (cross-entropy)", legend=True)
    return fig


def _path(step: Callable[[Tensor, Tensor, dict], Tensor]) -> np.ndarray:
    point = torch.tensor([-4.0, 1.5], dtype=torch.float64)
    state: dict = {}
    points = [point.clone()]
    for _ in range(PATH_STEPS):
        grad = torch.tensor([point[0].item(), 25.0 * point[1].item()], dtype=torch.float64)
        step(point, grad, state)
        points.append(point.clone())
    return torch.stack(points).numpy()


@figure(TOPIC, "adaptive_paths.png", needs=("rmsprop_step", "adam_step"))
def adaptive_paths(m: ModuleType) -> Figure:
    """80 steps on the bowl (x^2 + 25 y^2) / 2 from (-4, 1.5) towards its minimum (0, 0) with
    plain gradient descent and your `rmsprop_step` and `adam_step`: the adaptive methods scale
    each coordinate by its own gradient history, so the steep direction no longer dictates the
    step."""
    runs = {
        "gradient descent, lr 0.07": lambda p, g, s: p.sub_(0.07 * g),
        "RMSProp, lr 0.1": lambda p, g, s: m.rmsprop_step(p, g, s, lr=0.1),
        "Adam, lr 0.3": lambda p, g, s: m.adam_step(p, g, s, lr=0.3),
    }
    xs = np.linspace(-4.5, 1.5, 300)
    ys = np.linspace(-2.0, 2.0, 300)
    xx, yy = np.meshgrid(xs, ys)
    fig, (ax,) = panels(width=6.4, height=4.0,
                        title=f"adaptive_optimizers: {PATH_STEPS} steps on an ill-conditioned bowl")
    ax.contour(xx, yy, 0.5 * (xx**2 + 25.0 * yy**2), levels=np.logspace(-2, 2, 12),
               colors="0.65", linewidths=0.6)
    for label, step in runs.items():
        path = _path(step)
        ax.plot(path[:, 0], path[:, 1], marker=".", markersize=2, linewidth=1.0,
                label=f"{label}: ends at {coordinates(path[-1])}")
    mark_start_and_minimum(ax, (-4.0, 1.5), (0.0, 0.0))
    ax.set_xlim(-4.5, 1.5)
    ax.set_ylim(-2.0, 2.0)
    style(ax, "f(x, y) = (x^2 + 25 y^2) / 2", "x", "y", legend=True, grid=False)
    return fig
