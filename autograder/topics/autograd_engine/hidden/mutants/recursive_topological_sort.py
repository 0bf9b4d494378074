"""Mistake: the topological order is built by a recursive depth-first search (micrograd's
`build_topo`), which raises RecursionError on a chain deeper than Python's recursion limit
(about 1,000 frames)."""

CAUGHT_BY = ("Value.large_deep_chain",)


class Value(Value):  # noqa: F821 (the reference's Value, in the same namespace)
    def _topological_order(self):
        order, seen = [], set()

        def build(node):
            if node not in seen:
                seen.add(node)
                for child in node._prev:
                    build(child)
                order.append(node)

        build(self)
        return order
