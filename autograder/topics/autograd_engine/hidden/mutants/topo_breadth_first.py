"""Mistake: backward visits the graph breadth-first from the output (by distance, not by
dependency), so a node reached by a short path passes its gradient on before a longer path into
it has arrived."""

from collections import deque

CAUGHT_BY = ("Value.diamond_unequal_depths", "Value.matches_torch_random[float64]")


class Value(Value):  # noqa: F821 (the reference's Value, in the same namespace)
    def backward(self):
        order, seen, queue = [], {self}, deque([self])
        while queue:
            node = queue.popleft()
            order.append(node)
            for child in node._prev:
                if child not in seen:
                    seen.add(child)
                    queue.append(child)
        self.grad = 1.0
        for node in order:
            node._backward()
