"""Mistake: SGD.step keeps the momentum buffer in a local variable, never in self.state, so every
step starts from velocity None and momentum has no effect."""

import torch

CAUGHT_BY = ("SGD.matches_torch_200_steps[momentum]", "SGD.momentum_buffer_in_state[momentum]")


class SGD(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-3, momentum=0.0, weight_decay=0.0, nesterov=False):
        if lr < 0 or momentum < 0 or weight_decay < 0:
            raise ValueError("lr, momentum and weight_decay must be >= 0")
        if nesterov and momentum <= 0:
            raise ValueError("Nesterov momentum requires a momentum > 0")
        super().__init__(params, {"lr": lr, "momentum": momentum, "weight_decay": weight_decay,
                                  "nesterov": nesterov})

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            momentum, nesterov = group["momentum"], group["nesterov"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad + group["weight_decay"] * p
                velocity = None
                if momentum != 0:
                    velocity = g.clone() if velocity is None else momentum * velocity + g
                    g = g + momentum * velocity if nesterov else velocity
                p.sub_(group["lr"] * g)
        return loss
