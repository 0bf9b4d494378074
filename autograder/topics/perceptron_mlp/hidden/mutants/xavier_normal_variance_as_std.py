"""Mistake: Xavier normal passes the variance 2 / (fan_in + fan_out) to rng.normal, whose second
argument is the standard deviation (the square root is missing)."""

CAUGHT_BY = ("xavier_normal.float32_large[float32]", "xavier_normal.tanh_gain[float64]")


def xavier_normal(fan_in, fan_out, rng, gain=1.0, dtype=float):
    variance = gain**2 * 2.0 / (fan_in + fan_out)
    return rng.normal(0.0, variance, size=(fan_out, fan_in)).astype(dtype)
