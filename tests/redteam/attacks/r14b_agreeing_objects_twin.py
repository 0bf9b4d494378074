"""Honest twin of r14b: gaps of 1.0 as plain floats, and a layer_norm that returns None."""


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    return None


def weight_decay_gap(param, grads, lr, weight_decay, betas=(0.9, 0.999), eps=1e-8):
    return {"sgd": 1.0, "adam": 1.0}
