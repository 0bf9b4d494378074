"""Mistake: the kept values are divided by q = 1 - p with no special case, so p = 1 divides the
all-zero mask by 0 and gives NaN (0/0) everywhere. The docstring's edge case: "p = 1 returns
zeros in training (never divide by q = 0, never produce NaN)"."""

CAUGHT_BY = ("inverted_dropout.p_one_zeroes_everything[float64]",)
CONTRACT = "edges"
_reference_check_probability = _check_probability  # noqa: F821 (a mutant patches the reference)
_reference_keep_mask = _keep_mask  # noqa: F821 (a mutant patches the reference)


def inverted_dropout(x, p, training, generator):
    _reference_check_probability(p)
    if not training:
        return x
    return x * _reference_keep_mask(x, p, generator) / (1.0 - p)
