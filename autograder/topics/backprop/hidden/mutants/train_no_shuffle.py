"""Mistake: the batches taken in the data's order every epoch (no rng.permutation): the
same sequence of batches each epoch, and not the stated one."""

import numpy as np

CAUGHT_BY = ("train.loss_history_float64",)
# The layers, preprocess and MLP (noqa: F821) are the reference's: a mutant runs in its namespace.


def train(images, labels, hidden1=64, hidden2=32, epochs=3, batch_size=32, lr=0.1, seed=0):
    x = preprocess(images)  # noqa: F821
    y = np.asarray(labels).astype(np.int64)
    rng = np.random.default_rng(seed)
    model = MLP(784, hidden1, hidden2, 10, rng)  # noqa: F821
    losses = []
    for _ in range(epochs):
        for start in range(0, x.shape[0], batch_size):
            batch = np.arange(start, min(start + batch_size, x.shape[0]))
            losses.append(model.loss_and_backward(x[batch], y[batch]))
            grads = model.gradients()
            for name, param in model.parameters().items():
                param -= lr * grads[name]
    return model, losses
