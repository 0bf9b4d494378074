"""Mistake: warmup_cosine_lr checks its arguments with assert, so a bad schedule raises
AssertionError (and nothing at all under python -O); the docstring says ValueError."""

CAUGHT_BY = ("warmup_cosine_lr.rejects_bad_arguments",)
CONTRACT = "errors"

_reference_warmup_cosine_lr = warmup_cosine_lr  # noqa: F821 (a mutant patches the reference)


def warmup_cosine_lr(iteration, base_lr, warmup_iters, total_iters, min_lr=0.0):
    assert iteration >= 0 and 0 <= warmup_iters < total_iters, "bad schedule"
    return _reference_warmup_cosine_lr(iteration, base_lr, warmup_iters, total_iters, min_lr)
