"""Mistake: the AdamW class counts steps on the optimizer object (self.t) instead of in
self.state[p], so state_dict() does not save the count and a resumed run restarts the bias
correction at t = 1."""

import torch

CAUGHT_BY = ("AdamW.state_dict_round_trip[float64]",)


class AdamW(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
        if lr < 0 or eps < 0 or weight_decay < 0 or not all(0 <= b < 1 for b in betas):
            raise ValueError("invalid AdamW hyperparameters")
        super().__init__(params, {"lr": lr, "betas": tuple(betas), "eps": eps,
                                  "weight_decay": weight_decay})
        self.t = 0

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        self.t += 1
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if not state:
                    state["exp_avg"] = torch.zeros_like(p)
                    state["exp_avg_sq"] = torch.zeros_like(p)
                p.mul_(1 - group["lr"] * group["weight_decay"])
                state["exp_avg"].mul_(beta1).add_((1 - beta1) * p.grad)
                state["exp_avg_sq"].mul_(beta2).add_((1 - beta2) * p.grad * p.grad)
                m_hat = state["exp_avg"] / (1 - beta1**self.t)
                v_hat = state["exp_avg_sq"] / (1 - beta2**self.t)
                p.sub_(group["lr"] * m_hat / (v_hat.sqrt() + group["eps"]))
        return loss
