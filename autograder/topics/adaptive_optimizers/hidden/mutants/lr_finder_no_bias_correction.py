"""Mistake: the LR finder's smoothed loss without bias correction (avg itself), so the first
smoothed losses are far too small and the divergence test compares against a biased best."""

CAUGHT_BY = ("lr_finder.matches_reference[float64]",
             "lr_finder.minibatches_with_momentum[float64]", "lr_finder.batch_of_one[float64]")


def _smoothed(avg, loss, beta, i):
    avg = beta * avg + (1 - beta) * loss
    return avg, avg
