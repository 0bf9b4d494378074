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
import datetime
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
    submitted_at: datetime.datetime | None = None  # for the late policy
    submitted_from: str = ""  # where that time came from: Gradescope, the roster, the file

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


def late_summary(result: SubmissionResult, config: GradingConfig) -> dict:
    """When the submission came and what the late policy takes: the score before it, the days
    late and the fraction lost (0 without a deadline)."""
    earned, _ = result.score()
    penalty = config.late.penalty(result.submitted_at)
    return {"submitted_at": result.submitted_at.isoformat() if result.submitted_at else "",
            "submitted_from": result.submitted_from,
            "due": config.late.due.isoformat() if config.late.due else "",
            "days_late": config.late.days_late(result.submitted_at), "penalty": penalty,
            "score_before_penalty": round(earned, 4), "score": round(earned * (1 - penalty), 4)}


def results_json(result: SubmissionResult, config: GradingConfig,
                 protections: list[str], pack: str = "") -> dict:
    late = late_summary(result, config)
    _, possible = result.score()
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
        "score": late["score"],
        "max_score": round(possible, 4),
        "execution_time": round(result.seconds, 2),
        "output": summary_text(result, late),
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
            "late": late,
            "pack": pack,  # the Grader's digest of checks, references and configuration
        },
    }


def gradescope_results(result: SubmissionResult, config: GradingConfig,
                       protections: list[str], pack: str = "") -> dict:
    """What Gradescope reads from the otter zip's run (results/results.json): the score of
    `results_json`, feedback.md as the submission's text, then per topic a row with its score
    (always visible) followed by its checks' rows, or one row per function and visibility where
    `[feedback] gradescope_rows = "function"` (a hidden check's row never joins a public one, so
    each keeps the visibility configured for it)."""
    data = results_json(result, config, protections, pack)
    rows_by_topic: dict[str, list[dict]] = {}
    for row in data["tests"]:
        rows_by_topic.setdefault(row["tags"][0], []).append(row)
    tests = []
    for topic in result.topics:
        earned, possible = result.topic_score(topic)
        summary = _topic_summary(result, topic)
        tests.append({"name": f"{topic.topic.number} {topic.topic.name}: topic score",
                      "score": round(earned, 4), "max_score": round(possible, 4),
                      "status": "passed" if earned >= possible else "failed",
                      "visibility": "visible", "output": f"{earned:.2f} / {possible:.2f} "
                      f"({summary['state']}); the checks follow, feedback.md above says more",
                      "tags": [topic.topic.name, "topic"]})
        rows = rows_by_topic.get(topic.topic.name, [])
        tests += _function_rows(topic, rows) if config.feedback.gradescope_rows == "function" \
            else rows
    return {**data, "output": feedback_markdown(result, config), "output_format": "md",
            "tests": tests}


def _function_rows(topic: TopicResult, rows: list[dict]) -> list[dict]:
    grouped: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        grouped.setdefault((row["tags"][1], row["tags"][2]), []).append(row)
    return [{"name": f"{topic.topic.number} {topic.topic.name}.{function} ({visibility} checks)",
             "score": round(sum(r["score"] for r in group), 4),
             "max_score": round(sum(r["max_score"] for r in group), 4),
             "status": "passed" if all(r["status"] == "passed" for r in group) else "failed",
             "visibility": group[0]["visibility"],
             "output": "\n".join(r["output"] for r in group),
             "tags": [topic.topic.name, function, visibility]}
            for (function, visibility), group in grouped.items()]


def _topic_summary(result: SubmissionResult, topic: TopicResult) -> dict:
    earned, possible = result.topic_score(topic)
    state = ("grader error: regrade" if topic.grader_error else "missing" if topic.missing
             else "refused" if topic.refused else "tampered" if topic.tampered
             else "import error" if topic.load_error
             else "stopped early" if topic.notes else "graded")
    not_run = sum(o.status is Status.NOT_RUN for o in topic.outcomes)
    cuda = [o for o in topic.outcomes if o.check.needs_gpu]
    cuda_earned, cuda_possible = score(cuda)
    return {"score": round(earned, 4), "max_score": round(possible, 4), "state": state,
            "checks_not_run": not_run, "cuda_checks": len(cuda),
            "cuda_run": any(o.status is not Status.NOT_RUN for o in cuda),
            "cuda_score": round(cuda_earned, 4), "cuda_max": round(cuda_possible, 4)}


