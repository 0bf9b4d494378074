"""Mistake: negation built as self * -1 (micrograd's shortcut) instead of one "neg" node, so -u
adds a wrapped constant and a "*" node: the graph and the count of stored values are wrong
(values and gradients are still right)."""

CAUGHT_BY = ("Value.graph_structure_diamond", "Value.count_values_random")


class Value(Value):  # noqa: F821 (the reference's Value, in the same namespace)
    def __neg__(self):
        return self * -1
