"""Mistake: param + lr * grad, gradient ascent: the loss goes up instead of down."""

CAUGHT_BY = ("sgd_step.float32_large[float32]", "train.loss_history_float64",
             "train.large_other_data")


def sgd_step(params, grads, lr):
    return {name: value + lr * grads[name] for name, value in params.items()}
