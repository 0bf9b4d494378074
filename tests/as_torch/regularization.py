"""5-10's "as torch" functions computed by torch itself: F.batch_norm, F.layer_norm, and the pure
Adam steps as one step of torch.optim.Adam / AdamW on copies of the parameter and its state. The
argument checks the docstrings add to torch's are written out: batch_norm raises ValueError for
input that is not 2-D (torch takes (N, C, L) and raises RuntimeError for 1-D), layer_norm raises
ValueError, where torch raises RuntimeError, when x does not end with normalized_shape."""

import torch
import torch.nn.functional as F


def batch_norm(x, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    if x.dim() != 2:
        raise ValueError(f"x of shape {tuple(x.shape)} is not (N, C)")
    return F.batch_norm(x, running_mean, running_var, weight, bias, training, momentum, eps)


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    if len(shape) > x.dim() or tuple(x.shape[x.dim() - len(shape):]) != shape:
        raise ValueError(f"x of shape {tuple(x.shape)} does not end with {shape}")
    return F.layer_norm(x, shape, weight, bias, eps)


def _torch_adam(kind, param, grad, state, **hyper):
    w = param.detach().clone()
    optimizer = kind([w], foreach=False, **hyper)
    if state is not None:
        optimizer.state[w].update(step=torch.tensor(float(state["step"])),
                                  exp_avg=state["exp_avg"].clone(),
                                  exp_avg_sq=state["exp_avg_sq"].clone())
    w.grad = grad.clone()
    optimizer.step()
    kept = optimizer.state[w]
    return w, {"step": int(kept["step"].item()), "exp_avg": kept["exp_avg"],
               "exp_avg_sq": kept["exp_avg_sq"]}


def adam_step_l2(param, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    return _torch_adam(torch.optim.Adam, param, grad, state, lr=lr, betas=betas, eps=eps,
                       weight_decay=weight_decay)


def adam_step_decoupled(param, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
                        weight_decay=0.0):
    return _torch_adam(torch.optim.AdamW, param, grad, state, lr=lr, betas=betas, eps=eps,
                       weight_decay=weight_decay)
