"""Mistake (CS336's order, one factor dropped): the decoupled step decays after the Adam update by
w - weight_decay * w, without the learning rate."""

CAUGHT_BY = ("adam_step_decoupled.strong_decay[float64]",
             "weight_decay_gap.float32_long[float32]")


def adam_step_decoupled(param, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
                        weight_decay=0.0):
    new_param, new_state = _adam(param, grad, state, lr, betas, eps)  # noqa: F821
    return new_param - weight_decay * new_param, new_state
