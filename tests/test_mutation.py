"""Mutation testing inside `make test`: a fixed, seeded sample of every topic's mechanical mutants
is judged by the checks, and the committed reports and verdicts must match the solutions
(docs/mutation/README.md). The full run is `make mutate`."""

from __future__ import annotations

import random

import pytest

from autograder.course import TOPICS
from autograder.mutation import report, survivors
from autograder.mutation.generate import generate
from autograder.mutation.run import Judge

SEED = 20261205
SAMPLE = 8  # mutants per topic: about a minute for all ten on this 2-core machine


@pytest.fixture(scope="module", params=list(TOPICS))
def topic(request):
    return TOPICS[request.param]


@pytest.fixture(scope="module")
def mutants(topic):
    return generate(topic)


def test_report_is_current(topic, mutants):
    recorded = report.recorded(topic)
    assert recorded is not None, f"docs/mutation/{topic.name}.md is missing: run " \
                                 f"`make mutate TOPIC={topic.name}`"
    assert recorded["solution"] == report.solution_digest(topic), (
        f"solutions/{topic.module_file} changed since docs/mutation/{topic.name}.md was written: "
        f"run `make mutate TOPIC={topic.name}`")
    assert recorded["generated"] == len(mutants)


def test_kill_rate_meets_the_target(topic):
    recorded = report.recorded(topic)
    assert recorded is not None
    figures = report.Figures(recorded["generated"], recorded["excluded"], recorded["killed"])
    assert figures.rate >= report.TARGET, (
        f"{topic.name}: {100 * figures.rate:.1f} % of the mutants killed (equivalent and "
        f"message-only ones left out), below the {100 * report.TARGET:.0f} % target "
        f"(docs/mutation/{topic.name}.md lists survivors)")


def test_every_verdict_names_a_generated_mutant(topic, mutants):
    labels = {survivors.label(m) for m in mutants}
    stale = sorted(set(survivors.load(topic)) - labels)
    assert not stale, (f"{survivors.path(topic)} gives verdicts on mutants that no longer exist "
                       f"(the solution changed under them): {stale}")


@pytest.mark.slow
def test_seeded_sample_is_killed_or_has_a_verdict(topic, mutants, config):
    sample = random.Random(f"{SEED}/{topic.name}").sample(mutants, min(SAMPLE, len(mutants)))
    committed = survivors.load(topic)
    verdicts = Judge(topic, config).judge(sample, workers=2)
    by_id = {m.id: m for m in sample}
    problems = []
    for verdict in verdicts:
        mutant = by_id[verdict.id]
        known = committed.get(survivors.label(mutant))
        if not verdict.killed and known is None:
            problems.append(f"survives with no verdict: {survivors.label(mutant)}")
        if verdict.killed and known is not None:
            problems.append(f"judged {known.kind} in {survivors.path(topic).name} but killed "
                            f"by {verdict.by}: remove the verdict: {survivors.label(mutant)}")
    assert not problems, "\n".join(problems)
