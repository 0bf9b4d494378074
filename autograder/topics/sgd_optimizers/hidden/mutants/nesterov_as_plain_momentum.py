"""Mistake: nesterov_step takes the plain momentum step w - lr * b, without Nesterov's look-ahead
term (the update must be g + momentum * b)."""

CAUGHT_BY = ("nesterov_step.first_step_buffer_is_gradient[float64]",
             "nesterov_step.many_steps_with_decay[float64]",
             "SGD.matches_torch_200_steps[nesterov]")


def nesterov_step(param, grad, velocity, lr, momentum=0.9, weight_decay=0.0):
    g = grad + weight_decay * param if weight_decay != 0 else grad
    b = g.clone() if velocity is None else momentum * velocity + g
    return param - lr * b, b
