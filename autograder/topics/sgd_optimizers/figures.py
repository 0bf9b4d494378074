"""5-08 figures: SGD, momentum and Nesterov paths over contour plots, and a learning-rate
sweep."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import numpy as np
import torch
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from torch import Tensor

from autograder.figures.common import figure, panels, style

TOPIC = "sgd_optimizers"
CONDITION = 25.0  # ill_conditioned_quadratic's default: plain GD diverges above lr = 2 / 25
# label -> (lr, momentum, nesterov)
ROSENBROCK_RUNS = {"SGD, lr 1e-3": (1e-3, 0.0, False),
                   "momentum 0.9, lr 5e-4": (5e-4, 0.9, False),
                   "Nesterov 0.9, lr 5e-4": (5e-4, 0.9, True)}
QUADRATIC_RUNS = {"SGD, lr 0.07": (0.07, 0.0, False),
                  "momentum 0.9, lr 0.01": (0.01, 0.9, False),
                  "Nesterov 0.9, lr 0.01": (0.01, 0.9, True)}


def _contour_paths(ax: Axes, m: ModuleType, function: Callable[[Tensor], Tensor],
                   box: tuple[float, float, float, float], levels: np.ndarray,
                   start: tuple[float, float], steps: int,
                   runs: dict[str, tuple[float, float, bool]]) -> None:
    """The function's contours over box = (x0, x1, y0, y1), evaluated by the student's own
    function on a grid, and each run's `trajectory` from `start`."""
    xs = torch.linspace(box[0], box[1], 300, dtype=torch.float64)
    ys = torch.linspace(box[2], box[3], 300, dtype=torch.float64)
    grid = torch.stack(torch.meshgrid(xs, ys, indexing="xy"), dim=-1)
    with torch.no_grad():
        values = function(grid)
    ax.contour(xs, ys, values, levels=levels, colors="0.65", linewidths=0.6)
    first = torch.tensor(start, dtype=torch.float64)
    for label, (lr, momentum, nesterov) in runs.items():
        path = m.trajectory(function, first, steps, lr, momentum=momentum, nesterov=nesterov)
        path = path.detach().cpu().numpy()
        ax.plot(path[:, 0], path[:, 1], marker=".", markersize=2, linewidth=1.0, label=label)
    ax.plot(*start, marker="s", color="black", linestyle="none", label="start")
    ax.set_xlim(box[0], box[1])
    ax.set_ylim(box[2], box[3])


@figure(TOPIC, "rosenbrock_paths.png", needs=("rosenbrock", "trajectory"))
def rosenbrock_paths(m: ModuleType) -> Figure:
    """800 steps of your `trajectory` (your `SGD`) on your `rosenbrock` from (-1.2, 1): plain SGD
    crawls along the curved valley, momentum and Nesterov travel further towards (1, 1)."""
    fig, (ax,) = panels(width=6.4, height=4.6, title="sgd_optimizers: paths on the Rosenbrock "
                                                     "valley")
    _contour_paths(ax, m, m.rosenbrock, (-2.0, 2.0, -1.0, 3.0), np.logspace(-1, 3, 14),
                   (-1.2, 1.0), 800, ROSENBROCK_RUNS)
    ax.plot(1.0, 1.0, marker="*", markersize=12, color="gold", markeredgecolor="black",
            linestyle="none", label="minimum (1, 1)")
    style(ax, "f(x, y) = (1 - x)^2 + 100 (y - x^2)^2", "x", "y", legend=True, grid=False)
    return fig


@figure(TOPIC, "quadratic_paths.png", needs=("ill_conditioned_quadratic", "trajectory"))
def quadratic_paths(m: ModuleType) -> Figure:
    """60 steps of your `trajectory` on your `ill_conditioned_quadratic` (condition 25): plain
    SGD near its largest stable rate zigzags across the narrow direction, momentum and Nesterov
    roll along the long one."""
    fig, (ax,) = panels(width=6.4, height=4.0, title="sgd_optimizers: paths on an "
                                                     "ill-conditioned quadratic")
    _contour_paths(ax, m, m.ill_conditioned_quadratic, (-4.5, 1.5, -2.0, 2.0),
                   np.logspace(-2, 2, 12), (-4.0, 1.5), 60, QUADRATIC_RUNS)
    style(ax, "f(x, y) = (x^2 + 25 y^2) / 2", "x", "y", legend=True, grid=False)
    return fig


@figure(TOPIC, "lr_sweep.png", needs=("lr_sweep", "ill_conditioned_quadratic"))
def lr_sweep(m: ModuleType) -> Figure:
    """The loss after 50 steps for 25 learning rates (your `lr_sweep` on your
    `ill_conditioned_quadratic`), without and with momentum; diverged runs (+inf) leave the
    plot, and plain gradient descent diverges beyond lr = 2 / 25."""
    lrs = np.logspace(-3, 0, 25).tolist()
    start = torch.tensor([-4.0, 1.5], dtype=torch.float64)
    fig, (ax,) = panels(width=6.0, height=3.8, title="sgd_optimizers: learning-rate sweep")
    for label, momentum in (("SGD", 0.0), ("momentum 0.9", 0.9)):
        losses = m.lr_sweep(m.ill_conditioned_quadratic, start, lrs, 50, momentum=momentum)
        losses = losses.detach().cpu().numpy()
        ax.plot(lrs, np.where(np.isfinite(losses), losses, np.nan), marker=".", label=label)
    ax.axvline(2 / CONDITION, color="gray", linestyle=":", label="lr = 2 / condition")
    ax.set_xscale("log")
    ax.set_yscale("log")
    style(ax, "ill-conditioned quadratic, 50 steps from (-4, 1.5)", "learning rate",
          "final loss (log scale)", legend=True)
    return fig
