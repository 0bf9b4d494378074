"""Mistake: warm restarts with T_mult ignored: every cycle is T_0 long (t % T_0), as if
T_mult were 1."""

import math

CAUGHT_BY = ("cosine_warm_restarts_lr.t_mult_two",
             "cosine_warm_restarts_lr.exact_at_restarts_t_mult_two",
             "cosine_warm_restarts_lr.t_mult_three_fractional")


def cosine_warm_restarts_lr(iteration, base_lr, T_0, T_mult=1, eta_min=0.0):  # noqa: N803
    if iteration < 0 or T_0 < 1 or T_mult < 1:
        raise ValueError("bad arguments")
    t_cur = iteration % T_0
    return eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * t_cur / T_0)) / 2
