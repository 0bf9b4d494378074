"""AdamW with the decoupled decay applied after the Adam update, as CS336 assignment 1's
Algorithm 1 writes it: w <- w - lr * m_hat / (sqrt(v_hat) + eps), then w <- w - lr * wd * w."""


def adam_step_decoupled(param, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
                        weight_decay=0.0):
    new_param, new_state = _adam(param, grad, state, lr, betas, eps)  # noqa: F821
    return new_param - lr * weight_decay * new_param, new_state
