"""Mistake: graph() writes each edge as (result_id, operand_id), the direction backward travels,
instead of (operand_id, result_id)."""

CAUGHT_BY = ("Value.graph_structure_diamond", "Value.graph_matches_random_node_reuse")


class Value(Value):  # noqa: F821 (the reference's Value, in the same namespace)
    def graph(self):
        drawn = super().graph()
        return {"nodes": drawn["nodes"], "edges": [(j, i) for i, j in drawn["edges"]]}
