"""Mistake: tanh'(x) = 1 - tanh(x)^2 applied to the input, 1 - x^2, as if x were already the
output tanh(x) (the form backprop code uses when it caches the activation)."""

CAUGHT_BY = ("tanh_grad.float32_large[float32]", "tanh_grad.noncontiguous_defaults[float64]")


def tanh_grad(x):
    return 1.0 - x * x
