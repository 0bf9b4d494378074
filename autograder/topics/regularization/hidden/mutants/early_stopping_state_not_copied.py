"""Mistake: early stopping keeps model.state_dict() itself as best_state; its tensors share
storage with the parameters, so later training silently overwrites the "best" weights."""

from torch import nn

CAUGHT_BY = ("EarlyStopping.best_state_is_a_copy",)


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
                self.best_state = model.state_dict()
        else:
            self.counter += 1
            if self.counter >= self.patience:
                self.should_stop = True
        return self.should_stop
