"""Mistake: the gaps are returned as the 0-d tensors that .abs().max() gives, without float().
The docstring asks for {"sgd": ..., "adam": ...} "as Python floats"; a 0-d tensor prints like a
number but is not one (it carries a dtype, a device and possibly a graph)."""

CAUGHT_BY = ("weight_decay_gap.returns_python_floats_under_exact_keys[float64]",)
CONTRACT = "returns"
STEPS = (sgd_step_l2, sgd_step_decoupled, adam_step_l2, adam_step_decoupled)  # noqa: F821 (a mutant patches the reference)


def weight_decay_gap(param, grads, lr, weight_decay, betas=(0.9, 0.999), eps=1e-8):
    sgd_step_l2, sgd_step_decoupled, adam_step_l2, adam_step_decoupled = STEPS
    sgd_l2 = sgd_dec = adam_l2 = adam_dec = param
    state_l2 = state_dec = None
    for grad in grads:
        sgd_l2 = sgd_step_l2(sgd_l2, grad, lr, weight_decay)
        sgd_dec = sgd_step_decoupled(sgd_dec, grad, lr, weight_decay)
        adam_l2, state_l2 = adam_step_l2(adam_l2, grad, state_l2, lr, betas, eps, weight_decay)
        adam_dec, state_dec = adam_step_decoupled(adam_dec, grad, state_dec, lr, betas, eps,
                                                  weight_decay)
    return {"sgd": (sgd_l2 - sgd_dec).abs().max(), "adam": (adam_l2 - adam_dec).abs().max()}
