"""`python -m autograder grade` and `grade-all`: stage each submission, grade every topic in its own
sandbox, and write results.json, feedback.md and the hand-back bundle (and the gradebook).

This process is the trusted parent: it imports the reference solutions and the checks, never a
submission. Expected data are read from the pack's cache or computed, before any submission is
graded, and shared by the worker threads (each worker drives one sandbox at a time, with its own
sandbox uid); each slot's fork server imports torch once per run, not once per submission.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
import re
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from autograder import expected_cache, impl
from autograder.config import GradingConfig
from autograder.course import TOPICS, Topic
from autograder.errors import HarnessError
from autograder.graded import GRADER_FAILED, GradedRunner, TopicResult, limits_for
from autograder.local import LocalRunner
from autograder.progress import Progress
from autograder.report import SubmissionResult, parse_time, write_gradebook, write_submission
from autograder.runtime.outcome import Outcome, Status, cuda_available, score
from autograder.sandbox.slots import Slots
from autograder.sandbox.zygote import Zygote
from autograder.submission import RejectedSubmission, stage

OUTPUT_FILES = ("results.json", "feedback.md", "feedback.zip")


class Grader:
    """Everything a grading run shares: config, references, expected data, the public runtime."""

    def __init__(self, config: GradingConfig, topics: list[Topic] | None = None,
                 workers: int = 1, source_rules: bool = True, slots: Slots | None = None,
                 topics_at_once: bool = False):
        """`slots`: worker slots started earlier (`main` starts them before loading the
        configuration), else started here; the Grader closes them. `topics_at_once`: grade one
        submission's topics on all slots at once (`grade`), not one submission per slot."""
        self.config, self.workers, self.source_rules = config, workers, source_rules
        self.topics_at_once = topics_at_once
        self.topics = topics or list(TOPICS.values())
        # Each fork server imports torch while this process computes the expected data: the two
        # overlap on a multi-core host.
        self.slots = slots or Slots(workers)
        try:
            self.protections = self.slots.protections
            cuda = cuda_available()
            self.checks = {t.name: config.checks(t) for t in self.topics}
            self.runners = {}
            self.expected_from: dict[str, str] = {}  # topic -> "cached", "computed", ...
            for topic in self.topics:
                runner = GradedRunner(LocalRunner(impl.load(impl.SOLUTIONS, topic)),
                                      self.slots.runtime, self.protections, cuda, source_rules)
                self.expected_from[topic.name] = runner.prepare(topic, self.checks[topic.name])
                self.runners[topic.name] = runner
            self.slots.wait_ready()  # ready to grade: the fixed costs are paid
        except BaseException:
            self.close()  # no fork server outlives a Grader that could not be made
            raise

    def close(self) -> None:
        self.slots.close()

    def __enter__(self) -> Grader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def sandbox_uids(self) -> list[int]:
        """The sandbox uids this Grader leased (one per worker) for its lifetime."""
        return [held.uid for held in self.slots.leases]

    def sandbox_startups_s(self) -> list[float]:
        """How long each slot's fork server took to start (once per slot and grading run)."""
        return [zygote.startup_s for zygote in self.slots.zygotes]

    def protection_lines(self) -> list[str]:
        return self.protections.report()

    @functools.cached_property
    def pack(self) -> str:
        """A digest of everything that decides a grade here: the grader's code and checks, the
        reference solutions, the configuration, the topics graded, the source rules and whether
        CUDA checks run. Each results.json carries it; `grade_all(resume=True)` keeps only the
        results written under the same one."""
        digest = hashlib.sha256(expected_cache.tree_digest())
        digest.update(self.config.path.read_bytes())
        digest.update(repr((sorted(t.name for t in self.topics), self.source_rules,
                            cuda_available())).encode())
        return digest.hexdigest()[:16]

    def finished(self, folder: Path, name: str) -> dict | None:
        """The results.json in `folder` when it is this pack's complete grading of `name` (the
        hand-back bundle, written last, is there; no grader error): else None."""
        try:
            data = json.loads((folder / "results.json").read_text())
            extra = data["extra_data"]
            done = (folder / "feedback.zip").is_file() and extra["submission"] == name \
                and extra.get("pack") == self.pack and not extra["grader_error"]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return data if done else None

    def grade_topics(self, folder: Path, progress: Progress | None = None) -> list[TopicResult]:
        """Grade an already staged folder (verify uses this for mutants) with a free slot's fork
        server, kept from one submission to the next; with `topics_at_once`, with every slot's,
        each taking the next topic not yet started. If the grader fails (a server does not fork,
        a topic is killed from outside), the topics not yet started are marked "grader error:
        regrade" and that server is restarted for the next submission: a failing server costs
        one submission at most. `progress` is told of each topic graded."""
        zygotes = [self.slots.free.get()]
        if self.topics_at_once:
            zygotes += [self.slots.free.get() for _ in self.slots.zygotes[1:]]
        pending, graded, failures = list(self.topics), {}, []
        lock = threading.Lock()

        def grade_in_turn(zygote: Zygote) -> None:
            shown = zygote.present(folder)
            while True:
                with lock:
                    if not pending:
                        return
                    topic, failure = pending.pop(0), (failures or [None])[0]
                if failure:
                    result = self._not_graded(topic, failure)
                else:
                    try:
                        result = self.runners[topic.name].grade_topic(
                            topic, self.checks[topic.name], shown,
                            limits_for(self.config.topics[topic.name], self.workers), zygote)
                    except HarnessError as error:
                        zygote.stop()  # the next fork starts a fresh server
                        result = self._not_graded(topic, str(error))
                with lock:
                    graded[topic.name] = result
                    if result.grader_error:
                        failures.append(result.grader_error)
                    if progress is not None:
                        earned, possible = score(result.outcomes)
                        progress.done(f"{topic.name} {earned:.2f}/{possible:.2f} in "
                                      f"{result.seconds:.1f} s")

        try:
            if len(zygotes) == 1:
                grade_in_turn(zygotes[0])
            else:
                with ThreadPoolExecutor(len(zygotes)) as pool:
                    for future in [pool.submit(grade_in_turn, z) for z in zygotes]:
                        future.result()
            return [graded[topic.name] for topic in self.topics]
        finally:
            for zygote in zygotes:
                self.slots.free.put(zygote)

    def _not_graded(self, topic: Topic, why: str) -> TopicResult:
        """A topic the grader failed on: not run (neither for nor against), to be graded again."""
        outcomes = [Outcome(c, Status.NOT_RUN, GRADER_FAILED, True)
                    for c in self.checks[topic.name]]
        return TopicResult(topic, outcomes, grader_error=why.splitlines()[0][:300])

    def grade(self, source: Path, out: Path, name: str | None = None,
              submitted: tuple[datetime.datetime, str] | None = None,
              progress: Progress | None = None) -> SubmissionResult:
        """Grade one submission into `out` (stale results there are removed first). `submitted`:
        when it came and where that time is from (for the late policy); by default the file's
        modification time. `progress` is told of each topic graded."""
        started = time.monotonic()
        out.mkdir(parents=True, exist_ok=True)
        for stale in OUTPUT_FILES:
            (out / stale).unlink(missing_ok=True)
        result = SubmissionResult(name or safe_name(source))
        result.submitted_at, result.submitted_from = submitted or file_time(Path(source))
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
                result.topics = self.grade_topics(folder, progress)
            except Exception as error:  # the grader's own failure: this submission only
                result.topics = [self._not_graded(t, f"{type(error).__name__}: {error}")
                                 for t in self.topics]
        result.seconds = time.monotonic() - started
        write_submission(result, out, self.config, self.protection_lines(), self.pack)
        return result

    def grade_all(self, folder: Path, out: Path, progress: bool = True,
                  resume: bool = False, roster: list[dict[str, str]] | None = None
                  ) -> list[SubmissionResult]:
        """Every submission in `folder` (zips, folders, anything else is rejected with a
        message), `self.workers` at a time; then `out/gradebook.csv`, always rebuilt from the
        results on disk. Each submission's results are complete on disk as soon as it is graded,
        so an interrupted run loses only the submissions in progress; with `resume`, those this
        pack already graded completely (`finished`) are kept, not graded again. With a
        `roster` (`report.read_roster`), the gradebook has a row per student. Returns the
        submissions graded in this call."""
        out.mkdir(parents=True, exist_ok=True)
        entries = [p for p in sorted(folder.iterdir()) if not p.name.startswith(".")
                   and p.resolve() != out.resolve()]
        names = unique_names(entries)
        todo = [(entry, name) for entry, name in zip(entries, names, strict=True)
                if not (resume and self.finished(out / name, name))]
        if resume:
            print(f"resume: {len(entries) - len(todo)} of {len(entries)} submission(s) already "
                  f"graded by this pack are kept; grading {len(todo)}", file=sys.stderr,
                  flush=True)
        if roster is not None:
            roster = match_roster(roster, entries, names)
        submitted = {row["submission"]: (parse_time(row["submitted_at"]), "roster")
                     for row in roster or () if row.get("submitted_at")}
        results = []
        pool = ThreadPoolExecutor(self.workers)
        try:
            with Progress(len(todo), "graded", "submission", wanted=progress) as shown:
                futures = [pool.submit(self.grade, entry, out / name, name, submitted.get(name))
                           for entry, name in todo]
                for future in as_completed(futures):
                    results.append(future.result())
                    earned, possible = results[-1].score()
                    shown.done(f"{results[-1].name} {earned:.2f}/{possible:.2f} in "
                               f"{results[-1].seconds:.1f} s")
        finally:  # interrupted: start nothing more; what was finished stays on disk
            pool.shutdown(wait=True, cancel_futures=True)
        write_gradebook([json.loads((out / name / "results.json").read_text())
                         for name in names], out / "gradebook.csv", roster)
        return results


def match_roster(roster: list[dict[str, str]], entries: list[Path],
                 names: list[str]) -> list[dict[str, str]]:
    """The roster with each `submission` (a file or folder name in the graded folder, with or
    without .zip) replaced by that submission's name in the output; the submissions no student
    names are reported on stderr, not put in the gradebook."""
    by_entry = {}
    for entry, name in zip(entries, names, strict=True):
        by_entry.setdefault(entry.name, name)
        by_entry.setdefault(entry.name.removesuffix(".zip"), name)
    matched = [row | {"submission": by_entry.get(row["submission"], row["submission"])}
               for row in roster]
    named = {row["submission"] for row in matched}
    strays = [name for name in names if name not in named]
    if strays:
        print(f"not on the roster, left out of the gradebook (their results are in their "
              f"folders): {', '.join(strays)}", file=sys.stderr)
    return matched


def file_time(path: Path) -> tuple[datetime.datetime, str]:
    return datetime.datetime.fromtimestamp(path.stat().st_mtime, datetime.UTC), "file time"


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
