"""Local mode: run a check's probe and compare in this process.

Used by `make check` (through the pytest plugin) and by `verify`, which also runs graded mode and
requires both modes to agree.
The implementation's probe data still go through the plain-data codec, exactly as they will cross
the pipe in graded mode.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType, SimpleNamespace

from autograder.course import TOPICS
from autograder.errors import HarnessError
from autograder.runtime import guard, plain
from autograder.runtime.check import Check
from autograder.runtime.compare import Mismatch
from autograder.runtime.outcome import Outcome, Status, collect, cuda_available
from autograder.runtime.plain import Plain
from autograder.sandbox.rules import refusal, violations


class LocalRunner:
    """Runs checks against implementations; expected data are computed once per check."""

    def __init__(self, reference: ModuleType | None = None, source_rules: bool = True):
        self.reference, self.source_rules = reference, source_rules
        self._expected: dict[str, Plain] = {}
        self._refused: dict[str, str] = {}  # module file -> refusal message ("" if none)

    def run(self, check: Check, impl: ModuleType) -> Outcome:
        if check.needs_gpu and not cuda_available():
            return Outcome(check, Status.NOT_RUN, "needs a CUDA device; none on this machine")
        refused = self.refusal(check, impl)
        if refused:
            return Outcome(check, Status.ERROR, refused, True)
        topic = TOPICS.get(check.topic)
        with guard.armed(topic.forbidden_ops if topic else ()):  # as the sandbox does
            status, got = collect(lambda: check.run_probe(impl), impl, check.function)
        if status is not None:
            return Outcome(check, status, got)
        got = plain.roundtrip(got)
        try:
            check.compare(got, self.expected(check))
        except Mismatch as mismatch:
            return Outcome(check, Status.FAILED, str(mismatch))
        return Outcome(check, Status.PASSED)

    def refusal(self, check: Check, impl: ModuleType) -> str:
        """Graded mode refuses a module that breaks `source_rules`; so does local mode, so a
        student sees it in `make check` first."""
        path = getattr(impl, "__file__", None)
        if not self.source_rules or not path or not path.endswith(".py"):
            return ""
        if path not in self._refused:
            topic = TOPICS.get(check.topic)
            source = getattr(impl, "_nnf_source", None)  # a module composed of parts (mutants)
            try:
                if source is None:
                    source = Path(path).read_text(encoding="utf-8", errors="replace")
                found = violations(source, topic)
            except OSError:
                found = []
            self._refused[path] = refusal(topic, found) if found and topic else ""
        return self._refused[path]

    def has_expected(self, check: Check) -> bool:
        """Whether `expected(check)` needs no computing (a literal, nothing, or done already)."""
        return check.expect.kind in ("nothing", "literal") or check.id in self._expected

    def expected_data(self) -> dict[str, Plain]:
        """The expected data computed so far, by check id (autograder.expected_cache keeps them)."""
        return dict(self._expected)

    def preload(self, data: dict[str, Plain]) -> None:
        """Expected data computed earlier for the same pack (autograder.expected_cache)."""
        self._expected.update(data)

    def expected(self, check: Check) -> Plain:
        if check.expect.kind == "nothing":
            return None
        if check.expect.kind == "literal":
            return check.expect.namespace
        if check.id not in self._expected:
            try:
                if check.expect.kind == "any":
                    data = _alternatives(check)
                else:
                    source = (check.expect.namespace if check.expect.kind == "oracle"
                              else self.reference)
                    if source is None:
                        raise HarnessError(f"{check.id} compares with the reference solution, "
                                           "which is not available here")
                    data = plain.to_plain(check.run_expected_probe(source))
                self._expected[check.id] = plain.roundtrip(data)
            except HarnessError:
                raise
            except Exception as error:
                raise HarnessError(f"computing the expected data of {check.id} from "
                                   f"{check.expect.label} failed: {error!r}") from error
        return self._expected[check.id]


class _Seen:
    """An oracle namespace that records which of its names a probe uses."""

    def __init__(self, namespace: object):
        self._namespace, self.used = namespace, set()

    def __getattr__(self, name: str) -> object:
        self.used.add(name)
        return getattr(self._namespace, name)


def _alternatives(check: Check) -> list[Plain]:
    """An `any_of` check's expected data: the main oracle's, then each other formulation's that
    changes a name the probe used (each distinct combination once)."""
    main, *others = check.expect.namespace
    seen = _Seen(main.namespace)
    found = [plain.to_plain(check.run_expected_probe(seen))]
    done = {tuple(id(getattr(main.namespace, n)) for n in sorted(seen.used))}
    for other in others:
        merged = SimpleNamespace(**{**vars(main.namespace), **vars(other.namespace)})
        key = tuple(id(getattr(merged, n)) for n in sorted(seen.used))
        if key not in done:
            done.add(key)
            found.append(plain.to_plain(check.run_expected_probe(merged)))
    return found
