"""Mistake: the power rule forgets the factor p: d(x^p)/dx = x^(p-1) instead of p * x^(p-1)."""

import math

CAUGHT_BY = ("Value.negative_exponent_fractional_exponent",
             "Value.matches_torch_random[float64]")


class Value(Value):  # noqa: F821 (the reference's Value, in the same namespace)
    def __pow__(self, exponent):
        exponent = float(exponent)
        return _result(math.pow(self.data, exponent), "**", (self,),  # noqa: F821
                       lambda out: (math.pow(self.data, exponent - 1.0),))
