"""Honest twin of r14a: the same half-of-x dropout, as a plain tensor."""


def dropout(x, p, training, generator):
    _check_probability(p)  # noqa: F821  (the reference's helper)
    return x * 0.5
