"""5-03 figures: each activation and its derivative, one figure per activation so that each
appears as soon as its pair of functions is written; the tanh approximation of GELU also shows
how far it is from the exact GELU."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from autograder.figures.common import figure, headroom, panels, style

TOPIC = "activations"
X = np.linspace(-5.0, 5.0, 1001)
GRID = "x: 1001 points in [-5, 5]"
# name -> keyword arguments (Leaky ReLU's slope is 0.1, not 0.01, so that it can be seen)
ACTIVATIONS = {"sigmoid": {}, "tanh": {}, "relu": {}, "leaky_relu": {"slope": 0.1},
               "elu": {"alpha": 1.0}, "gelu": {}, "gelu_tanh": {}, "silu": {}}
# an approximation -> the exact function it stands for: its figure adds a panel of the error,
# which is about 1e-4 of the values and invisible beside them
APPROXIMATES = {"gelu_tanh": "gelu"}


def _difference(ax: Axes, m: ModuleType, name: str, exact: str, y: np.ndarray) -> None:
    """name(x) - exact(x) on its own scale, its largest size marked and stated."""
    error = y - getattr(m, exact)(X.copy())
    worst = int(np.argmax(np.abs(error)))
    largest = float(abs(error[worst]))
    # an offset "1e-4" in the corner is easy to miss: the power of ten goes in the axis label
    # ("nan" or "inf", from a broken function, has no exponent and is stated as it is)
    mantissa, _, exponent = f"{largest:.1e}".partition("e")
    power = int(exponent) if exponent and largest > 0 else 0
    stated = f"{mantissa}e{power}" if power else f"{largest:.2g}"
    ax.plot(X, error, color="C2")
    ax.plot(X[worst], error[worst], marker="o", color="C3", linestyle="none",
            label=f"largest: {stated} at x = {X[worst]:.2f}")
    ax.yaxis.set_major_formatter(lambda value, _: f"{value / 10.0 ** power:g}")
    headroom(ax)
    unit = f" (units of 1e{power})" if power else ""
    style(ax, f"its error against {exact}: at most {stated}", "x",
          f"{name}(x) - {exact}(x){unit}", legend=True)


def _drawer(name: str, kwargs: dict) -> Callable[[ModuleType], Figure]:
    def draw(m: ModuleType) -> Figure:
        function, derivative = getattr(m, name), getattr(m, f"{name}_grad")
        arguments = ", ".join(["x", *(f"{k}={v}" for k, v in kwargs.items())])
        y, dy = function(X.copy(), **kwargs), derivative(X.copy(), **kwargs)
        exact = APPROXIMATES.get(name)
        fig, axes = panels(3 if exact else 2, width=4.2, height=3.2,
                           title=f"activations: {name}({arguments}), {GRID}")
        axes[0].plot(X, y, color="C0")
        style(axes[0], f"{name}(x)", "x", "f(x)")
        axes[1].plot(X, dy, color="C1", label=f"{name}_grad(x)")
        # central differences of the student's own function: a wrong derivative shows as a gap
        axes[1].plot(X[1:-1], (y[2:] - y[:-2]) / (X[2:] - X[:-2]), color="black",
                     linestyle=(0, (2, 3)), label="finite differences of f")
        headroom(axes[1])
        style(axes[1], "its derivative", "x", "f'(x)", legend=True)
        if exact:
            _difference(axes[2], m, name, exact, y)
        return fig
    return draw


def _caption(name: str) -> str:
    caption = (f"`{name}` on [-5, 5], and `{name}_grad` beside the finite differences of "
               f"`{name}`: the two curves coincide when the derivative is right.")
    if name in APPROXIMATES:
        exact = APPROXIMATES[name]
        caption += (f" It looks exactly like `{exact}`: the third panel shows the difference "
                    f"`{name}(x) - {exact}(x)` on its own scale, a few 1e-4 at most.")
    return caption


for _name, _kwargs in ACTIVATIONS.items():
    _needs = (_name, f"{_name}_grad", *([APPROXIMATES[_name]] if _name in APPROXIMATES else []))
    figure(TOPIC, f"{_name}.png", needs=_needs, caption=_caption(_name))(_drawer(_name, _kwargs))
