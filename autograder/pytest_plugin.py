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

import difflib
import functools
import traceback
from pathlib import Path
from types import ModuleType

import pytest

from autograder import impl
from autograder.config import DEFAULT_CONFIG, ConfigError, load_config
from autograder.course import TOPICS, TOPICS_DIR
from autograder.local import LocalRunner
from autograder.release import DEFAULT_HINT, HINTS
from autograder.runtime.outcome import Outcome, Status

NOT_RUN_PREFIX = "NOT RUN"
_not_run = pytest.StashKey[list]()
_loaded = pytest.StashKey[dict]()
_import_shown = pytest.StashKey[dict]()  # topic -> the check that showed its import error
_functions = pytest.StashKey[set]()  # topic.function of every collected check, for --function


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("nnf-pack checks")
    group.addoption("--impl", default="exercises",
                    help="implementation under test: a folder holding the topic modules "
                         "(default: exercises), a .py file, or a mutant "
                         "(autograder/topics/<topic>/hidden/mutants/)")
    group.addoption("--function", default="", metavar="[TOPIC.]NAME",
                    help="only the checks of this function or class (losses.kl_div, or kl_div "
                         "with one topic's check file)")


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_not_run] = []
    config.stash[_loaded] = {}
    config.stash[_import_shown] = {}
    config.stash[_functions] = set()


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
        wanted = self.config.getoption("function")
        if wanted:
            self.config.stash[_functions].update(f"{topic.name}.{c.function}" for c in checks)
            checks = [c for c in checks if wanted in (c.function, f"{topic.name}.{c.function}")]
        for check in checks:
            yield CheckItem.from_parent(self, name=check.name, check=check)


def pytest_collection_finish(session: pytest.Session) -> None:
    """`--function` that names no function of the collected topics: say so, with a guess."""
    wanted = session.config.getoption("function")
    if wanted and not session.items:
        known = sorted(session.config.stash[_functions])
        close = difflib.get_close_matches(wanted, known + [k.split(".", 1)[1] for k in known],
                                          n=1, cutoff=0.6)
        raise pytest.UsageError(
            f"no check is of {wanted!r}" + (f"; did you mean {close[0]}?" if close else "")
            + " Name a function or class as topic.name, e.g. losses.kl_div; the topics' "
              "functions are in their stubs, exercises/<topic>.py.")


class CheckFailed(Exception):
    def __init__(self, outcome: Outcome):
        super().__init__(outcome.render())
        self.outcome = outcome


class ImportFailed(Exception):
    """The topic's module did not import: said once per topic, in full, at its first check."""


def _import_report(config: pytest.Config, check, failure: impl.ImplementationError) -> str:
    """The import error in full at the topic's first check, one line at the others."""
    topic = TOPICS[check.topic]
    first = config.stash[_import_shown].setdefault(topic.name, check.name)
    if first != check.name:
        return (f"ERROR {check.id}: not run, {topic.module_file} could not be imported (the "
                f"error is shown once, at {topic.name}.{first})")
    cause = failure.__cause__
    if cause is None:  # nothing was imported (no such file): the loader's own words
        return (f"MISSING {topic.module_file}: {failure}\n"
                f"  every check of {topic.number} {topic.name} fails until it exists\n"
                f"  hint: copy the stub back from the release (exercises/{topic.module_file}) "
                "or pass --impl the folder that holds your modules")
    kind = type(cause).__name__
    hint = HINTS.get(kind, DEFAULT_HINT).format(name=topic.name)
    lines = [f.lineno for f in traceback.extract_tb(cause.__traceback__)
             if f.filename.endswith(topic.module_file)]
    line = cause.lineno if isinstance(cause, SyntaxError) else lines[-1] if lines else None
    text = str(cause).strip().splitlines()[0] if str(cause).strip() else ""
    if isinstance(cause, SyntaxError):
        text = cause.msg
    where = f" (line {line})" if line else ""
    return (f"IMPORT ERROR {topic.module_file}: {kind}: {text}{where}\n"
            f"  every check of {topic.number} {topic.name} fails until it imports\n"
            f"  hint: {hint}")


class CheckItem(pytest.Item):
    def __init__(self, *, check, **kwargs):
        super().__init__(**kwargs)
        self.check = check

    def runtest(self) -> None:
        module, runner, failure = _load(self.config, self.check.topic)
        if failure is not None:
            raise ImportFailed(_import_report(self.config, self.check, failure))
        outcome = runner.run(self.check, module)
        if outcome.status is Status.NOT_RUN:
            self.config.stash[_not_run].append(self.check.id)
            pytest.skip(f"{NOT_RUN_PREFIX}: {outcome.message}")
        if not outcome.passed:
            raise CheckFailed(outcome)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, CheckFailed | ImportFailed):
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


def _load(config: pytest.Config, topic_name: str) -> tuple[ModuleType | None, LocalRunner,
                                                             impl.ImplementationError | None]:
    """The implementation under test and a runner with the reference (when shipped), once per
    topic: the runner keeps its expected data and source-rule verdict from check to check."""
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
            cache[topic_name] = (module, LocalRunner(reference), None)
        except impl.ImplementationError as error:
            cache[topic_name] = (None, LocalRunner(reference), error)
    return cache[topic_name]


@functools.cache
def _grading_config():
    """The grading configuration where it ships (not in the student release), for the same points
    and tolerance overrides as graded mode; checked against the schema only: checking it against
    the checks imports every hidden check module (scipy.stats, torchvision: a second or more of
    a student's `make check`), and every grading command and tests/test_config.py do that."""
    if not DEFAULT_CONFIG.is_file():
        return None
    try:
        return load_config(DEFAULT_CONFIG, frozenset())
    except ConfigError as error:
        raise pytest.UsageError(str(error)) from None
