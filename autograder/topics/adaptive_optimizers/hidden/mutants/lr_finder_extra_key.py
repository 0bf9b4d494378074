"""Mistake: lr_finder adds a key of its own ("best_loss", handy for plotting) to the result,
whose keys the docstring fixes: rates, losses, suggestion and diverged_lr."""

CAUGHT_BY = ("lr_finder.result_types_and_keys",)
CONTRACT = "keys"

_reference_lr_finder = lr_finder  # noqa: F821 (a mutant patches the reference)


def lr_finder(*args, **kwargs):
    result = _reference_lr_finder(*args, **kwargs)
    return {**result, "best_loss": min(result["losses"])}
