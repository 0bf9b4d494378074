"""`python -m autograder COMMAND`: the instructor's and grader's entry point.

    grade     SUBMISSION --out DIR [--workers N]  grade a .zip or folder: results.json,
                                 feedback.md (N topics at once, default 2)
    grade-all FOLDER --out DIR [--workers N] every submission in FOLDER, then gradebook.csv
             [--resume]          keep what this pack already graded in DIR (after an interruption)
    report   GRADED_DIR [--previous DIR]  the instructor's report: scores per topic, the
                                 hardest checks, regrades (report/report.md with PNGs)
    demo     [--out DIR]          build the sample submissions, grade them all, print the gradebook
    verify   [--topic T ...]     reference full marks, stubs zero, every mutant caught, in local
                                 and graded mode, with the same verdict for every check
    measure  [--topic T ...]     the reference's error on every tolerance-based check; writes
                                 the tolerance ledger, docs/tolerances.md
    mutate   [--topic T ...] [--workers N]  mutation testing: mutmut's mutants of each reference
                                 judged by the checks; writes docs/mutation/<topic>.md
             [--survivors]       only the report's survivors again, report left as it is
    stubs    [--check]           regenerate exercises/ from solutions/ (or check they match)
    list     [--topic T ...]     the checks, their visibility, points and tolerance
    contracts [--topic T ...]    each graded function's contract kinds, the checks of each, and
                                 what the contract rule finds missing
    new-topic MODULE --title T --number 5-11   scaffold a new topic (see CONTRIBUTING.md)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from autograder.config import DEFAULT_CONFIG, ConfigError, load_config
from autograder.course import select
from autograder.errors import HarnessError
from autograder.runtime.outcome import cuda_available


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG,
                        help=f"grading configuration (default: {DEFAULT_CONFIG.name})")
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("verify", "measure", "list", "contracts"):
        sub = commands.add_parser(name)
        sub.add_argument("--topic", action="append", help="a topic name (repeatable; default all)")
        if name == "measure":
            ledger = sub.add_mutually_exclusive_group()
            ledger.add_argument("--ledger", type=Path, default=None,
                                help="where to write the tolerance ledger (default: "
                                "docs/tolerances.md)")
            ledger.add_argument("--no-ledger", action="store_true",
                                help="print the measurements only")
    grade = commands.add_parser("grade", help="grade one submission in the sandbox")
    grade.add_argument("submission", type=Path, help="a .zip or a folder of topic modules")
    grade.add_argument("--out", type=Path, required=True, help="folder for results.json etc.")
    grade.add_argument("--topic", action="append", help="grade only this topic (repeatable)")
    grade.add_argument("--workers", type=int, default=min(2, len(os.sched_getaffinity(0))),
                       help="topics graded at once, each in its own sandbox (default: 2 on a "
                            "machine with 2 cores or more)")
    grade.add_argument("--submitted-at", metavar="TIME",
                       help="when it was submitted, ISO 8601 with its UTC offset, for the late "
                            "policy (default: the file's modification time)")
    grade.add_argument("--name", help="the submission's name in its feedback (default: the "
                                      "file or folder name)")
    grade.add_argument("--gradescope", type=Path, metavar="FILE",
                       help="also write Gradescope's results.json there (the otter zip's route)")
    grade_all = commands.add_parser("grade-all", help="grade every submission in a folder")
    grade_all.add_argument("folder", type=Path, help="a folder of .zip files and/or folders")
    grade_all.add_argument("--out", type=Path, required=True, help="folder for the gradebook "
                           "and one folder of results per submission")
    grade_all.add_argument("--workers", type=int, default=1, help="submissions graded at once")
    grade_all.add_argument("--topic", action="append", help="grade only this topic (repeatable)")
    grade_all.add_argument("--roster", type=Path,
                           help="CSV with student_id and submission (file or folder name in "
                                "FOLDER), optionally name and email: a gradebook row per student")
    grade_all.add_argument("--resume", action="store_true",
                           help="keep the submissions in --out that this pack (checks, "
                                "references, configuration) already graded; grade the rest")
    report = commands.add_parser("report", help="the instructor's report of a graded cohort")
    report.add_argument("graded", type=Path, help="grade-all's --out folder")
    report.add_argument("--previous", type=Path, default=None,
                        help="an earlier grading of the cohort: list what changed (regrades)")
    demo = commands.add_parser("demo", help="grade the bundled sample submissions")
    demo.add_argument("--out", type=Path, default=None, help="default: demo-output/")
    demo.add_argument("--workers", type=int, default=2)
    mutate = commands.add_parser("mutate", help="judge the reference's mechanical mutants")
    mutate.add_argument("--topic", action="append", help="a topic name (repeatable; default all)")
    mutate.add_argument("--workers", type=int, default=2, help="mutants judged at once")
    mutate.add_argument("--survivors", action="store_true",
                        help="judge again only the survivors the topic's report lists, print "
                             "each verdict and leave the report as it is (while writing checks)")
    commands.add_parser("stubs").add_argument("--check", action="store_true",
                                              help="only report stubs that are out of date")
    new_topic = commands.add_parser("new-topic", help="scaffold a new topic: every file it "
                                    "needs, with one placeholder function (CONTRIBUTING.md)")
    new_topic.add_argument("module", help="the module's name, lower_case (the submitted file)")
    new_topic.add_argument("--title", required=True, help="one line: what the topic teaches")
    new_topic.add_argument("--number", required=True, help="the topic's number, like 5-11")
    args = parser.parse_args(argv)
    if getattr(args, "workers", 1) < 1:
        print("error: --workers must be at least 1", file=sys.stderr)
        return 2
    args.slots = None
    if args.command in SANDBOXED:
        from autograder.sandbox.slots import Slots

        if args.command == "grade":  # no more sandboxes than topics
            args.workers = min(args.workers, len(select(args.topic)))
        # Started first: their fork servers import torch while the checks load below.
        args.slots = Slots(args.workers)
    try:
        return _run(args)
    finally:
        if args.slots is not None:
            args.slots.close()


SANDBOXED = ("grade", "grade-all", "demo")  # the commands that grade in worker slots


def _run(args) -> int:
    try:
        config = load_config(args.config)
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if config.require_gpu and args.command in ("verify", "grade", "grade-all", "demo") \
            and not cuda_available():
        print(f"error: {args.config} sets require_gpu = true, but this machine has no CUDA "
              "device: refusing rather than skipping the GPU checks", file=sys.stderr)
        return 2
    try:
        return COMMANDS[args.command](args, config)
    except HarnessError as error:
        print(f"error: the grader itself failed, no score was recorded: {error}",
              file=sys.stderr)
        return 2


def _grade(args, config) -> int:
    from autograder.grade import Grader
    from autograder.progress import Progress

    if not args.submission.exists():
        print(f"error: {args.submission}: no such file or folder", file=sys.stderr)
        return 2
    submitted = None
    if args.submitted_at:
        from autograder.report import parse_time

        try:
            # On the otter route (--gradescope) the time is Gradescope's own.
            submitted = (parse_time(args.submitted_at), "Gradescope" if args.gradescope
                         else "--submitted-at")
        except ValueError as error:
            print(f"error: --submitted-at: {error}", file=sys.stderr)
            return 2
    with Grader(config, select(args.topic), workers=args.workers, slots=args.slots,
                topics_at_once=True) as grader:
        _print_protections(grader)
        sources = sorted(set(grader.expected_from.values()))
        print(f"expected data: {', '.join(sources)} ({len(grader.expected_from)} topics)")
        with Progress(len(grader.topics), "graded topic", "topic") as progress:
            result = grader.grade(args.submission, args.out, args.name, submitted, progress)
        if args.gradescope:
            from autograder.report import gradescope_results

            args.gradescope.write_text(json.dumps(gradescope_results(
                result, config, grader.protection_lines(), grader.pack), indent=2))
    earned, possible = result.score()
    print(f"{result.name}: {earned:.2f} / {possible:.2f}; results in {args.out / 'results.json'}"
          f", feedback in {args.out / 'feedback.md'}")
    _warn_gpu_not_run([result])
    return 0


def _warn_gpu_not_run(results) -> None:
    from autograder.report import gpu_checks_not_run

    counts = {gpu_checks_not_run(r) for r in results} - {0}
    if counts:
        print(f"WARNING: {max(counts)} checks per submission need CUDA and were NOT RUN (no CUDA "
              "device here); set require_gpu = true to refuse instead", file=sys.stderr)


def _grade_all(args, config) -> int:
    from autograder.grade import Grader

    if not args.folder.is_dir():
        print(f"error: {args.folder}: not a folder", file=sys.stderr)
        return 2
    from autograder.report import read_roster

    try:
        roster = read_roster(args.roster) if args.roster else None
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        with Grader(config, select(args.topic), workers=args.workers,
                    slots=args.slots) as grader:
            _print_protections(grader)
            results = grader.grade_all(args.folder, args.out, resume=args.resume,
                                       roster=roster)
    except KeyboardInterrupt:
        print(f"interrupted: every submission graded so far is kept in {args.out}; run the "
              "same command with --resume to grade the rest", file=sys.stderr)
        return 130
    print(f"graded {len(results)} submission(s); gradebook: {args.out / 'gradebook.csv'}")
    print((args.out / "gradebook.csv").read_text(), end="")
    _warn_gpu_not_run(results)
    return 0


def _demo(args, config) -> int:
    import shutil

    from autograder import cohort_report
    from autograder.demo import DEFAULT_OUT, build_samples, write_roster
    from autograder.grade import Grader
    from autograder.report import read_roster

    out = args.out or DEFAULT_OUT
    shutil.rmtree(out / "graded", ignore_errors=True)
    shutil.rmtree(out / "samples", ignore_errors=True)
    samples = build_samples(out / "samples")
    roster = write_roster(samples, out / "roster.csv")
    print(f"built {len(samples)} sample submissions in {out / 'samples'}, their roster {roster}")
    with Grader(config, workers=args.workers, slots=args.slots) as grader:
        _print_protections(grader)
        grader.grade_all(out / "samples", out / "graded", roster=read_roster(roster))
    report = cohort_report.write(out / "graded")
    print(f"\ngradebook ({out / 'graded' / 'gradebook.csv'}, a row per student of the roster; "
          f"each submission's feedback.md, results.json and feedback.zip are in "
          f"{out / 'graded'}/<name>/; the instructor's report: {report}):\n")
    print((out / "graded" / "gradebook.csv").read_text(), end="")
    return 0


def _print_protections(grader) -> None:
    print("grading sandbox protections on this machine:")
    print("\n".join(grader.protection_lines()))


def _verify(args, config) -> int:
    from autograder.progress import Progress
    from autograder.sandbox.protections import Protections
    from autograder.verify import print_report, reference_facts, verify_topic

    print("graded mode runs in the sandbox; its protections on this machine:")
    print("\n".join(Protections.detect().report()))
    ok = True
    topics = select(args.topic)
    with Progress(len(topics), "verified topic", "topic") as progress:
        for topic in topics:
            started = time.monotonic()
            rows, stub_lines = verify_topic(topic, config)
            held = print_report(topic, rows, stub_lines)
            ok &= held
            for fact in reference_facts(topic):
                print(f"reference: {fact}")
            sys.stdout.flush()  # the report before the progress line on stderr
            progress.done(f"{topic.name} {'all expectations hold' if held else 'MISSED'} in "
                          f"{time.monotonic() - started:.0f} s")
    print("\nverify: " + ("all expectations hold" if ok else "MISSED expectations (see MISS rows)"))
    return 0 if ok else 1


def _measure(args, config) -> int:
    from autograder.measure import LEDGER, run

    ledger = None if args.no_ledger else (args.ledger or LEDGER)
    run(select(args.topic), config, ledger)
    if ledger is not None:
        print(f"tolerance ledger written: {ledger}", file=sys.stderr)
    return 0


def _mutate(args, config) -> int:
    from autograder.mutation import report

    if args.survivors:
        return max(_recheck(topic, config, args.workers) for topic in select(args.topic))
    below = [topic.name for topic in select(args.topic)
             if _mutate_topic(topic, config, args.workers).rate < report.TARGET]
    if below:
        print(f"below the {100 * report.TARGET:.0f} % target: {', '.join(below)}")
    return 1 if below else 0


def _mutate_topic(topic, config, workers: int):
    import time

    from tqdm import tqdm

    from autograder.mutation import report, survivors
    from autograder.mutation.generate import generate
    from autograder.mutation.run import Judge
    from data.progress import progress_bar

    tqdm.monitor_interval = 0  # no monitor thread: the judge forks while the bar is up
    started = time.monotonic()
    judge, mutants = Judge(topic, config), generate(topic)

    finished = []  # a disabled bar (no terminal) does not count

    def judged(verdict) -> None:
        bar.update(1)
        finished.append(verdict)
        tenth = max(1, len(mutants) // 10)
        if bar.disable and (len(finished) % tenth == 0 or len(finished) == len(mutants)):
            print(f"{topic.name}: {len(finished)}/{len(mutants)} mutants judged",
                  file=sys.stderr, flush=True)  # a log gets a line every tenth

    with progress_bar(desc=f"{topic.name}: mutants", unit="mutant", total=len(mutants)) as bar:
        verdicts = judge.judge(mutants, workers, judged)
    figures = report.write(topic, mutants, verdicts, time.monotonic() - started, workers)
    committed, by_id = survivors.load(topic), {m.id: m for m in mutants}
    new = [by_id[v.id] for v in verdicts
           if not v.killed and survivors.label(by_id[v.id]) not in committed]
    print(f"{topic.number} {topic.name}: {figures.killed}/{figures.generated} killed, "
          f"{figures.excluded} equivalent or message-only, kill rate {100 * figures.rate:.1f} % "
          f"({time.monotonic() - started:.0f} s); report: docs/mutation/{topic.name}.md")
    if new:
        print(f"  {len(new)} survivor(s) with no verdict: kill them with a check, or give "
              f"them one in autograder/topics/{topic.name}/hidden/mutants/survivors.toml:")
        print("\n".join(survivors.toml_line(m) for m in new))
    return figures


def _recheck(topic, config, workers: int) -> int:
    """The report's survivors judged again: 1 when one still has neither a killer nor a verdict."""
    from autograder.mutation import report, survivors
    from autograder.mutation.generate import generate
    from autograder.mutation.run import Judge

    listed = report.survivor_ids(topic)
    mutants = [m for m in generate(topic) if m.id in listed]
    committed, by_id, open_ = survivors.load(topic), {m.id: m for m in mutants}, 0
    for verdict in sorted(Judge(topic, config).judge(mutants, workers), key=lambda v: v.id):
        label = survivors.label(by_id[verdict.id])
        known = committed.get(label)
        if verdict.killed:
            note = f"killed by {verdict.by}" + (" (remove its verdict)" if known else "")
        else:
            note = f"survives: {known.kind}" if known else "survives with no verdict"
            open_ += known is None
        print(f"{label}\n    {note}")
    print(f"{topic.name}: {len(mutants)} survivor(s) of the report judged again, {open_} open; "
          f"`make mutate TOPIC={topic.name}` rewrites the report")
    return 1 if open_ else 0


