"""SGDR's cosine by the half-angle identity, (1 + cos(pi * p)) / 2 = cos^2(pi * p / 2): the same
formula, which near the end of a cycle (where the rate tends to eta_min = 0) differs from the
other spelling by an ulp of the rate, not of its tiny value."""

import math

ACCEPTED_BY_TOLERANCE = True  # the schedules' absolute floor, not a second formulation


def cosine_warm_restarts_lr(iteration, base_lr, T_0, T_mult=1, eta_min=0.0):  # noqa: N803
    if iteration < 0 or T_0 < 1 or T_mult < 1:
        raise ValueError(f"cosine_warm_restarts_lr needs iteration >= 0, T_0 >= 1 and "
                         f"T_mult >= 1, got {iteration}, {T_0}, {T_mult}")
    start, length = 0, T_0
    while iteration >= start + length:
        start, length = start + length, length * T_mult
    return eta_min + (base_lr - eta_min) * math.cos(math.pi * (iteration - start) / length / 2) ** 2
