"""Mistake: count_values() marks the nodes it has counted with a flag on the nodes themselves
(`node._counted = True`) instead of a local set, and never clears it. Counting modifies the graph:
a second call, or a count of a graph that shares nodes with one already counted, misses them."""

CAUGHT_BY = ("Value.queries_leave_graph_unchanged", "Value.count_values_node_reuse")
CONTRACT = "unchanged"


class Value(Value):  # noqa: F821 (the reference's Value, in the same namespace)
    def count_values(self):
        count, stack = 0, [self]
        while stack:
            node = stack.pop()
            if not getattr(node, "_counted", False):
                node._counted = True
                count += 1
                stack.extend(node._prev)
        return count
