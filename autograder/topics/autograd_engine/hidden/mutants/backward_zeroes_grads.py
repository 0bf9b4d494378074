"""Mistake: backward first resets every grad in the graph to 0, leaves included, so gradients of
two graphs that share leaves (a parameter used by two losses) no longer add up as in torch."""

CAUGHT_BY = ("Value.fresh_graph_accumulates",)


class Value(Value):  # noqa: F821 (the reference's Value, in the same namespace)
    def backward(self):
        order = self._topological_order()
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            node._backward()
