"""Mistake: the momentum buffer is an exponential moving average, b = momentum * b +
(1 - momentum) * g (dampening = momentum), instead of torch's b = momentum * b + g (dampening 0)."""

CAUGHT_BY = ("momentum_step.many_steps_with_decay[float64]",
             "SGD.matches_torch_200_steps[momentum]")


def momentum_step(param, grad, velocity, lr, momentum=0.9, weight_decay=0.0):
    g = grad + weight_decay * param if weight_decay != 0 else grad
    b = g.clone() if velocity is None else momentum * velocity + (1 - momentum) * g
    return param - lr * b, b
