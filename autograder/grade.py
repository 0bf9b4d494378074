"""`python -m autograder grade` and `grade-all`: stage each submission, grade every topic in its own
sandbox, and write results.json, feedback.md and the hand-back bundle (and the gradebook).

This process is the trusted parent: it imports the reference solutions and the checks, never a
submission. Expected data are computed once, before any submission is graded, and shared by the
worker threads (each worker drives one sandbox at a time, with its own sandbox uid); each slot's
fork server imports torch once per run, not once per submission.
"""

from __future__ import annotations

import queue
import re
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from autograder import impl
from autograder.config import GradingConfig
from autograder.course import TOPICS, Topic
from autograder.errors import HarnessError
from autograder.graded import GRADER_FAILED, GradedRunner, TopicResult, limits_for
from autograder.local import LocalRunner
from autograder.report import SubmissionResult, results_json, write_gradebook, write_submission
from autograder.runtime.outcome import Outcome, Status, cuda_available
from autograder.sandbox.leases import lease
from autograder.sandbox.protections import Protections
from autograder.sandbox.zygote import Zygote, build_runtime
from autograder.submission import RejectedSubmission, stage
from data.progress import progress_bar

OUTPUT_FILES = ("results.json", "feedback.md", "feedback.zip")


class Grader:
    """Everything a grading run shares: config, references, expected data, the public runtime."""

    def __init__(self, config: GradingConfig, topics: list[Topic] | None = None,
                 workers: int = 1, source_rules: bool = True):
        self.config, self.workers = config, workers
        self.topics = topics or list(TOPICS.values())
        self.protections = Protections.detect()
        self._runtime = Path(tempfile.mkdtemp(prefix="nnf-runtime-"))
        build_runtime(self._runtime)
        # One sandbox uid per worker, leased host-wide for the whole run, and its fork server.
        # Each server imports torch and the datasets' libraries while this process computes the
        # expected data: the two overlap on a multi-core host.
        self._leases = []
        self._zygotes: list[Zygote] = []
        self._free: queue.Queue[Zygote] = queue.Queue()  # the servers no grading is using
        threads = limits_for(config.topics[self.topics[0].name], workers).threads
        try:
            for _ in range(workers):
                self._leases.append(lease())
                self._zygotes.append(Zygote(self._runtime, self._leases[-1].uid,
                                            self.protections))
                self._zygotes[-1].launch(threads)
            for zygote in self._zygotes:
                self._free.put(zygote)
            cuda = cuda_available()
            self.checks = {t.name: config.checks(t) for t in self.topics}
            self.runners = {}
            for topic in self.topics:
                runner = GradedRunner(LocalRunner(impl.load(impl.SOLUTIONS, topic)),
                                      self._runtime, self.protections, cuda, source_rules)
                runner.prepare(self.checks[topic.name])
                self.runners[topic.name] = runner
            for zygote in self._zygotes:  # ready to grade: the fixed costs are paid
                zygote.wait_ready()
        except BaseException:
            self.close()  # no fork server outlives a Grader that could not be made
            raise

    def close(self) -> None:
        for zygote in self._zygotes:
            zygote.close()
        for held in self._leases:
            held.release()
        shutil.rmtree(self._runtime, ignore_errors=True)

    def __enter__(self) -> Grader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def sandbox_uids(self) -> list[int]:
        """The sandbox uids this Grader leased (one per worker) for its lifetime."""
        return [held.uid for held in self._leases]

    def sandbox_startups_s(self) -> list[float]:
        """How long each slot's fork server took to start (once per slot and grading run)."""
        return [zygote.startup_s for zygote in self._zygotes]

    def protection_lines(self) -> list[str]:
        return self.protections.report()

    def grade_topics(self, folder: Path) -> list[TopicResult]:
        """Grade an already staged folder (verify uses this for mutants) with a free worker's
        zygote (fork server), kept from one submission to the next. If the grader fails (the
        server does not fork, a topic is killed from outside), the topics from there on are
        marked "grader error: regrade" and the server is restarted for the next submission: a
        failing server costs one submission at most."""
        zygote = self._free.get()
        try:
            shown = zygote.present(folder)
            results: list[TopicResult] = []
            for topic in self.topics:
                if results and results[-1].grader_error:
                    results.append(self._not_graded(topic, results[-1].grader_error))
                    continue
                try:
                    results.append(self.runners[topic.name].grade_topic(
                        topic, self.checks[topic.name], shown,
                        limits_for(self.config.topics[topic.name], self.workers), zygote))
                except HarnessError as error:
                    zygote.stop()  # the next fork starts a fresh server
                    results.append(self._not_graded(topic, str(error)))
            return results
        finally:
            self._free.put(zygote)

    def _not_graded(self, topic: Topic, why: str) -> TopicResult:
        """A topic the grader failed on: not run (neither for nor against), to be graded again."""
        outcomes = [Outcome(c, Status.NOT_RUN, GRADER_FAILED, True)
                    for c in self.checks[topic.name]]
        return TopicResult(topic, outcomes, grader_error=why.splitlines()[0][:300])

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
            try:
                result.topics = self.grade_topics(folder)
            except Exception as error:  # the grader's own failure: this submission only
                result.topics = [self._not_graded(t, f"{type(error).__name__}: {error}")
                                 for t in self.topics]
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
                if progress and bar.disable:  # a log, not a terminal: a line per submission
                    earned, possible = results[-1].score()
                    print(f"graded {len(results)}/{len(entries)}: {results[-1].name} "
                          f"{earned:.2f}/{possible:.2f} in {results[-1].seconds:.1f} s",
                          file=sys.stderr, flush=True)
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
