"""Mistake: graph() adds a "children" entry (the operands' ids) to every node dict, which looks
handy for drawing. The docstring fixes each node's keys as exactly id, label, op, data and grad:
the edges already carry the structure."""

CAUGHT_BY = ("Value.graph_exact_keys_and_types",)
CONTRACT = "keys"


class Value(Value):  # noqa: F821 (the reference's Value, in the same namespace)
    def graph(self):
        order = self._topological_order()
        index = {node: i for i, node in enumerate(order)}
        nodes = [{"id": i, "label": node.label, "op": node._op, "data": node.data,
                  "grad": node.grad, "children": [index[child] for child in node._prev]}
                 for i, node in enumerate(order)]
        edges = sorted({(index[child], index[node]) for node in order for child in node._prev})
        return {"nodes": nodes, "edges": edges}
