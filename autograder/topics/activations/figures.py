"""5-03 figures: each activation and its derivative, one figure per activation so that each
appears as soon as its pair of functions is written."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import numpy as np
from matplotlib.figure import Figure

from autograder.figures.common import figure, panels, style

TOPIC = "activations"
X = np.linspace(-5.0, 5.0, 1001)
# name -> keyword arguments (Leaky ReLU's slope is 0.1, not 0.01, so that it can be seen)
ACTIVATIONS = {"sigmoid": {}, "tanh": {}, "relu": {}, "leaky_relu": {"slope": 0.1},
               "elu": {"alpha": 1.0}, "gelu": {}, "gelu_tanh": {}, "silu": {}}


def _drawer(name: str, kwargs: dict) -> Callable[[ModuleType], Figure]:
    def draw(m: ModuleType) -> Figure:
        function, derivative = getattr(m, name), getattr(m, f"{name}_grad")
        arguments = ", ".join(["x", *(f"{k}={v}" for k, v in kwargs.items())])
        y, dy = function(X.copy(), **kwargs), derivative(X.copy(), **kwargs)
        fig, (left, right) = panels(2, width=4.2, height=3.2,
                                    title=f"activations: {name}({arguments})")
        left.plot(X, y, color="C0")
        style(left, f"{name}(x)", "x", "f(x)")
        right.plot(X, dy, color="C1", label=f"{name}_grad(x)")
        # central differences of the student's own function: a wrong derivative shows as a gap
        right.plot(X[1:-1], (y[2:] - y[:-2]) / (X[2:] - X[:-2]), color="black",
                   linestyle=(0, (2, 3)), label="finite differences of f")
        style(right, "its derivative", "x", "f'(x)", legend=True)
        return fig
    return draw


for _name, _kwargs in ACTIVATIONS.items():
    figure(TOPIC, f"{_name}.png", needs=(_name, f"{_name}_grad"),
           caption=f"`{_name}` on [-5, 5], and `{_name}_grad` beside the finite differences of "
                   f"`{_name}`: the two curves coincide when the derivative is right.")(
        _drawer(_name, _kwargs))
