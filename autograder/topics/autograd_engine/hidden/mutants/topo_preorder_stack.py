"""Mistake: the recursion is replaced by a stack, but each node is recorded when first popped
(pre-order) and backward runs in that order, so a node can pass its gradient on before every node
that uses it has added to it (a diamond whose paths have different depths)."""

CAUGHT_BY = ("Value.diamond_unequal_depths", "Value.matches_torch_random[diamond_node_reuse]")


class Value(Value):  # noqa: F821 (the reference's Value, in the same namespace)
    def backward(self):
        order, seen, stack = [], set(), [self]
        while stack:
            node = stack.pop()
            if node not in seen:
                seen.add(node)
                order.append(node)
                stack.extend(node._prev)
        self.grad = 1.0
        for node in order:
            node._backward()
