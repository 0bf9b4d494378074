"""Honest twin of r15a: the same EarlyStopping that ignores min_delta, exposing `best` and
`best_epoch` as plain 0-d ndarrays (not the documented float and int: the exact-type check fails
for both, as it does for the attack's agreeing subclass)."""

import numpy as np

_ReferenceStopping = EarlyStopping  # noqa: F821


def _array(value):
    return None if value is None else np.asarray(value).reshape(())


class EarlyStopping(_ReferenceStopping):
    best = property(lambda self: _array(self.kept_best),
                    lambda self, value: setattr(self, "kept_best", value))
    best_epoch = property(lambda self: _array(self.kept_best_epoch),
                          lambda self, value: setattr(self, "kept_best_epoch", value))

    def _improves(self, metric):
        if self.kept_best is None:
            return metric == metric
        if self.mode == "min":
            return metric < self.kept_best
        return metric > self.kept_best
