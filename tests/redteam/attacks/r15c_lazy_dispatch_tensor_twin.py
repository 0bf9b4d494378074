"""Honest twin of r15c: the same decay that forgets lr, computed eagerly."""


def sgd_step_decoupled(param, grad, lr, weight_decay):
    return param * (1.0 - weight_decay) - lr * grad
