"""See the student's code at work: matplotlib figures per topic (`make figures`).

    python -m autograder.figures [--impl exercises|solutions|DIR] [--topic T] [--out figures]

Every figure is drawn from the chosen implementation of its topic (the student's own exercises/ by
default) and saved as <out>/<topic>/<name>.png. A figure that calls a function the student has not
implemented yet is not drawn, and one line says which function it needs; any other error raised by
the student's code is one line too (never a traceback), and the other figures are still drawn.
The exit status is 0 unless something other than a not-implemented function went wrong.

In a notebook, `show(topic, impl=...)` draws the same figures inline. The figures of a topic live
in autograder/topics/<topic>/figures.py, each a function registered with `@figure` (common.py).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import re
import signal
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType, TracebackType

import matplotlib.style
import numpy as np
from threadpoolctl import threadpool_limits

from autograder import impl
from autograder.course import ROOT, TOPICS, select
from autograder.figures.common import REGISTRY, STYLE, FigureSpec, png_bytes
from autograder.progress import Progress

NOT_IMPLEMENTED = "(not implemented yet)"
# The slowest reference figure takes about 3 s here: a figure still running after this is a student
# loop that will not end (or is far too slow), and the other figures are still drawn.
FIGURE_SECONDS = 60
_STUB_MESSAGE = re.compile(r"([\w.]+) is not implemented yet")


@dataclass(frozen=True)
class Drawn:
    """One figure's outcome: its PNG, or the one-line notice saying why it was not drawn."""
    spec: FigureSpec
    png: bytes | None
    notice: str | None = None


def specs(topic: str, names: list[str] | None = None) -> list[FigureSpec]:
    """The topic's registered figures (those named, when names are given)."""
    if topic not in TOPICS:
        raise ValueError(f"unknown topic {topic!r}; topics are: {', '.join(TOPICS)}")
    # A topic's figures register when its module (autograder/topics/<topic>/figures.py) is imported:
    # on first use, so drawing one topic does not import every other topic's libraries.
    importlib.import_module(f"autograder.topics.{topic}.figures")
    found = REGISTRY.get(topic, [])
    if names:
        unknown = sorted(set(names) - {s.name for s in found})
        if unknown:
            raise ValueError(f"{topic} has no figure {', '.join(unknown)}; its figures are: "
                             f"{', '.join(s.name for s in found)}")
        found = [s for s in found if s.name in names]
    return found


def implementation(impl_folder: str | Path) -> Path:
    """A folder as given if it exists here, else the repository's (`exercises`, `solutions`):
    a notebook runs in exercises/notebooks/ and names the folder as `make figures` does."""
    path = Path(impl_folder)
    return path if path.is_absolute() or path.exists() else ROOT / path


def student_module(topic: str, impl_folder: str | Path = "exercises") -> ModuleType:
    """Import the topic's module from an implementation folder (`exercises` by default), as the
    figures do."""
    return impl.load(implementation(impl_folder), TOPICS[topic])


def render(topic: str, impl_folder: str | Path, names: list[str] | None = None) -> list[Drawn]:
    """Draw the topic's figures (or those named) from the implementation in `impl_folder`."""
    figures = specs(topic, names)
    try:
        module = student_module(topic, impl_folder)
    except (impl.ImplementationError, SystemExit) as error:
        why = error if isinstance(error, impl.ImplementationError) else \
            f"importing {topic}.py exited (SystemExit {error.code!r})"
        return [Drawn(s, None, f"not drawn: {s.topic}/{s.name}: {why}") for s in figures]
    return [_render_one(spec, module) for spec in figures]


def _render_one(spec: FigureSpec, module: ModuleType) -> Drawn:
    where = f"not drawn: {spec.topic}/{spec.name}"
    missing = [n for n in spec.needs if not hasattr(module, n.split(".")[0])]
    if missing:
        return Drawn(spec, None, f"{where} needs {spec.topic}.{missing[0]}, which the module "
                                 "does not define")
    try:
        with contextlib.ExitStack() as stack:
            # One thread for NumPy's BLAS and torch: the problems are tiny, so threads only cost
            # (ten times over on a busy machine), and results do not depend on the core count.
            # Fixed seeds for the global generators (torch's seeds nn.Linear's default
            # initialisation), restored afterwards: the same figure every time, in any order.
            stack.enter_context(_time_limit(FIGURE_SECONDS))
            stack.enter_context(threadpool_limits(limits=1))
            stack.enter_context(matplotlib.style.context(["default", STYLE]))
            stack.callback(np.random.set_state, np.random.get_state())
            np.random.seed(0)
            torch = sys.modules.get("torch")  # imported by the topic if it uses torch at all
            if torch is not None:
                stack.callback(torch.set_num_threads, torch.get_num_threads())
                torch.set_num_threads(1)
                stack.enter_context(torch.random.fork_rng(devices=[]))
                torch.manual_seed(0)
            return Drawn(spec, png_bytes(spec.draw(module)))
    except NotImplementedError as error:
        function = _raised_in(error.__traceback__, module)
        if function is None:
            stub = _STUB_MESSAGE.search(str(error))
            function = stub.group(1) if stub else ", ".join(
                f"{spec.topic}.{n}" for n in spec.needs)
        return Drawn(spec, None, f"{where} needs {function} {NOT_IMPLEMENTED}")
    except (Exception, SystemExit) as error:  # the student's code must not end the run
        message = " ".join(str(error).split())
        message = message if len(message) <= 200 else message[:197] + "..."
        line = _student_line(error.__traceback__, module)
        return Drawn(spec, None, f"{where}: {type(error).__name__}: {message}{line}")


