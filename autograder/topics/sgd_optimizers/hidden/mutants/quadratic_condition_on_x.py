"""Mistake: the condition number multiplies x^2 instead of y^2:
f = 0.5 * (condition * x^2 + y^2)."""

CAUGHT_BY = ("ill_conditioned_quadratic.other_condition[float64]",
             "ill_conditioned_quadratic.noncontiguous_grid[float64]")


def ill_conditioned_quadratic(xy, condition=25.0):
    x, y = xy[..., 0], xy[..., 1]
    return 0.5 * (condition * x**2 + y**2)
