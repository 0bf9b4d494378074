"""Mistake: SGD.step uses the constructor's lr (self.defaults["lr"]) for every parameter, ignoring
a param group's own lr."""

import torch

CAUGHT_BY = ("SGD.param_groups_own_settings[float64]",)


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
        lr = self.defaults["lr"]
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
                p.sub_(lr * g)
        return loss
