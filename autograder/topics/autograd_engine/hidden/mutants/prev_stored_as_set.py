"""Mistake: __init__ keeps the operands as a set (micrograd's `self._prev = set(_children)`)
instead of a tuple. The docstring says _prev is a tuple of the operands in order and that `a + a`
has the operands (a, a); the set forgets both the order and the second a. Values, gradients and
counts still agree, so only the type shows it."""

CAUGHT_BY = ("Value.exact_types",)
CONTRACT = "returns"


class Value(Value):  # noqa: F821 (the reference's Value, in the same namespace)
    def __init__(self, data, _children=(), _op="", label=""):
        super().__init__(data, _children, _op, label)
        self._prev = set(_children)

    def _topological_order(self):
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                order.append(node)
            elif node not in seen:
                seen.add(node)
                stack.append((node, True))
                stack.extend((child, False) for child in node._prev if child not in seen)
        return order
