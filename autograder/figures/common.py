"""What every figure shares: the registry and its decorator, one look, and the data.

A figure is a function of the student's module that returns a matplotlib `Figure`; `@figure`
registers it under its topic with the file name it is saved as and the functions it calls. Figures
are built with `matplotlib.figure.Figure`, never pyplot: no backend is chosen or switched, so it
runs headless, and no global list of open figures grows in a notebook.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import ModuleType

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure


@dataclass(frozen=True)
class FigureSpec:
    topic: str
    name: str  # the file name under figures/<topic>/
    needs: tuple[str, ...]  # the student's functions it calls, for the notebook's captions
    draw: Callable[[ModuleType], Figure]
    caption: str


REGISTRY: dict[str, list[FigureSpec]] = {}


def figure(topic: str, name: str, needs: Iterable[str],
           caption: str | None = None) -> Callable[[Callable], Callable]:
    """Register `draw(module) -> Figure` as figures/<topic>/<name>; the caption is the first
    paragraph of its docstring unless given."""
    def register(draw: Callable[[ModuleType], Figure]) -> Callable[[ModuleType], Figure]:
        text = caption or (draw.__doc__ or "").strip().split("\n\n")[0]
        spec = FigureSpec(topic, name, tuple(needs), draw, " ".join(text.split()))
        if any(s.name == name for s in REGISTRY.get(topic, [])):
            raise ValueError(f"figure {topic}/{name} is registered twice")
        REGISTRY.setdefault(topic, []).append(spec)
        return draw
    return register


# One look whatever the user's matplotlibrc or notebook backend says (applied over matplotlib's
# defaults): the same PNG bytes everywhere, with matplotlib's bundled DejaVu fonts.
STYLE = {
    "figure.dpi": 100, "savefig.dpi": 100, "font.size": 9, "axes.titlesize": 10,
    "legend.fontsize": 8, "figure.titlesize": 11, "lines.linewidth": 1.6,
}
REGIONS = ListedColormap(["#9ecae1", "#fdae6b"])  # class 0, class 1 areas
POINTS = ListedColormap(["#08519c", "#d94801"])  # class 0, class 1 points


def panels(ncols: int = 1, nrows: int = 1, *, title: str, width: float = 4.0,
           height: float = 3.3) -> tuple[Figure, list[Axes]]:
    """A figure of nrows x ncols axes (a flat list, row by row) under a title."""
    fig = Figure(figsize=(width * ncols, height * nrows), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel().tolist()
    fig.suptitle(title)
    return fig, axes


def style(ax: Axes, title: str, xlabel: str, ylabel: str, *, legend: bool = False,
          grid: bool = True) -> None:
    """Title and axis labels (every axes has them), a light grid and a legend when asked."""
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if grid:
        ax.grid(alpha=0.3)
    if legend:
        ax.legend()


def png_bytes(fig: Figure) -> bytes:
    """The figure as PNG; no "Software" entry, so the bytes depend on the pixels only."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


# ---- data (fresh arrays each call: a student's function that writes into its input must not
# change the next figure) -------------------------------------------------------------------

def moons(n_samples: int = 500, noise: float = 0.2,
          seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    from data.moons import load_moons  # here: scikit-learn takes a second to import

    return load_moons(n_samples, noise, seed)


def fashion(n_train: int = 600, n_test: int = 300,
            seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The FashionMNIST fixture: (train images, train labels, test images, test labels)."""
    from data.fixtures import fashion_mnist_arrays

    return fashion_mnist_arrays(n_train, n_test, seed)