def late_line(late: dict) -> str:
    """What the late policy did, in a sentence ("" when the submission was on time)."""
    if not late["days_late"]:
        return ""
    return (f"Submitted {late['submitted_at']} ({late['submitted_from']}), {late['days_late']} "
            f"day(s) after the deadline {late['due']}: {100 * late['penalty']:.0f}% of the score "
            f"({late['score_before_penalty']:.2f}) deducted by the late policy")


def summary_text(result: SubmissionResult, late: dict) -> str:
    _, possible = result.score()
    lines = [f"Score {late['score']:.2f} / {possible:.2f}"]
    if late_line(late):
        lines.append(late_line(late))
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
    late = late_summary(result, config)
    _, possible = result.score()
    out = [f"# Feedback for {result.name}", "", f"**Score: {late['score']:.2f} / {possible:.2f}**",
           ""]
    if late_line(late):
        out += [late_line(late), ""]
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
        not_run = [o for o in topic.outcomes if o.status is Status.NOT_RUN]
        passed = sum(o.passed for o in topic.outcomes)
        out += [f"{passed} of {len(topic.outcomes) - len(not_run)} checks passed"
                + (" (of those that ran)." if not_run else "."), ""]
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
    name in the graded folder), optionally `name`, `email` and `submitted_at` (ISO 8601 with its
    UTC offset: the late policy's time, instead of the file's); one row per student."""
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
    for line, row in enumerate(rows, start=2):
        try:
            if row.get("submitted_at"):
                parse_time(row["submitted_at"])
        except ValueError as error:
            raise ValueError(f"{path} line {line}: submitted_at: {error}") from None
    return rows


def parse_time(text: str) -> datetime.datetime:
    """An ISO 8601 time with its UTC offset (a roster's `submitted_at`, `--submitted-at`,
    Gradescope's `created_at`)."""
    when = datetime.datetime.fromisoformat(text.strip())
    if when.tzinfo is None:
        raise ValueError(f"{text!r} has no UTC offset (e.g. {text.strip()}+01:00)")
    return when


GRADEBOOK_TAIL = ("cuda checks (score / max)", "total without cuda", "late penalty (%)", "total",
                  "max_score", "percentage (of the checks run)", "submitted_at", "days_late",
                  "status", "notes")


def write_gradebook(results: list[dict], path: Path,
                    roster: list[dict[str, str]] | None = None) -> None:
    """One row per submission from its results.json (graded here or in a container), or, with a
    roster, one per student in the roster's order (their id columns first; a student whose
    submission was not found is "missing"): a column per topic; the CUDA checks' own points
    ("not run" on a host without CUDA) and the total without them, which every host gives alike;
    the late policy's deduction; the total after it, the maximum, the percentage of that
    maximum (of the checks that ran on this host); when it was submitted and how many days
    late; a status (`submission_status`, or missing) and notes."""
    graded = {name for result in results for name in result["extra_data"]["topics"]}
    topics = [t for t in TOPICS.values() if t.name in graded]
    ids = [c for c in ROSTER_IDS if roster and c in roster[0]]
    header = [*ids, "submission", *[f"{t.number} {t.name}" for t in topics], *GRADEBOOK_TAIL]
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
                writer.writerow([*front, *[""] * (len(topics) + len(GRADEBOOK_TAIL) - 2),
                                 "missing", "no submission of this name was found"])
                continue
            by_topic = result["extra_data"]["topics"]
            writer.writerow([*front, *[f"{by_topic.get(t.name, {'score': 0.0})['score']:.2f}"
                                       for t in topics], *_gradebook_tail(result)])
    os.replace(partial, path)


def _gradebook_tail(result: dict) -> list[str]:
    extra = result["extra_data"]
    by_topic = extra["topics"]
    notes = extra["rejected"] or "; ".join(
        f"{name}: {summary['state']}" for name, summary in by_topic.items()
        if summary["state"] != "graded")
    cuda = [s for s in by_topic.values() if s.get("cuda_checks")]
    cuda_run = [s for s in cuda if s["cuda_run"]]
    cuda_cell = "" if not cuda else "not run" if not cuda_run else \
        f"{sum(s['cuda_score'] for s in cuda_run):.2f} / {sum(s['cuda_max'] for s in cuda_run):.2f}"
    late = extra.get("late", {})
    before = late.get("score_before_penalty", result["score"])
    percentage = 100 * result["score"] / result["max_score"] if result["max_score"] else 0.0
    return [cuda_cell, f"{before - sum(s['cuda_score'] for s in cuda_run):.2f}",
            f"{100 * late.get('penalty', 0.0):.0f}", f"{result['score']:.2f}",
            f"{result['max_score']:.2f}", f"{percentage:.2f}", late.get("submitted_at", ""),
            str(late.get("days_late", "")), submission_status(result), notes]
