"""5-02 perceptron_mlp: Perceptron rule, XOR, Xavier/He initialisation, depth and scale, MLPs in
PyTorch."""
