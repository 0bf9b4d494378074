"""What graded mode writes: Gradescope's `results.json`, a student's `feedback.md`, a hand-back
bundle, and the gradebook row.

Feedback policy (grading_config `[feedback]`): a public check shows its full message; a hidden check
shows its name, pass or fail, and its generic hint, plus the grader's own words when the topic's
process stopped (never text the student's code produced after it saw a hidden input). Captured
output is shown only where configured, only what was printed before the first hidden check, cut
to a length. Student-written text is fenced so it cannot turn into markdown (links, images).
"""

from __future__ import annotations

import csv
import json
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from autograder.config import GradingConfig
from autograder.course import TOPICS
from autograder.graded import NOT_RUN_AFTER_STOP, TopicResult
from autograder.runtime.outcome import Outcome, Status, score

RESULTS_SCHEMA = Path(__file__).with_name("results.schema.json")
GRADER_ERROR = ("Grader error: the grader failed on part of this submission (not the "
                "submission's doing); those topics show no score and will be graded again.")


@dataclass
class SubmissionResult:
    name: str
    topics: list[TopicResult] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    rejected: str = ""  # the archive could not be graded at all
    seconds: float = 0.0

    def topic_score(self, result: TopicResult) -> tuple[float, float]:
        return score(result.outcomes)

    def score(self) -> tuple[float, float]:
        pairs = [self.topic_score(t) for t in self.topics]
        return sum(p[0] for p in pairs), sum(p[1] for p in pairs)

    @property
    def grader_error(self) -> bool:
        """The grader failed on some topic (not the student): the submission must be regraded."""
        return any(t.grader_error for t in self.topics)


def check_output(outcome: Outcome) -> str:
    """The text a student reads for one check, by the feedback policy. A hidden check shows its
    name (what property it tests) and a hint; never its input or the data it saw."""
    check = outcome.check
    if check.visibility == "public":
        return outcome.render()
    head = f"{check.id} (hidden check of {check.function})"
    if outcome.trusted_message:  # the grader's own words; the hidden input is still not named
        return (f"{outcome.status.upper()} {head}: {outcome.message}"
                + (f"\n  hint: {check.hint}" if outcome.status is Status.ERROR else ""))
    if outcome.status is Status.PASSED:
        return f"PASSED {head}"
    if outcome.status is Status.NOT_RUN:
        return f"NOT RUN {head}: {outcome.message}"
    if outcome.status is Status.NOT_IMPLEMENTED:
        return f"NOT IMPLEMENTED {check.function}"
    return f"{outcome.status.upper()} {head}\n  hint: {check.hint}"


def results_json(result: SubmissionResult, config: GradingConfig,
                 protections: list[str], pack: str = "") -> dict:
    earned, possible = result.score()
    tests = []
    for topic in result.topics:
        for outcome in topic.outcomes:
            check = outcome.check
            ran = outcome.status is not Status.NOT_RUN
            tests.append({
                "name": f"{topic.topic.number} {check.id}",
                "score": round(check.points if outcome.passed else 0.0, 4),
                "max_score": round(check.points if ran else 0.0, 4),
                "status": "passed" if outcome.passed else "failed",
                "visibility": "visible" if check.visibility == "public"
                else config.feedback.hidden_visibility,
                "output": check_output(outcome),
                "tags": [topic.topic.name, check.function, check.visibility],
            })
    return {
        "score": round(earned, 4),
        "max_score": round(possible, 4),
        "execution_time": round(result.seconds, 2),
        "output": summary_text(result),
        "output_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
        "extra_data": {
            "submission": result.name,
            "rejected": result.rejected,
            "grader_error": result.grader_error,
            "ignored_files": result.ignored,
            "topics": {t.topic.name: _topic_summary(result, t) for t in result.topics},
            "protections": protections,
            "pack": pack,  # the Grader's digest of checks, references and configuration
        },
    }


def _topic_summary(result: SubmissionResult, topic: TopicResult) -> dict:
    earned, possible = result.topic_score(topic)
    state = ("grader error: regrade" if topic.grader_error else "missing" if topic.missing
             else "refused" if topic.refused else "tampered" if topic.tampered
             else "import error" if topic.load_error
             else "stopped early" if topic.notes else "graded")
    not_run = sum(o.status is Status.NOT_RUN for o in topic.outcomes)
    return {"score": round(earned, 4), "max_score": round(possible, 4), "state": state,
            "checks_not_run": not_run}


