"""Mistake: the textbook sigmoid 1 / (1 + exp(-x)) for every x: exp(-x) overflows for large
negative x (a RuntimeWarning, and inf on the way to the right answer 0)."""

import numpy as np

CAUGHT_BY = ("sigmoid.extremes_no_overflow[float64]", "sigmoid.extremes_no_overflow[float32]")
CONTRACT = "edges"


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))
