"""Mistake: the AdamW class updates every parameter with the optimizer's defaults
(self.defaults) instead of each param group's own lr and weight_decay."""

import torch

CAUGHT_BY = ("AdamW.matches_torch_over_500_steps[float64]", "AdamW.float32_network[float32]",
             "AdamW.state_dict_round_trip[float64]")


class AdamW(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
        if lr < 0 or eps < 0 or weight_decay < 0 or not all(0 <= b < 1 for b in betas):
            raise ValueError("invalid AdamW hyperparameters")
        super().__init__(params, {"lr": lr, "betas": tuple(betas), "eps": eps,
                                  "weight_decay": weight_decay})

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        d = self.defaults
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:  # the reference's adamw_step, in the same namespace:
                    adamw_step(p, p.grad, self.state[p], d["lr"], d["betas"],  # noqa: F821
                               d["eps"], d["weight_decay"])
        return loss