class FigureTimeout(Exception):
    pass


@contextlib.contextmanager
def _time_limit(seconds: float):
    """Raise FigureTimeout in the drawing code after `seconds` (main thread only: elsewhere, as in
    a worker thread, there is no limit)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise FigureTimeout(f"still running after {seconds:g} s: is a loop not ending?")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _student_frames(tb: TracebackType | None, module: ModuleType) -> list[TracebackType]:
    frames = []
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == module.__file__:
            frames.append(tb)
        tb = tb.tb_next
    return frames


def _raised_in(tb: TracebackType | None, module: ModuleType) -> str | None:
    """`topic.function` (a method as `topic.Class.method`) of the student's innermost frame:
    the stub that raised, even when the figure called another function that called it."""
    frames = _student_frames(tb, module)
    if not frames:
        return None
    return f"{Path(module.__file__).stem}.{frames[-1].tb_frame.f_code.co_qualname}"


def _student_line(tb: TracebackType | None, module: ModuleType) -> str:
    frames = _student_frames(tb, module)
    if not frames:
        return ""
    code = frames[-1].tb_frame.f_code
    return f" ({Path(module.__file__).name}, line {frames[-1].tb_lineno}, in {code.co_qualname})"


def draw(topic: str, impl_folder: str | Path, out: str | Path,
         names: list[str] | None = None) -> tuple[list[Path], list[str]]:
    """Write the topic's figures to <out>/<topic>/<name>.png; return (paths written, notices).
    A figure not drawn this time loses its old PNG: the folder shows the code as it is now."""
    written, notices = [], []
    for item in render(topic, impl_folder, names):
        path = Path(out) / topic / item.spec.name
        if item.png is None:
            path.unlink(missing_ok=True)
            notices.append(item.notice)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(item.png)
        written.append(path)
    return written, notices


def show(topic: str, name: str | None = None, impl: str | Path = "exercises") -> None:
    """Draw a topic's figures (or the one named) inline in a notebook; print the notices."""
    from IPython.display import Image, display

    for item in render(topic, impl, [name] if name else None):
        if item.png is None:
            print(item.notice)
        else:
            display(Image(data=item.png, format="png"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.figures", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--impl", default="exercises",
                        help="folder holding the topic modules: exercises (default), solutions "
                             "or any folder")
    parser.add_argument("--topic", action="append",
                        help="draw this topic's figures only (repeatable); default: every topic")
    parser.add_argument("--out", type=Path, default=Path("figures"),
                        help="folder the figures are written under (default: figures)")
    args = parser.parse_args(argv)
    topics = select(args.topic)
    folder = implementation(args.impl)
    if not folder.is_dir():
        parser.error(f"--impl {args.impl}: no such folder")
    drawn = missing = failed = 0
    with Progress(len(topics), "figures of topic", "topic") as progress:
        for topic in topics:
            start = time.perf_counter()
            written, notices = draw(topic.name, folder, args.out)
            seconds = time.perf_counter() - start
            for notice in notices:
                print(notice)
            progress.done(f"{topic.number} {topic.name}: {len(written)} of "
                          f"{len(written) + len(notices)} figures drawn in {seconds:.1f} s"
                          + (f" ({args.out / topic.name}/)" if written else ""))
            drawn += len(written)
            missing += sum(n.endswith(NOT_IMPLEMENTED) for n in notices)
            failed += sum(not n.endswith(NOT_IMPLEMENTED) for n in notices)
    print(f"{drawn} figures written under {args.out}/; {missing} wait for functions not "
          f"implemented yet" + (f"; {failed} failed (see the lines above)" if failed else ""))
    return 1 if failed else 0
