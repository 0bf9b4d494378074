"""The CUDA-only speed checks, exercised on the CPU where no GPU is lent: their probes run against
the reference (the same code as on CUDA, with a CPU device), and the compare judges the ratio."""

from __future__ import annotations

import dataclasses

import pytest

from autograder import impl
from autograder.course import TOPICS
from autograder.runtime.compare import Mismatch

SPEED = [(topic, check) for topic in TOPICS.values() for check in topic.all_checks()
         if check.name.startswith(f"{check.function}.speed[")]


def test_every_torch_optimiser_loss_and_norm_topic_has_one():
    assert {topic.name for topic, _ in SPEED} == {"losses", "sgd_optimizers",
                                                  "adaptive_optimizers", "regularization"}
    assert all(check.device == "cuda" and check.visibility == "hidden" for _, check in SPEED)


@pytest.mark.parametrize("topic, check", SPEED, ids=[c.id for _, c in SPEED])
def test_the_reference_passes_on_cpu(topic, check):
    got = dataclasses.replace(check, device="cpu").run_probe(impl.load(impl.SOLUTIONS, topic))
    assert set(got) == {"implementation_s", "library_s"}
    check.compare(got, None)


def test_a_ratio_over_the_factor_fails_with_a_hint():
    _, check = SPEED[0]
    with pytest.raises(Mismatch, match="took 40 times as long"):
        check.compare({"implementation_s": 4.0, "library_s": 0.1}, None)
