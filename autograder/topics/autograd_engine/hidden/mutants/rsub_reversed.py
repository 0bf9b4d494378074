"""Mistake: reflected subtraction computes self - other, so `2 - v` gives v - 2 (the sign of both
the value and the gradient flips)."""

CAUGHT_BY = ("Value.reflected_operators",)


class Value(Value):  # noqa: F821 (the reference's Value, in the same namespace)
    def __rsub__(self, other):
        return self - other
