"""Mistake: count_parameters counts the weight matrices only, forgetting each layer's fan_out
biases."""

import itertools

CAUGHT_BY = ("count_parameters.large_widths", "count_parameters.few_layers")


def count_parameters(widths):
    return int(sum(a * b for a, b in itertools.pairwise(widths)))
