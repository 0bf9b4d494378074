"""The contract rule (autograder/contracts.py): every graded function's contract kinds are
declared or explained, each declared kind has a check, each kind a topic uses has a mutant that
breaks it and is caught by a check of that kind (verify proves the catch)."""

from __future__ import annotations

import pytest

from autograder import contracts
from autograder.course import TOPICS
from autograder.runtime.check import CONTRACT_KINDS, CheckSet


@pytest.mark.parametrize("topic", list(TOPICS.values()), ids=lambda t: t.name)
def test_every_contract_that_applies_has_a_check_and_a_mutant(topic, config):
    found = contracts.problems(topic, config)
    assert not found, f"{topic.name}:\n  " + "\n  ".join(found)


def test_a_check_names_only_known_contract_kinds():
    checks = CheckSet("demo", "hidden")
    with pytest.raises(ValueError, match="unknown contract kind"):
        checks.add("f", compare=lambda got, want: None, hint="h", contract="immutable")
    checks.add("f", compare=lambda got, want: None, hint="h", contract=("returns", "keys"))(
        lambda impl, device: None)
    assert checks.checks[0].contracts == ("returns", "keys")


def test_the_reference_text_decides_which_kinds_apply():
    definition = contracts.Definition(
        "step", "Raises ValueError if lr < 0. Returns a dict with keys 'w' and 'b'.",
        {"param": "np.ndarray", "lr": "float", "generator": "np.random.Generator"}, "dict")
    assert set(contracts.derived(definition)) == {
        "returns", "dtypes", "unchanged", "errors", "generator", "keys"}
    assert set(CONTRACT_KINDS) >= set(contracts.derived(definition))
