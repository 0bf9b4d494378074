"""Mistake: weight decay is added after the momentum buffer (w - lr * (b + weight_decay * w) with b
built from the raw gradient), instead of into the gradient before the buffer as torch does."""

CAUGHT_BY = ("momentum_step.first_step_buffer_is_gradient[float64]",
             "momentum_step.many_steps_with_decay[float64]",
             "SGD.matches_torch_200_steps[momentum-decay]")


def momentum_step(param, grad, velocity, lr, momentum=0.9, weight_decay=0.0):
    b = grad.clone() if velocity is None else momentum * velocity + grad
    return param - lr * (b + weight_decay * param), b
