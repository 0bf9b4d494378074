"""Mistake: graph() calls self.backward() first so that the grads it reports are "filled in".
The docstring says graph() reports each node's current data and grad: it only reads the graph.
Running backward changes every grad, and each further call adds to them again."""

CAUGHT_BY = ("Value.queries_leave_graph_unchanged", "Value.graph_structure_diamond")
CONTRACT = "unchanged"


class Value(Value):  # noqa: F821 (the reference's Value, in the same namespace)
    def graph(self):
        self.backward()
        return super().graph()
