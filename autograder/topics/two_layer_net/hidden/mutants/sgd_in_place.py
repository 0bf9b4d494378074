"""Mistake: the update done in place (param -= lr * grad): the caller's parameters change too,
so a kept copy of the old parameters (or the reference's cache) silently follows along."""

CAUGHT_BY = ("sgd_step.leaves_inputs_unchanged_float64",)
CONTRACT = "unchanged"


def sgd_step(params, grads, lr):
    for name, value in params.items():
        value -= lr * grads[name]
    return dict(params)
