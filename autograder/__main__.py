"""`python -m autograder COMMAND`: the instructor's and grader's entry point.

    verify   [--topic T ...]     reference full marks, stubs zero, every mutant caught (local mode)
    measure  [--topic T ...]     the reference's error on every tolerance-based check
    stubs    [--check]           regenerate exercises/ from solutions/ (or check they match)
    list     [--topic T ...]     the checks, their visibility, points and tolerance
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograder.config import DEFAULT_CONFIG, ConfigError, load_config
from autograder.local import cuda_available
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
    commands.add_parser("stubs").add_argument("--check", action="store_true",
                                              help="only report stubs that are out of date")
    args = parser.parse_args(argv)
    try:
        config = load_config(args.config)
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if config.require_gpu and args.command == "verify" and not cuda_available():
        print(f"error: {args.config} sets require_gpu = true, but this machine has no CUDA "
              "device: refusing rather than skipping the GPU checks", file=sys.stderr)
        return 2
    return COMMANDS[args.command](args, config)


def _verify(args, config) -> int:
    from autograder.verify import print_report, verify_topic

    ok = True
    for topic in select(args.topic):
        rows, stub_lines = verify_topic(topic, config)
        ok &= print_report(topic, rows, stub_lines)
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


COMMANDS = {"verify": _verify, "measure": _measure, "stubs": _stubs, "list": _list}

if __name__ == "__main__":
    sys.exit(main())
