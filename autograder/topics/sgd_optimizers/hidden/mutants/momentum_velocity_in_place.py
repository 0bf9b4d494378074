"""Mistake: momentum_step updates the velocity it was given in place (velocity.mul_(momentum)
.add_(g), as torch's internal code does), so the caller's tensor changes: the step is not pure."""

CAUGHT_BY = ("momentum_step.leaves_inputs_unchanged",)
CONTRACT = "unchanged"


def momentum_step(param, grad, velocity, lr, momentum=0.9, weight_decay=0.0):
    g = grad + weight_decay * param if weight_decay != 0 else grad
    b = g.clone() if velocity is None else velocity.mul_(momentum).add_(g)
    return param - lr * b, b
