"""Mistake: the derivative of GELU = x * Phi(x) taken as Phi(x) alone, forgetting the product
rule's x * phi(x) term."""

import math

from scipy.special import erf

CAUGHT_BY = ("gelu_grad.float32_large[float32]", "gelu_grad.noncontiguous_defaults[float64]")


def gelu_grad(x):
    return 0.5 * (1.0 + erf(x / math.sqrt(2.0)))
