"""Progress of a long run a person waits for (grade-all, demo, verify, figures, one submission on
the otter route), with an estimate of the time left.

Each finished item gets a line on stderr. On a terminal a tqdm bar below the lines shows the rate
and the time left; anywhere else (a log, CI, a container, Gradescope) each line ends with the
estimate, e.g.

    graded 3/7: partly_correct 512.40/948.71 in 9.8 s; about 39 s left

the estimate being the mean time per item so far times the items left.
"""

from __future__ import annotations

import os
import sys
import time

from data.progress import progress_bar


class Progress:
    def __init__(self, total: int, desc: str, unit: str, wanted: bool = True):
        self.total, self.desc, self.count = total, desc, 0
        self.started = time.monotonic()
        self.wanted = wanted
        terminal = sys.stderr.isatty() and not os.environ.get("CI")
        self.bar = progress_bar(total=total, desc=desc, unit=unit, wanted=wanted) \
            if terminal and wanted else None

    def done(self, line: str) -> None:
        """One more item finished; `line` says which and how it went."""
        self.count += 1
        if self.bar is not None:  # the line above the bar, which shows the time left
            self.bar.write(f"{self.desc} {self.count}/{self.total}: {line}", file=sys.stderr)
            self.bar.update(1)
        elif self.wanted:
            print(f"{self.desc} {self.count}/{self.total}: {line}; {self.left()}",
                  file=sys.stderr, flush=True)

    def left(self) -> str:
        remaining = self.total - self.count
        if remaining <= 0:
            return f"done in {time.monotonic() - self.started:.0f} s"
        each = (time.monotonic() - self.started) / self.count
        return f"about {each * remaining:.0f} s left"

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
