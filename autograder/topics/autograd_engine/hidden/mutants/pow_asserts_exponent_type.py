"""Mistake: __pow__ checks its exponent with an assert (micrograd's `assert isinstance(other,
(int, float))`). The docstring says a Value exponent raises TypeError; an assert raises
AssertionError instead (and disappears under python -O)."""

CAUGHT_BY = ("Value.errors_of_every_operation",)
CONTRACT = "errors"


class Value(Value):  # noqa: F821 (the reference's Value, in the same namespace)
    def __pow__(self, exponent):
        assert isinstance(exponent, (int, float)), "only int and float powers"
        return super().__pow__(exponent)
