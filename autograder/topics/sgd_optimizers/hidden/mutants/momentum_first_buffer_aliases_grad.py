"""Mistake: on the first step the buffer is the gradient tensor itself (b = g, no copy). In the
optimizer that buffer is p.grad, so zero_grad(set_to_none=False) and the next backward overwrite
the saved velocity."""

CAUGHT_BY = ("SGD.momentum_buffer_in_state[momentum]",)


def momentum_step(param, grad, velocity, lr, momentum=0.9, weight_decay=0.0):
    g = grad + weight_decay * param if weight_decay != 0 else grad
    b = g if velocity is None else momentum * velocity + g
    return param - lr * b, b
