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
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator


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


def style(ax: Axes, title: str, xlabel: str, ylabel: str, *, legend: bool | str = False,
          grid: bool = True) -> None:
    """Title and axis labels (every axes has them), a light grid and a legend when asked:
    legend=True puts it inside the axes where matplotlib finds the emptiest corner, "right" beside
    the axes, where it can cover no curve whatever the student's code draws."""
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if grid:
        ax.grid(alpha=0.3)
    if legend == "right":
        # constrained layout makes room for it: the legend is part of the axes' bounding box
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0)
    elif legend:
        ax.legend()


def headroom(ax: Axes, fraction: float = 0.35) -> None:
    """Raise the top of the y-axis by `fraction` of its range: an empty band above the curves
    where a legend inside the axes covers none of them."""
    low, high = ax.get_ylim()
    ax.set_ylim(low, high + fraction * (high - low))


def integer_ticks(ax: Axes, axis: str = "x") -> None:
    """Whole-number ticks only, for counts such as epochs, layers or errors (no "2.5 layers")."""
    locator = MaxNLocator(integer=True, steps=[1, 2, 5, 10])  # 0, 10, 20, not 0, 8, 16
    (ax.xaxis if axis == "x" else ax.yaxis).set_major_locator(locator)


def coordinates(point) -> str:
    """A 2-D point as "(x, y)" with two decimals, and never "-0.00" for a tiny negative."""
    return "({:.2f}, {:.2f})".format(*(round(float(v), 2) + 0.0 for v in point))


def mark_start_and_minimum(ax: Axes, start: tuple[float, float],
                           minimum: tuple[float, float]) -> None:
    """The start of an optimiser's path (a black square) and the function's minimum (a gold
    star), both named in the legend with their coordinates."""
    # above everything else: a path that ends at the minimum must not hide it
    ax.plot(*start, marker="s", color="black", linestyle="none", zorder=10,
            label=f"start ({start[0]:g}, {start[1]:g})")
    ax.plot(*minimum, marker="*", markersize=14, color="gold", markeredgecolor="black",
            linestyle="none", zorder=10, label=f"minimum ({minimum[0]:g}, {minimum[1]:g})")


def class_legend(fig: Figure, points: tuple[str, str],
                 regions: tuple[str, str] | None = None) -> None:
    """One legend under all the panels, naming what each colour means: the points of class 0 and
    class 1 and, when drawn, the areas given to each class."""
    handles = [Line2D([], [], linestyle="none", marker="o", markersize=6, color=POINTS(k),
                      label=name) for k, name in enumerate(points)]
    handles += [Patch(facecolor=REGIONS(k), label=name) for k, name in enumerate(regions or ())]
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles))


def png_bytes(fig: Figure) -> bytes:
    """The figure as PNG; no "Software" entry, so the bytes depend on the pixels only."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


# ---- data (fresh arrays each call: a student's function that writes into its input must not
# change the next figure) -------------------------------------------------------------------

def moons_name(n_samples: int = 500, noise: float = 0.2) -> str:
    """How a figure names the data set `moons` returns, e.g. "make_moons(n=500, noise=0.2)"."""
    return f"make_moons(n={n_samples}, noise={noise:g})"


def moons(n_samples: int = 500, noise: float = 0.2,
          seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    from data.moons import load_moons  # here: scikit-learn takes a second to import

    return load_moons(n_samples, noise, seed)


def fashion(n_train: int = 600, n_test: int = 300,
            seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The FashionMNIST fixture: (train images, train labels, test images, test labels)."""
    from data.fixtures import fashion_mnist_arrays

    return fashion_mnist_arrays(n_train, n_test, seed)
