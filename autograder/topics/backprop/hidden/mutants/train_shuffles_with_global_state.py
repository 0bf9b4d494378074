"""Mistake: each epoch shuffled with np.random.permutation (the global state) instead of the
seeded generator: two runs with the same seed see the batches in different orders."""

import numpy as np

CAUGHT_BY = ("train.same_seed_identical_different_seeds_differ", "train.loss_history_float64")
CONTRACT = "generator"
# The layers, preprocess and MLP (noqa: F821) are the reference's: a mutant runs in its namespace.


def train(images, labels, hidden1=64, hidden2=32, epochs=3, batch_size=32, lr=0.1, seed=0):
    x = preprocess(images)  # noqa: F821
    y = np.asarray(labels).astype(np.int64)
    rng = np.random.default_rng(seed)
    model = MLP(784, hidden1, hidden2, 10, rng)  # noqa: F821
    losses = []
    for _ in range(epochs):
        order = np.random.permutation(x.shape[0])
        for start in range(0, x.shape[0], batch_size):
            batch = order[start:start + batch_size]
            losses.append(model.loss_and_backward(x[batch], y[batch]))
            grads = model.gradients()
            for name, param in model.parameters().items():
                param -= lr * grads[name]
    return model, losses
