"""5-08 sgd_optimizers: SGD, momentum and Nesterov: update rules, an Optimizer, mini-batches,
paths."""
