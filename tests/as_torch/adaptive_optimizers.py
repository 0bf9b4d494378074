"""5-09's in-place steps computed by torch.optim itself: the caller's state tensors become the
optimizer's state (so they are updated in place), the step count goes back as an int."""

import torch


def _step(kind, param, grad, state, keys, **hyper):
    optimizer = kind([param], foreach=False, **hyper)
    if state:  # torch keeps the step count as a tensor, and keeps one even for RMSprop
        optimizer.state[param].update(state, step=torch.tensor(float(state.get("step", 0))))
    param.grad = grad
    optimizer.step()
    param.grad = None
    kept = optimizer.state[param]
    state.update({key: int(kept[key]) if key == "step" else kept[key] for key in keys})
    return param


def rmsprop_step(param, grad, state, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0):
    return _step(torch.optim.RMSprop, param, grad, state, ("square_avg",), lr=lr, alpha=alpha,
                 eps=eps, weight_decay=weight_decay)


def adam_step(param, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    return _step(torch.optim.Adam, param, grad, state, ("step", "exp_avg", "exp_avg_sq"),
                 lr=lr, betas=betas, eps=eps, weight_decay=weight_decay)


def adamw_step(param, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    return _step(torch.optim.AdamW, param, grad, state, ("step", "exp_avg", "exp_avg_sq"),
                 lr=lr, betas=betas, eps=eps, weight_decay=weight_decay)


AdamW = torch.optim.AdamW
