"""Mistake: to be "reproducible from the generator's seed" the mask is drawn from the global
random state after seeding it with generator.initial_seed(). Different seeds still give
different masks and the global seed no longer matters, but the given generator never advances
(every call, every training step, gets the same mask) and the caller's global random state is
re-seeded; the docstring says to draw the mask from the generator only."""

import torch

CAUGHT_BY = ("dropout.draws_advance_the_generator",)
CONTRACT = "generator"
_reference_check_probability = _check_probability  # noqa: F821 (a mutant patches the reference)


def dropout(x, p, training, generator):
    _reference_check_probability(p)
    if not training:
        return x * (1.0 - p)
    torch.manual_seed(generator.initial_seed())
    u = torch.rand(x.shape, dtype=x.dtype).to(x.device)
    return x * (u >= p).to(x.dtype)
