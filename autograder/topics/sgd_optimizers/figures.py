"""5-08 figures: SGD, momentum and Nesterov paths over contour plots beside their distance to the
minimum, and a learning-rate sweep."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import numpy as np
import torch
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from torch import Tensor

from autograder.figures.common import (
    coordinates,
    figure,
    integer_ticks,
    mark_start_and_minimum,
    panels,
    style,
)

TOPIC = "sgd_optimizers"
CONDITION = 25.0  # ill_conditioned_quadratic's default: plain GD diverges above lr = 2 / 25
# label -> (lr, momentum, nesterov)
ROSENBROCK_RUNS = {"SGD, lr 1e-3": (1e-3, 0.0, False),
                   "momentum 0.9, lr 5e-4": (5e-4, 0.9, False),
                   "Nesterov 0.9, lr 5e-4": (5e-4, 0.9, True)}
QUADRATIC_RUNS = {"SGD, lr 0.07": (0.07, 0.0, False),
                  "momentum 0.9, lr 0.01": (0.01, 0.9, False),
                  "Nesterov 0.9, lr 0.01": (0.01, 0.9, True)}
# One look per run, in the order of the runs above. Momentum and Nesterov nearly coincide and
# share the first part of plain SGD's valley: SGD lies on top (the highest zorder) and thin, the
# other two below it in two widths and line styles, and each path's end has its own marker.
RUN_LOOKS = ({"color": "C0", "linestyle": "-", "linewidth": 1.2, "zorder": 4, "marker": "o"},
             {"color": "C1", "linestyle": "-", "linewidth": 2.6, "zorder": 2, "marker": "^"},
             {"color": "C2", "linestyle": "--", "linewidth": 1.4, "zorder": 3, "marker": "v"})


def _paths(m: ModuleType, function: Callable[[Tensor], Tensor], start: tuple[float, float],
           steps: int, runs: dict[str, tuple[float, float, bool]]) -> dict[str, np.ndarray]:
    """Each run's `trajectory` from `start`: label -> (steps + 1, 2) array."""
    first = torch.tensor(start, dtype=torch.float64)
    return {label: m.trajectory(function, first, steps, lr, momentum=momentum,
                                nesterov=nesterov).detach().cpu().numpy()
            for label, (lr, momentum, nesterov) in runs.items()}


def _contour_paths(ax: Axes, function: Callable[[Tensor], Tensor],
                   box: tuple[float, float, float, float], levels: np.ndarray,
                   paths: dict[str, np.ndarray], start: tuple[float, float],
                   minimum: tuple[float, float], dots: bool) -> None:
    """The function's contours over box = (x0, x1, y0, y1), evaluated by the student's own
    function on a grid, each path (its points as dots when `dots`) ending in a marker named
    with the end point, and the start and the minimum."""
    xs = torch.linspace(box[0], box[1], 300, dtype=torch.float64)
    ys = torch.linspace(box[2], box[3], 300, dtype=torch.float64)
    grid = torch.stack(torch.meshgrid(xs, ys, indexing="xy"), dim=-1)
    with torch.no_grad():
        values = function(grid)
    ax.contour(xs, ys, values, levels=levels, colors="0.65", linewidths=0.6)
    for (label, path), look in zip(paths.items(), RUN_LOOKS, strict=True):
        look = dict(look)
        end_marker = look.pop("marker")
        ax.plot(path[:, 0], path[:, 1], marker="." if dots else None, markersize=3, **look)
        # the end marker carries the legend entry: the legend shows how each path ends
        ax.plot(path[-1, 0], path[-1, 1], marker=end_marker, markersize=8, color=look["color"],
                markeredgecolor="black", linestyle=look["linestyle"],
                linewidth=look["linewidth"], zorder=6,
                label=f"{label}: ends at {coordinates(path[-1])}")
    mark_start_and_minimum(ax, start, minimum)
    ax.set_xlim(box[0], box[1])
    ax.set_ylim(box[2], box[3])