def _stubs(args, config) -> int:
    from autograder.impl import EXERCISES, SOLUTIONS
    from autograder.stubgen import write_stubs

    stale = write_stubs(SOLUTIONS, EXERCISES, select(None), check=args.check)
    for path in stale:
        print(f"{'out of date' if args.check else 'wrote'}: {path}")
    if args.check and stale:
        print("run `python -m autograder stubs` to regenerate them from solutions/")
        return 1
    return 0


def _list(args, config) -> int:
    for topic in select(args.topic):
        print(f"{topic.number} {topic.name}")
        for check in config.checks(topic):
            tolerance = check.tolerance.describe() if check.tolerance else "property"
            gpu = " [CUDA]" if check.needs_gpu else ""
            print(f"  {check.visibility:6} {check.points:6.2f}  {check.name}{gpu}  ({tolerance})")
    return 0


def _contracts(args, config) -> int:
    from autograder import contracts
    from autograder.runtime.check import CONTRACT_KINDS

    print("| function | " + " | ".join(CONTRACT_KINDS) + " |")
    print("|---|" + "---:|" * len(CONTRACT_KINDS))
    found = []
    for topic in select(args.topic):
        print("\n".join(contracts.table(topic)))
        found += [f"{topic.name}: {problem}" for problem in contracts.problems(topic, config)]
    print("\n(a number: the checks of that kind; n/a: NOT_APPLICABLE says why; empty: the kind "
          "does not apply)")
    for problem in found:
        print(f"  missing: {problem}")
    return 1 if found else 0


def _new_topic(args, config) -> int:
    from autograder.scaffold import main as scaffold

    return scaffold(args.module, args.title, args.number)


def _report(args, config) -> int:
    from autograder import cohort_report

    try:
        path = cohort_report.write(args.graded, args.previous)
    except (OSError, ValueError, KeyError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"report: {path} (plots beside it)")
    return 0


COMMANDS = {"demo": _demo, "grade": _grade, "grade-all": _grade_all, "verify": _verify,
            "measure": _measure, "mutate": _mutate, "stubs": _stubs, "list": _list,
            "contracts": _contracts, "new-topic": _new_topic, "report": _report}

if __name__ == "__main__":
    sys.exit(main())