def summary_text(result: SubmissionResult) -> str:
    earned, possible = result.score()
    lines = [f"Score {earned:.2f} / {possible:.2f}"]
    if result.rejected:
        lines.append(f"The submission could not be graded: {result.rejected}")
    if result.grader_error:
        lines.append(GRADER_ERROR)
    for topic in result.topics:
        t_earned, t_possible = result.topic_score(topic)
        state = _topic_summary(result, topic)["state"]
        lines.append(f"{topic.topic.number} {topic.topic.name}: {t_earned:.2f} / "
                     f"{t_possible:.2f} ({state})")
        if topic.load_error:  # the student's own text (plain text here), never the grader's
            lines.append(f"    {topic.topic.module_file} raised, as it was imported: "
                         f"{topic.load_error.splitlines()[0][:300]}")
    no_gpu = gpu_checks_not_run(result)
    if no_gpu:
        lines.append(f"{no_gpu} checks need a CUDA device and were NOT RUN on this grader (none "
                     "there): they count neither for nor against, and are left out of the maximum")
    return "\n".join(lines)


def gpu_checks_not_run(result: SubmissionResult) -> int:
    return sum(o.status is Status.NOT_RUN and o.check.needs_gpu
               for topic in result.topics if not topic.grader_error for o in topic.outcomes)


def feedback_markdown(result: SubmissionResult, config: GradingConfig) -> str:
    earned, possible = result.score()
    out = [f"# Feedback for {result.name}", "", f"**Score: {earned:.2f} / {possible:.2f}**", ""]
    if result.rejected:
        out += [f"The submission could not be graded: {result.rejected}", ""]
    if result.grader_error:
        out += [f"**{GRADER_ERROR}**", ""]
    if result.ignored:
        out += ["Files ignored (only the topic modules are graded):", "",
                *[f"- {_inline(item)}" for item in result.ignored], ""]
    for topic in result.topics:
        t_earned, t_possible = result.topic_score(topic)
        out += [f"## {topic.topic.number} {topic.topic.title} (`{topic.topic.module_file}`): "
                f"{t_earned:.2f} / {t_possible:.2f}", ""]
        if topic.missing:
            out += [f"No `{topic.topic.module_file}` in the submission.", ""]
            continue
        if topic.grader_error:
            out += ["This topic was not graded: the grader failed here, not your code. It will "
                    "be graded again.", ""]
            continue
        if topic.refused:
            out += ["The module was not run: graded code may use only the topic's libraries and "
                    "may not reach into the interpreter or the grader (see the README, 'What a "
                    "submission may contain'):", "", fenced("\n".join(topic.refused)), ""]
        if topic.load_error:
            out += ["The module could not be imported, so no check of this topic ran:", "",
                    fenced(topic.load_error), ""]
        if topic.notes:  # the grader's words, fenced all the same
            out += [fenced("\n".join(topic.notes)), ""]
        passed = sum(o.passed for o in topic.outcomes)
        out += [f"{passed} of {len(topic.outcomes)} checks passed.", ""]
        not_run = [o for o in topic.outcomes if o.status is Status.NOT_RUN]
        if not_run:
            out += [f"{len(not_run)} check(s) need a CUDA device and were not run here; they "
                    "count neither for nor against you.", ""]
        todo = list(dict.fromkeys(o.check.function for o in topic.outcomes
                                  if o.status is Status.NOT_IMPLEMENTED))
        if todo:
            out += [f"Not implemented yet (every check of these fails): {', '.join(todo)}.", ""]
        failures = [o for o in topic.outcomes
                    if o.status not in (Status.PASSED, Status.NOT_RUN, Status.NOT_IMPLEMENTED)
                    and not o.message.startswith(NOT_RUN_AFTER_STOP)]
        if failures and not (topic.load_error or topic.refused):
            out += ["### Checks to look at", ""]
            for outcome in failures:
                out += [fenced(check_output(outcome)), ""]
        if config.feedback.show_output and topic.output_public.strip():
            limit = config.feedback.output_limit_chars
            shown = topic.output_public[:limit]
            cut = " (cut)" if len(topic.output_public) > limit else ""
            out += [f"Your code printed{cut}:", "", fenced(shown), ""]
    return "\n".join(out).rstrip() + "\n"