def _distances(ax: Axes, paths: dict[str, np.ndarray], minimum: tuple[float, float]) -> None:
    """Each path's distance to the minimum per step, on a log scale: how far each run got."""
    for (label, path), look in zip(paths.items(), RUN_LOOKS, strict=True):
        distance = np.linalg.norm(path - np.asarray(minimum), axis=1)
        ax.plot(np.arange(len(path)), distance, color=look["color"],
                linestyle=look["linestyle"], linewidth=look["linewidth"], zorder=look["zorder"],
                label=f"{label}: {distance[-1]:.2g} at the end")
    ax.set_yscale("log")
    integer_ticks(ax)
    style(ax, f"distance to the minimum ({minimum[0]:g}, {minimum[1]:g})", "step (0: the start)",
          "distance (log scale)", legend=True)


@figure(TOPIC, "rosenbrock_paths.png", needs=("rosenbrock", "trajectory"))
def rosenbrock_paths(m: ModuleType) -> Figure:
    """800 steps of your `trajectory` (your `SGD`) on your `rosenbrock` from (-1.2, 1): plain SGD
    crawls along the curved valley and stops near its bottom (0, 0), momentum and Nesterov
    travel much further towards the minimum (1, 1). Right: each path's distance to (1, 1) per
    step, on a log scale."""
    start = (-1.2, 1.0)
    paths = _paths(m, m.rosenbrock, start, 800, ROSENBROCK_RUNS)
    fig, (ax, right) = panels(2, width=5.2, height=4.4,
                              title="sgd_optimizers: 800 steps on the Rosenbrock valley")
    _contour_paths(ax, m.rosenbrock, (-2.0, 2.0, -1.0, 3.0), np.logspace(-1, 3, 14), paths,
                   start, (1.0, 1.0), dots=False)
    style(ax, "f(x, y) = (1 - x)^2 + 100 (y - x^2)^2", "x", "y", legend=True, grid=False)
    _distances(right, paths, (1.0, 1.0))
    return fig


@figure(TOPIC, "quadratic_paths.png", needs=("ill_conditioned_quadratic", "trajectory"))
def quadratic_paths(m: ModuleType) -> Figure:
    """60 steps of your `trajectory` on your `ill_conditioned_quadratic` (condition 25) from
    (-4, 1.5) towards the minimum (0, 0): plain SGD near its largest stable rate zigzags across
    the narrow direction, momentum and Nesterov roll along the long one. Right: each path's
    distance to (0, 0) per step, on a log scale."""
    start = (-4.0, 1.5)
    paths = _paths(m, m.ill_conditioned_quadratic, start, 60, QUADRATIC_RUNS)
    fig, (ax, right) = panels(2, width=5.2, height=4.0,
                              title="sgd_optimizers: 60 steps on an ill-conditioned quadratic")
    _contour_paths(ax, m.ill_conditioned_quadratic, (-4.5, 1.5, -2.0, 2.0),
                   np.logspace(-2, 2, 12), paths, start, (0.0, 0.0), dots=True)
    style(ax, "f(x, y) = (x^2 + 25 y^2) / 2", "x", "y", legend=True, grid=False)
    _distances(right, paths, (0.0, 0.0))
    return fig


@figure(TOPIC, "lr_sweep.png", needs=("lr_sweep", "ill_conditioned_quadratic"))
def lr_sweep(m: ModuleType) -> Figure:
    """The loss after 50 steps for 25 learning rates (your `lr_sweep` on your
    `ill_conditioned_quadratic`), without and with momentum; diverged runs (+inf) leave the
    plot, and plain gradient descent diverges beyond lr = 2 / 25."""
    lrs = np.logspace(-3, 0, 25).tolist()
    start = torch.tensor([-4.0, 1.5], dtype=torch.float64)
    fig, (ax,) = panels(width=6.0, height=3.8,
                        title="sgd_optimizers: learning-rate sweep, 25 rates from 1e-3 to 1")
    for label, momentum in (("SGD", 0.0), ("momentum 0.9", 0.9)):
        losses = m.lr_sweep(m.ill_conditioned_quadratic, start, lrs, 50, momentum=momentum)
        losses = losses.detach().cpu().numpy()
        ax.plot(lrs, np.where(np.isfinite(losses), losses, np.nan), marker=".", label=label)
    ax.axvline(2 / CONDITION, color="gray", linestyle=":", label="lr = 2 / 25: SGD's limit")
    ax.set_xscale("log")
    ax.set_yscale("log")
    style(ax, "f(x, y) = (x^2 + 25 y^2) / 2, 50 steps from (-4, 1.5)",
          "learning rate (log scale)", "loss after 50 steps (log scale)", legend=True)
    return fig
