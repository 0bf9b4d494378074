"""The pack's expected-data cache (autograder.expected_cache): a current file gives exactly the
values a fresh computation gives, a stale or foreign one is recomputed and never used, and a
folder that cannot be written costs only the recomputation."""

from __future__ import annotations

import numpy as np
import pytest

from autograder import expected_cache, impl
from autograder.config import load_config
from autograder.course import TOPICS
from autograder.local import LocalRunner
from autograder.runtime import plain

TOPIC = TOPICS["two_layer_net"]  # NumPy only: its expected data take well under a second


@pytest.fixture(scope="module")
def checks():
    return load_config().checks(TOPIC)


def _runner() -> LocalRunner:
    return LocalRunner(impl.load(impl.SOLUTIONS, TOPIC))


def _same(a, b) -> bool:
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.dtype == b.dtype and np.array_equal(a, b)
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(_same, a, b))
    return type(a) is type(b) and (a == b or (a != a and b != b))  # NaN equals NaN here


def test_a_current_cache_gives_the_computed_values(tmp_path, checks):
    computed = _runner()
    assert expected_cache.prepare(computed, TOPIC, checks, checks, tmp_path) == "computed"
    cached = _runner()
    assert expected_cache.prepare(cached, TOPIC, checks, checks, tmp_path) == "cached"
    fresh = _runner()
    for check in checks:
        assert _same(cached.expected(check), fresh.expected(check)), check.id


def test_a_stale_cache_is_recomputed_never_used(tmp_path, checks):
    check = next(c for c in checks if c.expect.kind not in ("nothing", "literal"))
    forged = {"key": "0" * 24, "data": {c.id: "forged" for c in checks}, "large": []}
    expected_cache.path_of(TOPIC, tmp_path).write_bytes(plain.encode(forged))
    runner = _runner()
    assert expected_cache.prepare(runner, TOPIC, checks, checks, tmp_path) == "computed"
    assert _same(runner.expected(check), _runner().expected(check))
    stored = plain.decode(expected_cache.path_of(TOPIC, tmp_path).read_bytes())
    assert stored["key"] == expected_cache.key(TOPIC, checks)  # rewritten for this pack


def test_another_selection_of_checks_is_another_key(checks):
    assert expected_cache.key(TOPIC, checks) != expected_cache.key(TOPIC, checks[:-1])
    assert expected_cache.key(TOPIC, checks) != expected_cache.key(TOPICS["losses"], checks)


def test_garbage_or_an_unwritable_folder_costs_only_the_computation(tmp_path, checks):
    expected_cache.path_of(TOPIC, tmp_path).write_bytes(b"not a cache")
    tmp_path.chmod(0o500)
    try:
        runner = _runner()
        state = expected_cache.prepare(runner, TOPIC, checks, checks, tmp_path)
    finally:
        tmp_path.chmod(0o700)
    # root may write anyway: then the garbage was replaced by a current cache
    assert state.startswith("computed")
    assert all(runner.has_expected(c) for c in checks)
