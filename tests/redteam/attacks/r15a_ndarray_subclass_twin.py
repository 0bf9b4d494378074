"""Honest twin of r15a: the same EarlyStopping that ignores min_delta with plain numbers."""

_ReferenceStopping = EarlyStopping  # noqa: F821


class EarlyStopping(_ReferenceStopping):
    def _improves(self, metric):
        if self.best is None:
            return metric == metric
        if self.mode == "min":
            return metric < self.best
        return metric > self.best
