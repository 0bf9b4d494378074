"""5-01 two_layer_net: A two-layer NumPy network on make_moons: init, forward, loss, backward, SGD,
train."""
