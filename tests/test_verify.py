"""`verify` itself: it must notice a mutant that is not caught, a CAUGHT_BY that names a public
check, and refuse to run without CUDA when the configuration requires a GPU."""

from __future__ import annotations

import functools
import re

import pytest

from autograder import __main__ as cli
from autograder import impl
from autograder.course import TOPICS
from autograder.local import LocalRunner
from autograder.runtime import outcome
from autograder.verify import verify_mutant

TOPIC_LIST = list(TOPICS.values())


@functools.cache
def reference_runner(name: str) -> LocalRunner:
    """One runner per topic for the module: its expected data are computed once."""
    return LocalRunner(impl.load(impl.SOLUTIONS, TOPICS[name]))


def hidden_names(config, topic):
    return {c.name for c in config.checks(topic) if c.visibility == "hidden"}


@pytest.mark.slow
@pytest.mark.parametrize("topic", TOPIC_LIST, ids=lambda t: t.name)
def test_mutant_identical_to_reference_is_reported(tmp_path, config, topic):
    caught_by = next(c.name for c in config.checks(topic)
                     if c.visibility == "hidden" and not c.needs_gpu)
    fake = tmp_path / "not_a_mistake.py"
    fake.write_text(f'"""Changes nothing."""\n\nCAUGHT_BY = ({caught_by!r},)\n')
    runner = reference_runner(topic.name)
    row = verify_mutant(fake, topic, config.checks(topic), hidden_names(config, topic), runner)
    assert f"{caught_by} passed: the mutant was not caught" in row.problems
    assert "no hidden check failed" in row.problems


@pytest.mark.slow
@pytest.mark.parametrize("topic", TOPIC_LIST, ids=lambda t: t.name)
def test_caught_by_must_name_hidden_checks(tmp_path, config, topic):
    public = next(c.name for c in config.checks(topic) if c.visibility == "public")
    mutant = topic.mutants()[0]
    source = re.sub(r"^CAUGHT_BY = \(.*?\)$", f"CAUGHT_BY = ({public!r},)",
                    mutant.read_text(), count=1, flags=re.M | re.S)
    assert f"CAUGHT_BY = ({public!r},)" in source
    fake = tmp_path / "public_only.py"
    fake.write_text(source)
    runner = reference_runner(topic.name)
    row = verify_mutant(fake, topic, config.checks(topic), hidden_names(config, topic), runner)
    assert any("not a hidden check" in p for p in row.problems)


def test_require_gpu_without_cuda_refuses(tmp_path, monkeypatch, capsys):
    path = tmp_path / "gpu.toml"
    path.write_text((impl.ROOT / "grading_config/grading.toml").read_text()
                    .replace("require_gpu = false", "require_gpu = true"))
    monkeypatch.setattr(cli, "cuda_available", lambda: False)
    monkeypatch.setattr(outcome, "cuda_available", lambda: False)
    assert cli.main(["--config", str(path), "verify"]) == 2
    assert "require_gpu = true" in capsys.readouterr().err


def test_invalid_config_is_a_clear_error(tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_text("require_gpu = 'yes'\n")
    assert cli.main(["--config", str(path), "list"]) == 2
    assert "require_gpu: 'yes' is not of type 'boolean'" in capsys.readouterr().err
