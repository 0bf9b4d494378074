"""Mistake: relu's derivative is 1 at exactly 0 (`x >= 0`), where torch's autograd gives 0."""

CAUGHT_BY = ("Value.relu_at_zero",)
CONTRACT = "edges"


class Value(Value):  # noqa: F821 (the reference's Value, in the same namespace)
    def relu(self):
        return _result(max(self.data, 0.0), "relu", (self,),  # noqa: F821
                       lambda out: (1.0 if self.data >= 0 else 0.0,))
