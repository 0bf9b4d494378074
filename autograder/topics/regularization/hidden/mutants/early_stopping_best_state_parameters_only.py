"""Mistake: best_state copies model.named_parameters() instead of model.state_dict(), so the
buffers (a BatchNorm layer's running statistics) are missing and restoring the best model from
it fails or keeps stale statistics. The docstring says a deep copy of model.state_dict()."""

import copy

from torch import nn

CAUGHT_BY = ("EarlyStopping.best_state_keys_and_model_untouched",)
CONTRACT = "keys"


class EarlyStopping:
    def __init__(self, patience=5, min_delta=0.0, mode="min"):
        if patience < 1 or min_delta < 0 or mode not in ("min", "max"):
            raise ValueError("invalid arguments")
        self.patience, self.min_delta, self.mode = patience, min_delta, mode
        self.best = self.best_epoch = self.best_state = None
        self.counter, self.epoch, self.should_stop = 0, -1, False

    def step(self, metric, model: nn.Module | None = None):
        self.epoch += 1
        sign = 1 if self.mode == "min" else -1
        if metric == metric and (self.best is None
                                 or sign * metric < sign * self.best - self.min_delta):
            self.best, self.best_epoch, self.counter = float(metric), self.epoch, 0
            if model is not None:
                self.best_state = {name: copy.deepcopy(p.detach())
                                   for name, p in model.named_parameters()}
        else:
            self.counter += 1
            if self.counter >= self.patience:
                self.should_stop = True
        return self.should_stop
