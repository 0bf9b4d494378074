"""Mistake: training dropout zeroes the dropped elements of x in place (x.mul_(mask)) to save
memory and returns x. The output is right, but the caller's tensor is overwritten: a layer's
input, or an activation kept for later, loses its values. The docstring asks for a result
tensor, not an update of x."""

CAUGHT_BY = ("dropout.errors_and_input_untouched[float64]",)
CONTRACT = "unchanged"
_reference_check_probability = _check_probability  # noqa: F821 (a mutant patches the reference)
_reference_keep_mask = _keep_mask  # noqa: F821 (a mutant patches the reference)


def dropout(x, p, training, generator):
    _reference_check_probability(p)
    if not training:
        return x * (1.0 - p)
    if x.requires_grad:  # autograd forbids in-place ops on a leaf that requires grad
        return x * _reference_keep_mask(x, p, generator)
    return x.mul_(_reference_keep_mask(x, p, generator))
