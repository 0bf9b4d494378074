"""`python -m autograder.gpu_check` (issue 20) where no GPU is lent: one line saying there is
nothing to prove, exit status 2, nothing written. Its GPU steps run only where CUDA is; the pure
helpers are checked here."""

from __future__ import annotations

import subprocess
import sys

import pytest
import torch

from autograder import gpu_check
from autograder.course import ROOT, TOPICS


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA: the check would run")
def test_without_cuda_it_says_so_in_one_line_and_exits_2(tmp_path):
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "autograder.gpu_check", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stderr
    assert done.stdout.splitlines() == [gpu_check.NO_CUDA]
    assert not out.exists()


def test_every_cuda_check_twin_name_is_a_cpu_check_or_a_speed_check(config):
    names = {c.name: c for t in TOPICS.values() for c in config.checks(t)}
    twins = [(n, gpu_check.twin_name(n)) for n, c in names.items() if c.needs_gpu]
    assert gpu_check.twin_name("f.p[float32-cuda]") == "f.p[float32]"
    assert gpu_check.twin_name("f.p[cuda]") == "f.p"
    assert all(twin != name and "cuda" not in twin.partition("[")[2] for name, twin in twins)
    assert sum(twin in names for _, twin in twins) >= len(twins) - 6  # speed and device checks


def test_speed_checks_are_found_with_their_factor():
    factors = {c.id: gpu_check.speed_factor(c) for t in TOPICS.values()
               for c in t.all_checks()}
    found = {name: f for name, f in factors.items() if f is not None}
    assert len(found) == 4 and set(gpu_check.SLOW) <= set(found)


def test_pins_are_read_from_pyproject():
    pinned, requires = gpu_check.pins()
    assert {"torch", "numpy", "torchvision", "scikit-learn", "jsonschema"} <= set(pinned)
    assert requires
    differ = gpu_check.pin_differences({"numpy": pinned["numpy"], "torch": "0.0.1+cu130"},
                                       "3.11.7")
    assert differ == [f"torch 0.0.1+cu130 (pinned {pinned['torch']})"]
    assert gpu_check.pin_differences({}, "3.99.0")[0].startswith("python 3.99.0")


def test_redteam_rows_are_read_from_pytest_output():
    text = ("row 28  r28_gpu_hog                              5-10 90.00/100.00\n"
            "PASSED tests/test_redteam.py::test_attack[r28_gpu_hog]\n"
            "FAILED tests/test_redteam.py::test_attack[r31_stale_gpu_memory] - AssertionError: x\n")
    rows = gpu_check.redteam_rows(text, ["r28_gpu_hog", "r31_stale_gpu_memory", "r99_none"])
    assert rows == {"r28_gpu_hog": ("PASSED", "5-10 90.00/100.00"),
                    "r31_stale_gpu_memory": ("FAILED", "AssertionError: x"),
                    "r99_none": ("MISSING", "not in pytest's output")}
