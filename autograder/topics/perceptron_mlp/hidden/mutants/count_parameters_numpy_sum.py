"""Mistake: the layer sizes are summed with np.sum over a list, which returns a np.int64 (and the
float64 0.0 for a single width, an empty list), while the docstring promises "A Python int"."""

import itertools

import numpy as np

CAUGHT_BY = ("count_parameters.python_int_widths_unchanged",)
CONTRACT = "returns"


def count_parameters(widths):
    return np.sum([a * b + b for a, b in itertools.pairwise(widths)])
