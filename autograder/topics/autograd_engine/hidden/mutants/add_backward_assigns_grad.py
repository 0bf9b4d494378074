"""Mistake: the addition's backward assigns the operands' grads (`=`) instead of adding to them
(`+=`), so a Value used twice (`a + a`, `c = c + c + 1`) or used by several nodes keeps only the
last contribution."""

CAUGHT_BY = ("Value.node_reuse_self_ops", "Value.matches_torch_random[diamond_node_reuse]")


class Value(Value):  # noqa: F821 (the reference's Value, in the same namespace)
    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def backward():
            self.grad = out.grad
            other.grad = out.grad

        out._backward = backward
        return out
