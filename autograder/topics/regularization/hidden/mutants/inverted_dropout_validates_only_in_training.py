"""Mistake: evaluation returns x before p is checked, so an invalid p (say 1.5) passes silently
at evaluation and only raises in training. The docstring's p is "a drop probability in [0, 1]
(ValueError outside)" whatever the mode."""

CAUGHT_BY = ("inverted_dropout.errors_and_input_untouched[float64]",)
CONTRACT = "errors"
_reference_check_probability = _check_probability  # noqa: F821 (a mutant patches the reference)
_reference_keep_mask = _keep_mask  # noqa: F821 (a mutant patches the reference)


def inverted_dropout(x, p, training, generator):
    if not training:
        return x
    _reference_check_probability(p)
    scale = 0.0 if p == 1.0 else 1.0 / (1.0 - p)
    return x * (_reference_keep_mask(x, p, generator) * scale)