def fenced(text: str) -> str:
    """A code block that no backtick run inside `text` can close."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def _inline(text: str) -> str:
    return "`" + text.replace("`", "'") + "`"


def write_submission(result: SubmissionResult, folder: Path, config: GradingConfig,
                     protections: list[str], pack: str = "") -> Path:
    """results.json, feedback.md and feedback.zip (the hand-back bundle) in `folder`. Each file is
    written to a temporary name and renamed, so a reader never sees a partial or stale file."""
    folder.mkdir(parents=True, exist_ok=True)
    data = results_json(result, config, protections, pack)
    _atomic(folder / "results.json", json.dumps(data, indent=2).encode())
    _atomic(folder / "feedback.md", feedback_markdown(result, config).encode())
    partial = folder / ".feedback.zip.partial"
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.write(folder / "feedback.md", "feedback.md")
        bundle.write(folder / "results.json", "results.json")
    os.replace(partial, folder / "feedback.zip")
    return folder / "results.json"


def _atomic(path: Path, data: bytes) -> None:
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(data)
    os.replace(partial, path)


ROSTER_IDS = ("student_id", "name", "email")  # a roster's id columns, in the gradebook first


def submission_status(result: dict) -> str:
    """graded; empty (no topic module found); rejected (the archive as a whole); grader error
    (the grader failed on some topic: regrade); missing is a roster's student with no result."""
    extra = result["extra_data"]
    if extra.get("rejected"):
        return "rejected"
    if extra.get("grader_error"):
        return "grader error"
    states = [summary["state"] for summary in extra["topics"].values()]
    return "empty" if states and all(state == "missing" for state in states) else "graded"


def read_roster(path: Path) -> list[dict[str, str]]:
    """A roster CSV: a `student_id` and a `submission` column (the submission's file or folder
    name in the graded folder), optionally `name` and `email`; one row per student."""
    with Path(path).open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    columns = set(rows[0]) if rows else set()
    lacking = {"student_id", "submission"} - columns
    if lacking:
        raise ValueError(f"{path}: the roster needs the column(s) {', '.join(sorted(lacking))} "
                         f"(it has {', '.join(sorted(columns)) or 'none'})")
    ids = [row["student_id"] for row in rows]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise ValueError(f"{path}: student_id {', '.join(twice)} appears more than once")
    return rows


def write_gradebook(results: list[dict], path: Path,
                    roster: list[dict[str, str]] | None = None) -> None:
    """One row per submission from its results.json (graded here or in a container), or, with a
    roster, one per student in the roster's order (their id columns first; a student whose
    submission was not found is "missing"): a column per topic, the total, the maximum, the
    percentage of that maximum (of the checks that ran on this host), a status
    (`submission_status`, or missing) and notes."""
    graded = {name for result in results for name in result["extra_data"]["topics"]}
    topics = [t for t in TOPICS.values() if t.name in graded]
    ids = [c for c in ROSTER_IDS if roster and c in roster[0]]
    header = [*ids, "submission", *[f"{t.number} {t.name}" for t in topics], "total",
              "max_score", "percentage (of the checks run)", "status", "notes"]
    by_name = {r["extra_data"]["submission"]: r for r in results}
    rows = [(row, by_name.get(row["submission"])) for row in roster] if roster else \
        [({"submission": name}, by_name[name]) for name in sorted(by_name)]
    partial = path.with_name(f".{path.name}.partial")
    with partial.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for student, result in rows:
            front = [*(student.get(c, "") for c in ids), student["submission"]]
            if result is None:
                writer.writerow([*front, *[""] * len(topics), "", "", "", "missing",
                                 "no submission of this name was found"])
                continue
            extra = result["extra_data"]
            by_topic = extra["topics"]
            notes = extra["rejected"] or "; ".join(
                f"{name}: {summary['state']}" for name, summary in by_topic.items()
                if summary["state"] != "graded")
            percentage = 100 * result["score"] / result["max_score"] if result["max_score"] \
                else 0.0
            writer.writerow([*front,
                             *[f"{by_topic.get(t.name, {'score': 0.0})['score']:.2f}"
                               for t in topics],
                             f"{result['score']:.2f}", f"{result['max_score']:.2f}",
                             f"{percentage:.2f}", submission_status(result), notes])
    os.replace(partial, path)
