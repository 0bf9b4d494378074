"""Mistake: the ReLU mask is cast with astype(float), which is float64 whatever the input, so a
float32 input gives a float64 derivative."""

CAUGHT_BY = ("relu_grad.float32_large[float32]", "relu_grad.extremes_no_overflow[float32]")
CONTRACT = "dtypes"


def relu_grad(x):
    return (x > 0).astype(float)
