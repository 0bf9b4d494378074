"""Mistake: relu'(0) = 1 (the mask x >= 0) instead of the stated convention relu'(0) = 0."""

CAUGHT_BY = ("relu_grad.convention_at_zero[float64]", "relu_grad.float32_large[float32]")
CONTRACT = "edges"


def relu_grad(x):
    return (x >= 0).astype(x.dtype)
