"""Mistake: a tie counts as an improvement (<= instead of <), so a metric that plateaus keeps
resetting the patience counter and training never stops."""

from torch import nn

CAUGHT_BY = ("EarlyStopping.matches_reference[plateau]",)
CONTRACT = "edges"


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
        if self.best is None or sign * metric <= sign * self.best - self.min_delta:
            self.best, self.best_epoch, self.counter = float(metric), self.epoch, 0
            if model is not None:
                self.best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        else:
            self.counter += 1
            if self.counter >= self.patience:
                self.should_stop = True
        return self.should_stop
