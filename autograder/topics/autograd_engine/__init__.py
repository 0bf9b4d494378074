"""5-05 autograd_engine: A scalar autograd engine: Value, iterative backward, the graph, a tiny
MLP."""
