"""Mistake: the old velocity enters with the wrong sign, b = g - momentum * b, so momentum brakes
instead of accelerating."""

CAUGHT_BY = ("momentum_step.many_steps_with_decay[float64]",
             "SGD.matches_torch_200_steps[momentum]")


def momentum_step(param, grad, velocity, lr, momentum=0.9, weight_decay=0.0):
    g = grad + weight_decay * param if weight_decay != 0 else grad
    b = g.clone() if velocity is None else g - momentum * velocity
    return param - lr * b, b
