"""Mistake: the quotient rule's sign is lost: d(a/b)/db = +a / b^2 instead of -a / b^2."""

CAUGHT_BY = ("Value.matches_torch_random[float64]", "Value.reflected_operators")


class Value(Value):  # noqa: F821 (the reference's Value, in the same namespace)
    def __truediv__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return _result(self.data / other.data, "/", (self, other),  # noqa: F821
                       lambda out: (1.0 / other.data, self.data / other.data ** 2))
