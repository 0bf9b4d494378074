"""Mistake: the ReLU derivative written into x itself (x[x > 0] = 1, x[x <= 0] = 0) and x
returned: the values and dtype are right, but the caller's pre-activations are overwritten,
although the rules say "leave x unchanged (no out=x, no x -= ...)"."""

CAUGHT_BY = ("relu_grad.leaves_input_unchanged[float64]",)
CONTRACT = "unchanged"


def relu_grad(x):
    x[x > 0] = 1.0
    x[x <= 0] = 0.0
    return x
