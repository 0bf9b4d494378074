"""Mistake: the LR finder's divergence test is only `smoothed > diverge_factor * best`; a NaN
loss compares false with everything, so the sweep goes on recording NaN."""

CAUGHT_BY = ("lr_finder.stops_on_nan",)


def _diverged(smoothed, best, diverge_factor):
    return smoothed > diverge_factor * best
