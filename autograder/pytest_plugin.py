"""Local mode under pytest: each topic's `public.py` and `hidden/checks.py` (under
autograder/topics/<module>/) becomes a test file whose items are its checks, run against the
implementation chosen with --impl.

    pytest autograder/topics/regularization/public.py                 # your exercises/
    pytest autograder/topics/regularization/public.py --impl solutions
    cd autograder/topics/regularization && pytest hidden/checks.py --impl hidden/mutants/x.py

Failures print the check's own message (what, on which input, by how much, a hint), not a
traceback. Checks that need CUDA on a machine without it are reported as NOT RUN and counted in the
summary; they never pass silently.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from autograder import impl
from autograder.config import DEFAULT_CONFIG, ConfigError, load_config
from autograder.course import TOPICS, TOPICS_DIR
from autograder.local import LocalRunner
from autograder.runtime.outcome import Outcome, Status

NOT_RUN_PREFIX = "NOT RUN"
_not_run = pytest.StashKey[list]()
_loaded = pytest.StashKey[dict]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("nnf-pack checks")
    group.addoption("--impl", default="exercises",
                    help="implementation under test: a folder holding the topic modules "
                         "(default: exercises), a .py file, or a mutant "
                         "(autograder/topics/<topic>/hidden/mutants/)")


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_not_run] = []
    config.stash[_loaded] = {}


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if _check_file(file_path):
        return CheckFile.from_parent(parent, path=file_path)
    return None


def _check_file(path: Path) -> tuple[str, str] | None:
    """(topic, visibility) of a topic's public.py or hidden/checks.py; None for any other file."""
    public = path.name == "public.py" and path.parent.parent == TOPICS_DIR
    hidden = path.name == "checks.py" and path.parent.name == "hidden" \
        and path.parent.parent.parent == TOPICS_DIR
    if public and path.parent.name in TOPICS:
        return path.parent.name, "public"
    if hidden and path.parent.parent.name in TOPICS:
        return path.parent.parent.name, "hidden"
    return None


class CheckFile(pytest.File):
    def collect(self):
        name, visibility = _check_file(self.path)
        topic = TOPICS[name]
        config = _grading_config()
        checks = config.checks(topic, (visibility,)) if config else topic.checks(visibility)
        for check in checks:
            yield CheckItem.from_parent(self, name=check.name, check=check)


class CheckFailed(Exception):
    def __init__(self, outcome: Outcome):
        super().__init__(outcome.render())
        self.outcome = outcome


class CheckItem(pytest.Item):
    def __init__(self, *, check, **kwargs):
        super().__init__(**kwargs)
        self.check = check

    def runtest(self) -> None:
        module, reference, failure = _load(self.config, self.check.topic)
        if failure is not None:
            raise CheckFailed(Outcome(self.check, Status.ERROR, failure))
        outcome = LocalRunner(reference).run(self.check, module)
        if outcome.status is Status.NOT_RUN:
            self.config.stash[_not_run].append(self.check.id)
            pytest.skip(f"{NOT_RUN_PREFIX}: {outcome.message}")
        if not outcome.passed:
            raise CheckFailed(outcome)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, CheckFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, None, self.check.id


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    not_run = config.stash.get(_not_run, [])
    if not_run:
        terminalreporter.write_sep(
            "!", f"{len(not_run)} check(s) need CUDA and were NOT RUN on this machine "
                 "(they are neither passed nor failed)", yellow=True, bold=True)
        for check_id in not_run:
            terminalreporter.write_line(f"  not run: {check_id}")


def _load(config: pytest.Config, topic_name: str) -> tuple[ModuleType | None, ModuleType | None,
                                                             str | None]:
    """The implementation under test and the reference (when shipped), loaded once per topic."""
    cache = config.stash[_loaded]
    if topic_name not in cache:
        topic = TOPICS[topic_name]
        source = Path(config.getoption("impl"))
        source = source if source.is_absolute() else Path(config.invocation_params.dir) / source
        reference = None
        if impl.module_path(impl.SOLUTIONS, topic).is_file():
            reference = impl.load(impl.SOLUTIONS, topic)
        try:
            is_mutant = source.resolve().is_relative_to(topic.mutants_dir)
            module = impl.load_mutant(source, topic) if is_mutant else impl.load(source, topic)
            cache[topic_name] = (module, reference, None)
        except impl.ImplementationError as error:
            cache[topic_name] = (None, reference, str(error))
    return cache[topic_name]


def _grading_config():
    """The grading configuration where it ships (not in the student release), for the same points
    and tolerance overrides as graded mode."""
    if not DEFAULT_CONFIG.is_file():
        return None
    try:
        return load_config(DEFAULT_CONFIG)
    except ConfigError as error:
        raise pytest.UsageError(str(error)) from None
