"""Mistake: SGD accepts nesterov=True with momentum 0 (no ValueError), which torch rejects because
Nesterov's look-ahead needs momentum."""

import torch

CAUGHT_BY = ("SGD.nesterov_requires_momentum[no-decay]", "SGD.nesterov_requires_momentum[decay]")
CONTRACT = "errors"


class SGD(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-3, momentum=0.0, weight_decay=0.0, nesterov=False):
        if lr < 0 or momentum < 0 or weight_decay < 0:
            raise ValueError("lr, momentum and weight_decay must be >= 0")
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
                if momentum != 0:
                    state = self.state[p]
                    b = state.get("momentum_buffer")
                    b = g.clone() if b is None else momentum * b + g
                    state["momentum_buffer"] = b
                    g = g + momentum * b if nesterov else b
                p.sub_(group["lr"] * g)
        return loss
