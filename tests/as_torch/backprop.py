"""5-06's clip_grad_norm computed by torch.nn.utils.clip_grad_norm_ itself: each array is the
.grad of a tensor that shares its memory, so torch's in-place scaling is the arrays' own."""

import numpy as np
import torch


def clip_grad_norm(grads, max_norm):
    holders = []
    for g in grads:
        holder = torch.zeros(g.shape, dtype=torch.from_numpy(np.asarray(g)).dtype)
        holder.grad = torch.from_numpy(g)  # shares g's memory
        holders.append(holder)
    return float(torch.nn.utils.clip_grad_norm_(holders, max_norm, foreach=False))
