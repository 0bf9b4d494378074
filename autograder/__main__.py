"""`python -m autograder COMMAND`: the instructor's and grader's entry point.

    grade     SUBMISSION --out DIR          grade a .zip or folder: results.json, feedback.md
    grade-all FOLDER --out DIR [--workers N] every submission in FOLDER, then gradebook.csv
    demo     [--out DIR]          build the sample submissions, grade them all, print the gradebook
    verify   [--topic T ...]     reference full marks, stubs zero, every mutant caught, in local
                                 and graded mode, with the same verdict for every check
    measure  [--topic T ...]     the reference's error on every tolerance-based check
    stubs    [--check]           regenerate exercises/ from solutions/ (or check they match)
    list     [--topic T ...]     the checks, their visibility, points and tolerance
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograder.config import DEFAULT_CONFIG, ConfigError, load_config
from autograder.errors import HarnessError
from autograder.runtime.outcome import cuda_available
from autograder.topics import select


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG,
                        help=f"grading configuration (default: {DEFAULT_CONFIG.name})")
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("verify", "measure", "list"):
        sub = commands.add_parser(name)
        sub.add_argument("--topic", action="append", help="a topic name (repeatable; default all)")
    grade = commands.add_parser("grade", help="grade one submission in the sandbox")
    grade.add_argument("submission", type=Path, help="a .zip or a folder of topic modules")
    grade.add_argument("--out", type=Path, required=True, help="folder for results.json etc.")
    grade.add_argument("--topic", action="append", help="grade only this topic (repeatable)")
    grade_all = commands.add_parser("grade-all", help="grade every submission in a folder")
    grade_all.add_argument("folder", type=Path, help="a folder of .zip files and/or folders")
    grade_all.add_argument("--out", type=Path, required=True, help="folder for the gradebook "
                           "and one folder of results per submission")
    grade_all.add_argument("--workers", type=int, default=1, help="submissions graded at once")
    grade_all.add_argument("--topic", action="append", help="grade only this topic (repeatable)")
    demo = commands.add_parser("demo", help="grade the bundled sample submissions")
    demo.add_argument("--out", type=Path, default=None, help="default: demo-output/")
    demo.add_argument("--workers", type=int, default=2)
    commands.add_parser("stubs").add_argument("--check", action="store_true",
                                              help="only report stubs that are out of date")
    args = parser.parse_args(argv)
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

    if not args.submission.exists():
        print(f"error: {args.submission}: no such file or folder", file=sys.stderr)
        return 2
    with Grader(config, select(args.topic)) as grader:
        _print_protections(grader)
        result = grader.grade(args.submission, args.out)
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
    if args.workers < 1:
        print("error: --workers must be at least 1", file=sys.stderr)
        return 2
    with Grader(config, select(args.topic), workers=args.workers) as grader:
        _print_protections(grader)
        results = grader.grade_all(args.folder, args.out)
    print(f"graded {len(results)} submission(s); gradebook: {args.out / 'gradebook.csv'}")
    print((args.out / "gradebook.csv").read_text(), end="")
    _warn_gpu_not_run(results)
    return 0


def _demo(args, config) -> int:
    import shutil

    from autograder.demo import DEFAULT_OUT, build_samples
    from autograder.grade import Grader

    out = args.out or DEFAULT_OUT
    shutil.rmtree(out / "graded", ignore_errors=True)
    shutil.rmtree(out / "samples", ignore_errors=True)
    samples = build_samples(out / "samples")
    print(f"built {len(samples)} sample submissions in {out / 'samples'}")
    with Grader(config, workers=args.workers) as grader:
        _print_protections(grader)
        grader.grade_all(out / "samples", out / "graded")
    print(f"\ngradebook ({out / 'graded' / 'gradebook.csv'}; each submission's feedback.md, "
          f"results.json and feedback.zip are in {out / 'graded'}/<name>/):\n")
    print((out / "graded" / "gradebook.csv").read_text(), end="")
    return 0


def _print_protections(grader) -> None:
    print("grading sandbox protections on this machine:")
    print("\n".join(grader.protection_lines()))


def _verify(args, config) -> int:
    from autograder.sandbox.protections import Protections
    from autograder.verify import print_report, reference_facts, verify_topic

    print("graded mode runs in the sandbox; its protections on this machine:")
    print("\n".join(Protections.detect().report()))
    ok = True
    for topic in select(args.topic):
        rows, stub_lines = verify_topic(topic, config)
        ok &= print_report(topic, rows, stub_lines)
        for fact in reference_facts(topic):
            print(f"reference: {fact}")
    print("\nverify: " + ("all expectations hold" if ok else "MISSED expectations (see MISS rows)"))
    return 0 if ok else 1


def _measure(args, config) -> int:
    from autograder.measure import print_measurements

    print_measurements(select(args.topic))
    return 0


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


COMMANDS = {"demo": _demo, "grade": _grade, "grade-all": _grade_all, "verify": _verify,
            "measure": _measure, "stubs": _stubs, "list": _list}

if __name__ == "__main__":
    sys.exit(main())
