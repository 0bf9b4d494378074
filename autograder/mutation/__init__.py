"""Mutation testing of the checks: `python -m autograder mutate [--topic T]` (`make mutate`).

mutmut's operators generate the mechanical mutants of each reference solution (`generate`); the
pack's own checks judge them in local mode (`run`); every survivor either gets a sharper check or
a committed verdict (`survivors`); the outcome is written to docs/mutation/<topic>.md (`report`).
docs/mutation/README.md explains the method and the figures.
"""
