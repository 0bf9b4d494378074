"""Mistake: the velocity accumulates lr * g (the CS231n form v = momentum * v + lr * g, w - v), so
the returned velocity is lr times torch's buffer and a changed lr only reaches it slowly."""

CAUGHT_BY = ("momentum_step.lr_changes_between_steps[float64]",)


def momentum_step(param, grad, velocity, lr, momentum=0.9, weight_decay=0.0):
    g = grad + weight_decay * param if weight_decay != 0 else grad
    v = lr * g if velocity is None else momentum * velocity + lr * g
    return param - v, v
