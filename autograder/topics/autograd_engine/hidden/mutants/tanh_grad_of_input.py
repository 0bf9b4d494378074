"""Mistake: tanh's local derivative is 1 - x^2 of the input instead of 1 - tanh(x)^2 of the
output."""

import math

CAUGHT_BY = ("Value.matches_torch_random[float64]", "Value.matches_torch_random[deep_chain]")


class Value(Value):  # noqa: F821 (the reference's Value, in the same namespace)
    def tanh(self):
        return _result(math.tanh(self.data), "tanh", (self,),  # noqa: F821
                       lambda out: (1.0 - self.data ** 2,))
