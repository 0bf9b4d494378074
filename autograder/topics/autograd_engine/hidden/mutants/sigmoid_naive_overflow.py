"""Mistake: sigmoid computed as 1 / (1 + exp(-x)) for every x: math.exp(800) raises OverflowError
at x = -800."""

import math

CAUGHT_BY = ("Value.large_inputs_saturate",)
CONTRACT = "edges"


class Value(Value):  # noqa: F821 (the reference's Value, in the same namespace)
    def sigmoid(self):
        return _result(1.0 / (1.0 + math.exp(-self.data)), "sigmoid", (self,),  # noqa: F821
                       lambda out: (out.data * (1.0 - out.data),))
