"""Mistake: softmax treated as elementwise: the upstream gradient times s * (1 - s), the
diagonal of the Jacobian only, missing the -s_i * s_j cross terms."""

CAUGHT_BY = ("softmax_vjp.constant_upstream[float64]", "softmax_vjp.float32_large[float32]")


def softmax_vjp(x, upstream, axis=-1):
    s = softmax(x, axis)  # noqa: F821 (the reference's softmax, in the same namespace)
    return upstream * s * (1.0 - s)
