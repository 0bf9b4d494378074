"""Mistake: backward adds 1 to the output's grad (`self.grad += 1.0`, the rule for every other
node) instead of setting it. The docstring says backward sets self.grad = 1.0 whatever it held
before: an output whose grad was already set starts the chain rule from the wrong seed, and every
gradient below it is scaled."""

CAUGHT_BY = ("Value.single_leaf_and_preset_grad",)
CONTRACT = "edges"


class Value(Value):  # noqa: F821 (the reference's Value, in the same namespace)
    def backward(self):
        order = self._topological_order()
        self.grad += 1.0
        for node in reversed(order):
            node._backward()
