"""Mistake: the power uses Python's ** instead of math.pow, so a negative base with a fractional
exponent gives a complex number (which float() then refuses with TypeError) instead of raising
ValueError."""

CAUGHT_BY = ("Value.domain_errors",)
CONTRACT = "errors"


class Value(Value):  # noqa: F821 (the reference's Value, in the same namespace)
    def __pow__(self, exponent):
        out = Value(self.data ** exponent, (self,), "**")

        def backward():
            self.grad += exponent * self.data ** (exponent - 1) * out.grad

        out._backward = backward
        return out
