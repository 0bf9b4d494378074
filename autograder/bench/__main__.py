"""`python -m autograder.bench`: see the package's docstring."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograder.bench import DEFAULT_OUT, PARTS, Settings, run
from autograder.course import select


def main(argv: list[str] | None = None) -> int:
    import autograder.bench

    parser = argparse.ArgumentParser(prog="python -m autograder.bench",
                                     description=autograder.bench.__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="1 repetition, a small cohort, short timing loops: a fast look")
    parser.add_argument("--only", default=",".join(PARTS),
                        help=f"comma-separated parts to run (default: all of {','.join(PARTS)})")
    parser.add_argument("--topic", action="append", default=[],
                        help="restrict the public and modes parts to this topic (repeatable)")
    parser.add_argument("--reps", type=int, default=3, help="repetitions (default 3)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="folder for results.json (default: bench/)")
    args = parser.parse_args(argv)
    parts = [part.strip() for part in args.only.split(",") if part.strip()]
    unknown = [part for part in parts if part not in PARTS]
    if unknown or not parts:
        parser.error(f"unknown part {', '.join(unknown) or '(none)'}; parts are {', '.join(PARTS)}")
    select(args.topic)  # an unknown topic is an error naming the topics
    reps = 1 if args.quick else args.reps
    if reps < 1:
        parser.error("--reps must be at least 1")
    return run(parts, Settings(reps, args.quick, tuple(args.topic)), args.out)


if __name__ == "__main__":
    sys.exit(main())
