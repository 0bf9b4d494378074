"""5-06 backprop: Backprop by hand: layer classes, a 3-layer MLP, gradient checks, clipping."""
