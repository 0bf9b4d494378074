"""Mistake: the L2 term is folded into the gradient in place (grad += weight_decay * param)
before the step. The returned parameter is right, but the caller's grad tensor now holds the
penalised gradient; the docstring says "do not modify param or grad"."""

CAUGHT_BY = ("sgd_step_l2.keeps_dtype_and_inputs[float64]",)
CONTRACT = "unchanged"


def sgd_step_l2(param, grad, lr, weight_decay):
    grad += weight_decay * param
    return param - lr * grad
