"""5-03 activations: Activations and their gradients: sigmoid, tanh, ReLU family, GELU, SiLU,
softmax."""
