"""`check("losses.kl_div")` in a notebook cell: the public checks of one function (or
`check("losses")`: one topic) on your `exercises/`, with the messages `make check` prints.

    from autograder.notebook import check
    check("losses.kl_div")

Each call imports your module afresh, so an edit saved in the editor counts at the next call.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from autograder.course import ROOT, TOPICS


def check(target: str, impl: str | Path = "exercises") -> bool:
    """Run the public checks of `target` ("topic" or "topic.function", as in `make check
    FUNC=...`) against the modules in `impl` (a folder, relative to the repository); print each
    check's message; return True when every check passed."""
    topic, _, function = target.partition(".")
    if topic not in TOPICS:
        close = difflib.get_close_matches(topic, list(TOPICS), n=1)
        raise ValueError(f"unknown topic {topic!r}" + (f"; did you mean {close[0]}?" if close
                                                        else f"; topics: {', '.join(TOPICS)}"))
    folder = Path(impl) if Path(impl).is_absolute() else ROOT / impl
    arguments = [str(TOPICS[topic].check_file("public")), "--impl", str(folder), "--rootdir",
                 str(ROOT), "-p", "no:cacheprovider", "-q", "--no-header"]
    if function:
        arguments += ["--function", target]
    return pytest.main(arguments) == pytest.ExitCode.OK


def one_line_for_unwritten_functions() -> None:
    """In a notebook: a cell that reaches a function not written yet prints one line naming it
    ("not run: losses.kl_div is not implemented yet ...") instead of a traceback, as `make
    figures` does; any other error keeps its traceback. Outside IPython, nothing changes."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        shell.set_custom_exc((NotImplementedError,), _not_written)


def _not_written(shell, kind, error, traceback, tb_offset=None) -> None:
    print(f"not run: {error} (write it, run its check cell, then run this cell again)")
