"""5-08's steps and SGD computed by torch.optim.SGD itself: each pure step runs one SGD step on a
copy of the parameter, with the velocity handed to SGD as its momentum buffer."""

import torch


def _sgd(param, grad, velocity, lr, **hyper):
    w = param.detach().clone()
    optimizer = torch.optim.SGD([w], lr=lr, foreach=False, **hyper)
    if velocity is not None:
        optimizer.state[w]["momentum_buffer"] = velocity.clone()
    w.grad = grad.clone()
    optimizer.step()
    return w, optimizer.state[w].get("momentum_buffer")


def sgd_step(param, grad, lr, weight_decay=0.0):
    return _sgd(param, grad, None, lr, weight_decay=weight_decay)[0]


def momentum_step(param, grad, velocity, lr, momentum=0.9, weight_decay=0.0):
    return _sgd(param, grad, velocity, lr, momentum=momentum, weight_decay=weight_decay)


def nesterov_step(param, grad, velocity, lr, momentum=0.9, weight_decay=0.0):
    return _sgd(param, grad, velocity, lr, momentum=momentum, weight_decay=weight_decay,
                nesterov=True)


SGD = torch.optim.SGD
