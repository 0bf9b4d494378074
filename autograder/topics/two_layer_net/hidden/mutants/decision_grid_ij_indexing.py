"""Mistake: np.meshgrid(xs, ys, indexing="ij"): xx varies along the rows instead of the columns,
so the grid (and contourf's plot) comes out transposed."""

import numpy as np

CAUGHT_BY = ("decision_grid.large_float64", "decision_grid.corners_only")


def decision_grid(params, x_range, y_range, steps):
    xs = np.linspace(x_range[0], x_range[1], steps)
    ys = np.linspace(y_range[0], y_range[1], steps)
    xx, yy = np.meshgrid(xs, ys, indexing="ij")
    points = np.column_stack([xx.ravel(), yy.ravel()])
    return xx, yy, predict(params, points).reshape(xx.shape)  # noqa: F821 - the reference's
