"""Host-wide sandbox identity (issue 16, mechanism 8): graders on one host never share a sandbox
uid, whatever process they run in, with no environment variable set; so two gradings started at
the same time give exactly the gradebook of one alone."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import time

import pytest

from autograder.course import ROOT
from autograder.demo import build_samples
from autograder.sandbox import leases
from autograder.sandbox.protections import Protections


def test_leases_are_exclusive_within_a_process_and_freed_on_release():
    first, second = leases.lease(), leases.lease()
    try:
        assert first.uid != second.uid
        assert leases.try_lease(first.uid) is None
    finally:
        first.release()
        second.release()
    again = leases.try_lease(first.uid)
    assert again is not None
    again.release()


def test_a_lease_held_by_another_process_is_not_taken_and_dies_with_it():
    held = leases.lease()
    uid = held.uid
    held.release()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; sys.path.insert(0, sys.argv[1]); "
         "from autograder.sandbox import leases; held = leases.try_lease(int(sys.argv[2])); "
         "print(held is not None, flush=True); time.sleep(60)", str(ROOT), str(uid)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "True"
        assert leases.try_lease(uid) is None
        mine = leases.lease()
        assert mine.uid != uid
        mine.release()
    finally:
        holder.kill()
        holder.wait()
    freed = leases.try_lease(uid)  # the kernel dropped the lock with the process
    assert freed is not None
    freed.release()


def gradebook_totals(folder) -> dict[str, tuple[str, ...]]:
    with open(folder / "gradebook.csv", newline="") as handle:
        return {row["submission"]: tuple(v for k, v in row.items() if k != "notes")
                for row in csv.DictReader(handle)}


@pytest.mark.sandbox
@pytest.mark.slow
def test_two_grade_all_runs_at_once_give_the_gradebook_of_one(tmp_path):
    """The demo's samples graded by two `grade-all` processes started together, each with two
    workers and no NNF_SANDBOX_UID_BASE, score exactly as one run alone: neither one's end of a
    topic kills the other's (their uids differ), and no feedback blames a student for it."""
    if not Protections.detect().separate_uid:
        pytest.skip("NOT RUN: sandbox uids need root (the protections report says so)")
    samples = tmp_path / "samples"
    build_samples(samples)
    env = {k: v for k, v in os.environ.items() if k != "NNF_SANDBOX_UID_BASE"}
    topics = ["--topic", "regularization", "--topic", "activations"]

    def start(out):
        return subprocess.Popen([sys.executable, "-m", "autograder", "grade-all", str(samples),
                                 "--out", str(out), "--workers", "2", *topics], cwd=ROOT,
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True)

    alone = start(tmp_path / "alone")
    assert alone.wait(timeout=900) == 0, alone.stdout.read()
    first, second = start(tmp_path / "first"), start(tmp_path / "second")
    started = time.monotonic()
    for run in (first, second):
        assert run.wait(timeout=900 - (time.monotonic() - started)) == 0, run.stdout.read()
    expected = gradebook_totals(tmp_path / "alone")
    assert len(expected) >= 7
    assert gradebook_totals(tmp_path / "first") == expected
    assert gradebook_totals(tmp_path / "second") == expected
    for folder in (tmp_path / "first", tmp_path / "second"):
        for feedback in folder.glob("*/feedback.md"):
            assert "killed" not in feedback.read_text(), feedback
