"""Mistake: one-cycle with linear annealing (OneCycleLR's anneal_strategy="linear") instead of
cosine; the end points agree, everything between them does not."""

CAUGHT_BY = ("one_cycle_lr.matches_OneCycleLR_uneven_phases", "one_cycle_lr.short_cycle",
             "one_cycle_lr.fractional_iterations")


def one_cycle_lr(iteration, max_lr, total_steps, pct_start=0.3, div_factor=25.0,
                 final_div_factor=1e4):
    if iteration < 0 or iteration > total_steps:
        raise ValueError("outside the cycle")
    initial_lr = max_lr / div_factor
    min_lr = initial_lr / final_div_factor
    end_up = float(pct_start * total_steps) - 1
    if iteration <= end_up:
        start, end, pct = initial_lr, max_lr, iteration / end_up
    else:
        start, end, pct = max_lr, min_lr, (iteration - end_up) / (total_steps - 1 - end_up)
    return (end - start) * pct + start
