"""`python -m autograder grade` and `grade-all`: stage each submission, grade every topic in its own
sandbox, and write results.json, feedback.md and the hand-back bundle (and the gradebook).

This process is the trusted parent: it imports the reference solutions and the checks, never a
submission. Expected data are computed once, before any submission is graded, and shared by the
worker threads (each worker drives one sandbox at a time, with its own sandbox uid); each slot's
fork server imports torch once per run, not once per submission.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from autograder import impl
from autograder.config import GradingConfig
from autograder.graded import GradedRunner, TopicResult, limits_for
from autograder.local import LocalRunner
from autograder.report import SubmissionResult, results_json, write_gradebook, write_submission
from autograder.runtime.outcome import cuda_available
from autograder.sandbox.leases import sandbox_slot
from autograder.sandbox.protections import Protections
from autograder.sandbox.zygote import Zygote, build_runtime
from autograder.submission import RejectedSubmission, stage
from autograder.topics import TOPICS, Topic
from data.progress import progress_bar

OUTPUT_FILES = ("results.json", "feedback.md", "feedback.zip")


class Grader:
    """Everything a grading run shares: config, references, expected data, the public runtime."""

    def __init__(self, config: GradingConfig, topics: list[Topic] | None = None,
                 workers: int = 1, source_rules: bool = True):
        self.config, self.workers = config, workers
        self.topics = topics or list(TOPICS.values())
        self.protections = Protections.detect()
        self._zygotes: dict[int, Zygote] = {}  # one per sandbox slot this Grader has used
        self._runtime = Path(tempfile.mkdtemp(prefix="nnf-runtime-"))
        build_runtime(self._runtime)
        # Each worker's fork server imports torch and the datasets' libraries while this
        # process computes the expected data: the two overlap on a multi-core host.
        threads = limits_for(config.topics[self.topics[0].name], workers).threads
        for slot in range(workers):
            self._zygotes[slot] = Zygote(self._runtime, slot, self.protections)
            self._zygotes[slot].launch(threads)
        try:
            cuda = cuda_available()
            self.checks = {t.name: config.checks(t) for t in self.topics}
            self.runners = {}
            for topic in self.topics:
                runner = GradedRunner(LocalRunner(impl.load(impl.SOLUTIONS, topic)),
                                      self._runtime, self.protections, cuda, source_rules)
                runner.prepare(self.checks[topic.name])
                self.runners[topic.name] = runner
            for zygote in self._zygotes.values():  # ready to grade: the fixed costs are paid
                zygote.wait_ready()
        except BaseException:
            self.close()  # no fork server outlives a Grader that could not be made
            raise

    def close(self) -> None:
        for zygote in self._zygotes.values():
            zygote.close()
        shutil.rmtree(self._runtime, ignore_errors=True)

    def __enter__(self) -> Grader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def sandbox_startups_s(self) -> list[float]:
        """How long each slot's fork server took to start (once per slot and grading run)."""
        return [zygote.startup_s for zygote in self._zygotes.values()]

    def protection_lines(self) -> list[str]:
        return self.protections.report()

    def grade_topics(self, folder: Path) -> list[TopicResult]:
        """Grade an already staged folder (verify uses this for mutants) in a free slot, with
        that slot's zygote (fork server), kept from one submission to the next."""
        with sandbox_slot() as slot:
            zygote = self._zygotes.get(slot)
            if zygote is None:
                zygote = self._zygotes[slot] = Zygote(self._runtime, slot, self.protections)
            shown = zygote.present(folder)
            return [self.runners[t.name].grade_topic(
                        t, self.checks[t.name], shown,
                        limits_for(self.config.topics[t.name], self.workers), zygote)
                    for t in self.topics]

    def grade(self, source: Path, out: Path, name: str | None = None) -> SubmissionResult:
        """Grade one submission into `out` (stale results there are removed first)."""
        started = time.monotonic()
        out.mkdir(parents=True, exist_ok=True)
        for stale in OUTPUT_FILES:
            (out / stale).unlink(missing_ok=True)
        result = SubmissionResult(name or safe_name(source))
        with tempfile.TemporaryDirectory(prefix="nnf-stage-") as scratch:
            Path(scratch).chmod(0o755)
            folder = Path(scratch) / "submission"
            try:
                staged = stage(Path(source), folder)
                result.ignored = staged.ignored
            except RejectedSubmission as error:
                result.rejected = str(error)
                folder.mkdir(mode=0o755, exist_ok=True)
            result.topics = self.grade_topics(folder)
        result.seconds = time.monotonic() - started
        write_submission(result, out, self.config, self.protection_lines())
        return result

    def grade_all(self, folder: Path, out: Path, progress: bool = True) \
            -> list[SubmissionResult]:
        """Every submission in `folder` (zips, folders, anything else is rejected with a
        message), `self.workers` at a time; then `out/gradebook.csv`."""
        out.mkdir(parents=True, exist_ok=True)
        entries = [p for p in sorted(folder.iterdir()) if not p.name.startswith(".")
                   and p.resolve() != out.resolve()]
        names = unique_names(entries)
        results = []
        with ThreadPoolExecutor(self.workers) as pool, progress_bar(
                total=len(entries), desc="grading", unit="submission", wanted=progress) as bar:
            futures = [pool.submit(self.grade, entry, out / name, name)
                       for entry, name in zip(entries, names, strict=True)]
            for future in as_completed(futures):
                results.append(future.result())
                bar.update(1)
        write_gradebook([results_json(r, self.config, self.protection_lines()) for r in results],
                        out / "gradebook.csv")
        return results


def safe_name(path: Path) -> str:
    """A file-system and spreadsheet safe name for a submission (its output folder, its row)."""
    stem = Path(path).name.removesuffix(".zip")
    name = re.sub(r"[^A-Za-z0-9._-]", "_", stem).lstrip("._-")
    return name[:80] or "submission"


def unique_names(paths: list[Path]) -> list[str]:
    seen: dict[str, int] = {}
    names = []
    for path in paths:
        name = safe_name(path)
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name}-{seen[name]}")
    return names


__all__ = ["Grader", "RejectedSubmission", "safe_name", "unique_names"]
