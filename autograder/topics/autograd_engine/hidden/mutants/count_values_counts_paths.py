"""Mistake: count_values walks the graph without remembering the nodes it has seen, so a Value
used several times (a + a, a diamond) is counted once per path that reaches it."""

CAUGHT_BY = ("Value.count_values_node_reuse", "Value.count_values_random")


class Value(Value):  # noqa: F821 (the reference's Value, in the same namespace)
    def count_values(self):
        count, stack = 0, [self]
        while stack:
            node = stack.pop()
            count += 1
            stack.extend(node._prev)
        return count
