"""`python -m autograder.gpu_check`: prove the grader's GPU path on a machine with CUDA (issue 20),
in one run bounded by `--budget-s` (default 480 s).

What it proves, in this order; each step is time-boxed (a step that would overrun the budget is
reported as "SKIPPED: budget") and appended to the report as it ends, so a run killed from outside
still leaves a partial report:
  a. the environment: Python, torch, CUDA, the GPU, and which library versions differ from the
     pins in pyproject.toml;
  b. the protections the grading sandbox has on this machine (the grader's own report);
  c. the reference solutions graded in the sandbox with grading_config/production.toml
     (require_gpu = true): every check passes, the CUDA ones included; the wall time of the whole
     submission beside the CPU figure of docs/scaling.md;
  d. the stubs (exercises/) graded by the same grader: 0 on every topic;
  e. the CUDA checks in local mode, on the reference and on every mutant: each has the verdict of
     its CPU twin (the same check without the "-cuda" tag), and a mutant that names a CUDA check
     in CAUGHT_BY fails it;
  f. the red-team rows that need a GPU (r28 GPU hog, r31 stale GPU memory, any attack whose EXPECT
     says "needs_gpu"), run by pytest;
  g. the speed checks (`compare.at_most_slower`): the reference's time over the library's on the
     GPU, 3 repetitions, beside the allowed factor, and that of a loop over rows;
  h. a summary, PASS or FAIL per step; every figure also goes to gpu-check.json.
Steps c-d, e and g run in subprocesses of their own and f in pytest, each killed at the end of its
time box: nothing here can hang the run.

Run it from the repository root where a GPU is lent; jsonschema and its dependencies travel as
wheels (`bash autograder/gpu_wheels.sh` writes them to .whl/ before the machine is borrowed):

    python3 -m pip install -q --no-index --no-deps --target /tmp/site .whl/*.whl
    PYTHONPATH=/tmp/site:. python3 -m autograder.gpu_check --out "$OUT"

Writes into --out: gpu-check.txt (the report), gpu-check.json (the figures), gpu-check.log (the
steps' own output, tracebacks included), gpu-check-redteam.log (pytest's) and
reference-results.json (the reference's graded results). `--only e,g` runs some steps again (c and
d always run together). Exit status: 0 every step passed, 1 a step failed or was skipped, 2 there
is no CUDA device here (one line says so; nothing is written).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
NO_CUDA = ("gpu-check: no CUDA device on this machine; nothing to prove here (run it where a GPU "
           "is lent)")
REPORT, FIGURES, LOG = "gpu-check.txt", "gpu-check.json", "gpu-check.log"
REDTEAM_LOG, REFERENCE_RESULTS = "gpu-check-redteam.log", "reference-results.json"
# docs/scaling.md's "whole submission, graded in the sandbox" (measured on 1cd80f3, 2 cores, no
# GPU); used only if the line cannot be read from there.
CPU_FIGURE_S = 7.9
SPEED_REPEATS = 3
GRACE_S = 15.0  # a step past its time box gets SIGINT (its graders close their sandboxes)...
KILL_WAIT_S = 10.0  # ...then SIGKILL
GPU_ROWS = ("r28_gpu_hog", "r31_stale_gpu_memory")
PINNED = ("torch", "numpy", "torchvision", "scikit-learn", "matplotlib", "pytest", "tqdm",
          "jsonschema", "otter-grader", "ipykernel")
NOT_NEEDED = {"otter-grader", "ipykernel"}  # the otter zip's and notebooks', not the grader's


@dataclass(frozen=True)
class Step:
    letter: str
    title: str
    share: float  # of the budget left when it starts, among the steps still to run
    min_s: float  # not started with less time than this
    child: str = ""  # the hidden --step that runs it in a subprocess ("" in this process)


PLAN = (Step("a", "environment", 0.02, 5), Step("b", "sandbox protections", 0.05, 10),
        Step("c", "reference and stubs graded with production.toml (c, d)", 0.30, 60, "grade"),
        Step("e", "CUDA checks against their CPU twins, reference and mutants", 0.25, 30,
             "twins"),
        Step("f", "red-team rows that need a GPU", 0.28, 60, "redteam"),
        Step("g", "speed checks", 0.10, 20, "speed"))
TITLES = {"a": "environment", "b": "sandbox protections",
          "c": "reference graded, every check passes", "d": "stubs graded, 0 on every topic",
          "e": "CUDA checks agree with their CPU twins", "f": "red-team rows that need a GPU",
          "g": "speed checks within their factor"}


class Report:
    """gpu-check.txt, appended and flushed line by line (what a killed run had written stays),
    and echoed on stdout."""

    def __init__(self, path: Path):
        self.path = path

    def line(self, text: str = "") -> None:
        print(text, flush=True)
        with self.path.open("a", encoding="utf-8") as report:
            report.write(text + "\n")

    def heading(self, letter: str, title: str) -> None:
        self.line()
        self.line(f"== {letter}. {title} ==")


@dataclass
class Context:
    out: Path
    report: Report
    dry: bool  # --dry-run-cpu: the plumbing on a CPU machine, nothing about the GPU proven
    deadline: float  # time.monotonic() at which this process must have reported


# ---- the parent: plan, time boxes, summary -------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.step:
        return run_step(args)
    import torch

    if not torch.cuda.is_available() and not args.dry_run_cpu:
        print(NO_CUDA, flush=True)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    if not args.only:  # a partial rerun (--only) adds to the earlier run's files
        for name in (REPORT, FIGURES, LOG, REDTEAM_LOG, REFERENCE_RESULTS):
            (args.out / name).unlink(missing_ok=True)
    return Run(args).run()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m autograder.gpu_check", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "gpu-check",
                        help="folder for the report and the figures (default build/gpu-check)")
    parser.add_argument("--budget-s", type=float, default=480.0,
                        help="wall-clock budget of the whole run (default 480)")
    parser.add_argument("--only", default="", help="steps to run, e.g. 'e,g' (default all)")
    hidden = argparse.SUPPRESS
    parser.add_argument("--dry-run-cpu", action="store_true", help=hidden)
    parser.add_argument("--step", choices=("grade", "twins", "speed"), help=hidden)
    parser.add_argument("--deadline-s", type=float, default=0.0, help=hidden)
    parser.add_argument("--figures", type=Path, help=hidden)
    return parser.parse_args(argv)


class Run:
    """One gpu-check: the steps in order, each in its time box, figures saved after each."""

    def __init__(self, args: argparse.Namespace):
        self.args, self.out, self.dry = args, args.out, args.dry_run_cpu
        self.started = time.monotonic()
        self.deadline = self.started + args.budget_s
        self.report = Report(self.out / REPORT)
        self.figures: dict = {"dry_run": self.dry, "budget_s": args.budget_s, "steps": {}}
        with contextlib.suppress(OSError, ValueError, KeyError):  # --only: keep the others'
            self.figures["steps"] = json.loads((self.out / FIGURES).read_text())["steps"]
        only = {s.strip() for s in args.only.split(",") if s.strip()}
        only |= {"c"} if "d" in only else set()
        self.plan = [s for s in PLAN if not only or s.letter in only]
        self.child: subprocess.Popen | None = None

    def run(self) -> int:
        for signum in (signal.SIGTERM, signal.SIGINT):  # the steps run in sessions of their own
            signal.signal(signum, self._terminated)
        self.report.line(f"gpu-check of {ROOT.name}: budget {self.args.budget_s:.0f} s, started "
                         + time.strftime("%Y-%m-%d %H:%M:%S"))
        if self.dry:
            self.report.line("DRY RUN ON THE CPU (--dry-run-cpu): the plumbing only. CUDA checks "
                             "are not run in c and d, run on the CPU in their place in e and g; "
                             "the red-team GPU rows skip themselves. Nothing about a GPU is "
                             "proven.")
        for index, step in enumerate(self.plan):
            box = self.time_box(index)
            if box < step.min_s:
                self.skip(step, f"SKIPPED: budget ({max(box, 0):.0f} s left for it, needs "
                                f"{step.min_s:.0f} s)")
                continue
            self.report.heading(step.letter, f"{step.title} (time box {box:.0f} s)")
            began = time.monotonic()
            if step.letter == "a":
                results = {"a": step_environment(self.context(box))}
            elif step.letter == "b":
                results = {"b": step_protections(self.context(box))}
            elif step.letter == "f":
                results = {"f": self.redteam(box)}
            else:
                results = self.in_child(step, box)
            for letter, figures in results.items():
                figures.setdefault("seconds", round(time.monotonic() - began, 2))
                self.figures["steps"][letter] = figures
            self.save()
        return self.summary()

    def context(self, box: float) -> Context:
        return Context(self.out, self.report, self.dry, time.monotonic() + box)

    def time_box(self, index: int) -> float:
        """This step's share of what is left, and never so much that a later step cannot get
        its minimum."""
        left = self.deadline - time.monotonic()
        later = self.plan[index + 1:]
        shares = sum(s.share for s in self.plan[index:])
        box = left * self.plan[index].share / shares
        return min(box, left - sum(s.min_s for s in later))

    def skip(self, step: Step, why: str) -> None:
        self.report.heading(step.letter, step.title)
        self.report.line(f"  {why}")
        for letter in ("c", "d") if step.letter == "c" else (step.letter,):
            self.figures["steps"][letter] = {"verdict": why}
        self.save()

    def in_child(self, step: Step, box: float) -> dict[str, dict]:
        """Run a step in a subprocess that stops itself GRACE_S before the box ends and is
        killed at its end; its figures come back in a file."""
        letters = ("c", "d") if step.child == "grade" else (step.letter,)
        with tempfile.TemporaryDirectory(prefix="nnf-gpu-check-") as scratch:
            figures_path = Path(scratch) / "figures.json"
            command = [sys.executable, "-m", "autograder.gpu_check", "--step", step.child,
                       "--out", str(self.out), "--figures", str(figures_path),
                       "--deadline-s", f"{max(box - GRACE_S, 1):.0f}"]
            command += ["--dry-run-cpu"] if self.dry else []
            code = self.bounded(command, box, self.out / LOG)
            results = json.loads(figures_path.read_text()) if figures_path.is_file() else {}
        for letter in letters:
            if letter not in results:
                why = ("TIMEOUT: killed at the end of its time box" if code is None else
                       f"FAIL: its process ended with status {code} before reporting (see "
                       f"{LOG})")
                self.report.line(f"  {letter}. {why}")
                results[letter] = {"verdict": why}
        return results

    def bounded(self, command: list[str], timeout: float, log: Path) -> int | None:
        """Run `command` in its own session, its output copied to `log` and echoed; past
        `timeout` it gets SIGINT, then SIGKILL. Its exit status, or None if it was killed."""
        with log.open("a", encoding="utf-8") as sink:
            sink.write(f"\n$ {' '.join(command)}\n")
            sink.flush()
            self.child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE,
                                          stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                          text=True, errors="replace", start_new_session=True)
            pump = threading.Thread(target=_copy, args=(self.child.stdout, sink), daemon=True)
            pump.start()
            try:
                code = self.child.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                code = None
                self.report.line(f"  (past its time box of {timeout:.0f} s: interrupted)")
                _signal_group(self.child, signal.SIGINT)
                try:
                    self.child.wait(timeout=KILL_WAIT_S)
                except subprocess.TimeoutExpired:
                    _signal_group(self.child, signal.SIGKILL)
                    self.child.wait()
            pump.join(timeout=KILL_WAIT_S)
            self.child = None
        return code

    def redteam(self, box: float) -> dict:
        """Step f: the GPU rows of the red-team suite, through pytest as `make test` runs them:
        together, two at a time. A row that fails there is run again alone while the box
        allows, to tell a failing row from rows that disturb each other on the one GPU (r28
        holds all device memory while it lives)."""
        from tests.redteam import harness

        ends = time.monotonic() + box
        names = sorted({a.name for a in harness.all_attacks() if a.expect.get("needs_gpu")}
                       | set(GPU_ROWS))
        self.report.line(f"  rows: {', '.join(names)}")
        code, rows = self.pytest_rows(names, box)
        alone = {}
        for name in [n for n, (o, _) in rows.items() if o not in ("PASSED", "SKIPPED")]:
            if ends - time.monotonic() < 60 or code is None:
                break
            self.report.line(f"  {name} again, alone:")
            alone[name] = self.pytest_rows([name], ends - time.monotonic())[1][name]
        if code is None:
            verdict = "TIMEOUT: pytest killed at the end of its time box"
        elif self.dry:
            verdict = ("PASS (dry run: plumbing only)" if code == 0 and all(
                o in ("PASSED", "SKIPPED") for o, _ in rows.values()) else f"FAIL (rc {code})")
        else:
            verdict = "PASS" if code == 0 and all(o == "PASSED" for o, _ in rows.values()) \
                else f"FAIL (pytest rc {code})"
        if alone:
            verdict += "; alone: " + ", ".join(f"{n} {o}" for n, (o, _) in alone.items())
        self.report.line(f"  f. {verdict}")
        return {"verdict": verdict, "pytest_rc": code,
                "rows": {name: {"outcome": o, "detail": d} for name, (o, d) in rows.items()},
                "alone": {name: {"outcome": o, "detail": d} for name, (o, d) in alone.items()}}

    def pytest_rows(self, names: list[str], timeout: float) -> tuple[int | None, dict]:
        """pytest on these red-team rows: its exit status (None: killed) and each row's
        outcome, as reported."""
        log = self.out / REDTEAM_LOG
        command = [sys.executable, "-m", "pytest", "tests/test_redteam.py", "-k",
                   " or ".join(names), "-q", "-p", "no:cacheprovider", "-rA"]
        self.report.line(f"  $ {' '.join(command[2:])}  (output: {REDTEAM_LOG})")
        start = log.stat().st_size if log.exists() else 0
        code = self.bounded(command, timeout, log)
        with log.open(encoding="utf-8", errors="replace") as text:
            text.seek(start)
            rows = redteam_rows(text.read(), names)
        for name, (outcome, detail) in rows.items():
            self.report.line(f"  {outcome:8} {name}: {detail}")
        return code, rows

    def save(self) -> None:
        self.figures["total_s"] = round(time.monotonic() - self.started, 2)
        (self.out / FIGURES).write_text(json.dumps(self.figures, indent=2, default=str) + "\n")

    def summary(self) -> int:
        self.report.heading("h", "summary")
        steps = self.figures["steps"]
        ok = True
        for letter, title in TITLES.items():
            if letter not in steps:
                continue
            verdict = steps[letter].get("verdict", "FAIL: no verdict")
            ok &= verdict.startswith("PASS")
            seconds = steps[letter].get("seconds")
            took = f"  ({seconds:.0f} s)" if isinstance(seconds, int | float) else ""
            self.report.line(f"  {letter}. {title:42} {verdict}{took}")
        self.figures["passed"] = ok
        self.save()
        total = time.monotonic() - self.started
        self.report.line(f"gpu-check{' (DRY RUN on the CPU)' if self.dry else ''}: "
                         f"{'PASS' if ok else 'FAIL'} in {total:.0f} s of a "
                         f"{self.args.budget_s:.0f} s budget; figures in {self.out / FIGURES}")
        return 0 if ok else 1

    def _terminated(self, signum: int, _frame: object) -> None:
        """Stopped from outside (the caller's timeout, ^C): take the running step down too."""
        if self.child is not None:
            _signal_group(self.child, signal.SIGKILL)
        self.report.line(f"ABORTED: signal {signum} from outside after "
                         f"{time.monotonic() - self.started:.0f} s")
        self.save()
        os._exit(1)


def _copy(stream, sink) -> None:
    for line in stream:
        sys.stdout.write(line)
        sys.stdout.flush()
        sink.write(line)
        sink.flush()


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signum)


def redteam_rows(text: str, names: list[str]) -> dict[str, tuple[str, str]]:
    """Each row's outcome from pytest's -rA summary, with the red-team table's line for it
    (conftest prints "row NN  name  outcome") or pytest's reason."""
    rows = {}
    for name in names:
        outcome, detail = "MISSING", "not in pytest's output"
        escaped = re.escape(name)
        result = re.search(rf"^(PASSED|FAILED|ERROR|SKIPPED)\S* .*test_attack\[{escaped}\]"
                           rf"(?: - (.*))?$", text, re.M)
        table = re.search(rf"^row\s+\d+\s+{escaped}\s+(.*)$", text, re.M)
        if result:
            outcome, detail = result.group(1), (result.group(2) or "").strip()
        if table:
            detail = table.group(1).strip()
            if "NOT RUN" in detail:
                outcome = "SKIPPED"
        rows[name] = (outcome, detail[:300])
    return rows


# ---- a, b: in this process ------------------------------------------------------------------

def step_environment(ctx: Context) -> dict:
    import platform

    import torch

    line = ctx.report.line
    figures: dict = {"python": platform.python_version(), "torch": torch.__version__,
                     "torch_cuda": torch.version.cuda, "cudnn": torch.backends.cudnn.version(),
                     "cpus": os.cpu_count(), "kernel": platform.release(),
                     "uid": os.geteuid()}
    line(f"  python {figures['python']} ({sys.executable}), torch {torch.__version__} (CUDA "
         f"{torch.version.cuda}, cuDNN {figures['cudnn']}), {figures['cpus']} CPUs, kernel "
         f"{figures['kernel']}, uid {figures['uid']}")
    if torch.cuda.is_available():
        props = torch.cuda.get_device_properties(0)
        figures |= {"gpu": props.name, "gpu_count": torch.cuda.device_count(),
                    "gpu_memory_gib": round(props.total_memory / 2**30, 1),
                    "compute_capability": f"{props.major}.{props.minor}"}
        line(f"  GPU: {props.name} x{figures['gpu_count']}, {figures['gpu_memory_gib']} GiB, "
             f"compute capability {figures['compute_capability']}")
    else:
        line("  GPU: none (torch.cuda.is_available() is false)")
    # The sandbox starts Python with a clean environment (no LD_LIBRARY_PATH): the driver
    # library must be found without it, or the grading children see no GPU.
    figures["libcuda"] = _mapped("libcuda.so")
    figures["ld_library_path"] = os.environ.get("LD_LIBRARY_PATH", "")
    line(f"  libcuda loaded from {figures['libcuda'] or '-'}; LD_LIBRARY_PATH "
         f"{figures['ld_library_path'] or 'unset'} (the sandbox clears it); "
         f"CUDA_VISIBLE_DEVICES {os.environ.get('CUDA_VISIBLE_DEVICES', 'unset')}")
    smi = _nvidia_smi()
    if smi:
        figures["nvidia_smi"] = smi
        line(f"  nvidia-smi: {smi}")
    versions = {name: _version(name) for name in (*PINNED, "scipy", "jsonschema-specifications",
                                                  "referencing", "rpds-py", "attrs")}
    figures["versions"] = versions
    line("  " + ", ".join(f"{name} {version or 'not installed'}"
                          for name, version in versions.items()))
    differ = pin_differences(versions, figures["python"])
    figures["differ_from_pins"] = differ
    line("  differ from the pins in pyproject.toml: " + ("; ".join(differ) if differ else
                                                          "none, every version is the pinned one"))
    gpu_ok = ctx.dry or "gpu" in figures
    figures["verdict"] = "PASS" if gpu_ok else "FAIL: torch sees no GPU"
    line(f"  a. {figures['verdict']}")
    return figures


def _mapped(library: str) -> str:
    """Where this process mapped a shared library from ("" if it has not)."""
    with contextlib.suppress(OSError):
        for entry in Path("/proc/self/maps").read_text().splitlines():
            if library in entry:
                return entry.split()[-1]
    return ""


def _version(name: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""


def _nvidia_smi() -> str:
    if not shutil.which("nvidia-smi"):
        return ""
    try:
        done = subprocess.run(["nvidia-smi", "--query-gpu=name,driver_version,memory.total,"
                               "memory.used", "--format=csv,noheader"], capture_output=True,
                              text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"failed: {error}"
    return done.stdout.strip().replace("\n", " | ") or done.stderr.strip()[:200]


def pins() -> tuple[dict[str, str], str]:
    """pyproject.toml's `name==version` pins and its requires-python."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    found = {}
    for dependency in project["dependencies"] + project["optional-dependencies"].get("dev", []):
        match = re.match(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==([^,;\s]+)", dependency)
        if match:
            found[match.group(1).lower()] = match.group(2)
    return found, project.get("requires-python", "")


def pin_differences(versions: dict[str, str], python: str) -> list[str]:
    pinned, requires = pins()
    differ = []
    if not _python_satisfies(python, requires):
        differ.append(f"python {python} (requires-python {requires})")
    for name, version in versions.items():
        pin = pinned.get(name)
        if pin is None:
            continue
        if not version:
            differ.append(f"{name} not installed (pinned {pin})"
                          + (": not needed by the grader" if name in NOT_NEEDED else ""))
        elif version.split("+")[0] != pin:
            differ.append(f"{name} {version} (pinned {pin})")
    return differ


def _python_satisfies(version: str, requires: str) -> bool:
    """`>=3.11,<3.12` style specifiers only (all pyproject.toml uses)."""
    have = tuple(int(p) for p in version.split(".")[:2])
    for spec in filter(None, (s.strip() for s in requires.split(","))):
        match = re.match(r"(>=|<=|<|>|==)\s*(\d+)\.(\d+)", spec)
        if not match:
            continue
        want = (int(match.group(2)), int(match.group(3)))
        ok = {">=": have >= want, "<=": have <= want, "<": have < want, ">": have > want,
              "==": have == want}[match.group(1)]
        if not ok:
            return False
    return True


def step_protections(ctx: Context) -> dict:
    from dataclasses import asdict

    from autograder.sandbox.protections import Protections

    try:
        protections = Protections.detect()
    except Exception as error:  # its probes are subprocesses with timeouts; say what broke
        ctx.report.line(f"  detecting the protections failed: {type(error).__name__}: {error}")
        return {"verdict": f"FAIL: {type(error).__name__}: {error}"}
    for text in protections.report():
        ctx.report.line(text)
    flags = asdict(protections)
    off = [name for name, on in flags.items() if not on]
    ctx.report.line(f"  {len(flags) - len(off)} of {len(flags)} protections on"
                    + (f"; off: {', '.join(off)}" if off else ""))
    verdict = "PASS (reported" + (f"; off: {', '.join(off)})" if off else ")")
    ctx.report.line(f"  b. {verdict}")
    return {"verdict": verdict, "protections": flags}


# ---- the children: c and d, e, g ------------------------------------------------------------

def run_step(args: argparse.Namespace) -> int:
    ctx = Context(args.out, Report(args.out / REPORT), args.dry_run_cpu,
                  time.monotonic() + args.deadline_s)
    results: dict[str, dict] = {}

    def save(letter: str, figures: dict) -> None:  # after each: a later kill keeps it
        results[letter] = figures
        args.figures.write_text(json.dumps(results, default=str))

    try:
        {"grade": step_grade, "twins": step_twins, "speed": step_speed}[args.step](ctx, save)
    except Exception as error:  # the step's own failure: say so in the report, keep the trace
        ctx.report.line(f"  ERROR in this step: {type(error).__name__}: {_first(str(error))} "
                        f"(traceback in {LOG})")
        raise
    return 0


def step_grade(ctx: Context, save) -> None:
    """c and d: one Grader (expected data and fork server paid once) grades both."""
    from autograder import impl
    from autograder.config import CONFIG_DIR, load_config
    from autograder.grade import Grader
    from autograder.runtime.outcome import cuda_available

    name = "grading.toml" if ctx.dry else "production.toml"
    config = load_config(CONFIG_DIR / name)
    line = ctx.report.line
    line(f"  config {name}: require_gpu = {str(config.require_gpu).lower()}"
         + (" (dry run: the CPU configuration)" if ctx.dry else ""))
    if config.require_gpu and not cuda_available():
        save("c", {"verdict": "FAIL: require_gpu is set but CUDA is not available"})
        return
    started = time.monotonic()
    with Grader(config) as grader, tempfile.TemporaryDirectory(prefix="nnf-gpu-grade-") as tmp:
        ready_s = time.monotonic() - started
        line(f"  grader ready in {ready_s:.1f} s (expected data, and the fork server's start: "
             f"{grader.sandbox_startups_s()[0]:.1f} s)")
        result = grader.grade(impl.SOLUTIONS, Path(tmp) / "reference", "reference")
        with contextlib.suppress(OSError):
            shutil.copyfile(Path(tmp) / "reference" / "results.json", ctx.out / REFERENCE_RESULTS)
        save("c", judge_reference(result, ctx) | {"grader_ready_s": round(ready_s, 2),
                                                  "seconds": round(time.monotonic() - started, 2)})
        ctx.report.heading("d", "the stubs (exercises/) graded by the same grader")
        began = time.monotonic()
        stubs = grader.grade(impl.EXERCISES, Path(tmp) / "stubs", "stubs")
        save("d", judge_stubs(stubs, ctx) | {"seconds": round(time.monotonic() - began, 2)})


def judge_reference(result, ctx: Context) -> dict:
    from autograder.runtime.outcome import Status

    line = ctx.report.line
    outcomes = [o for topic in result.topics for o in topic.outcomes]
    ran = [o for o in outcomes if o.status is not Status.NOT_RUN]
    failed = [o for o in ran if not o.passed]
    cuda = [o for o in outcomes if o.check.needs_gpu]
    cuda_ran = [o for o in cuda if o.status is not Status.NOT_RUN]
    not_run = [o for o in outcomes if o.status is Status.NOT_RUN]
    for topic in result.topics:
        line("  " + topic_line(topic))
    earned, possible = result.score()
    line(f"  reference: {earned:.2f} / {possible:.2f}; {len(ran)} of {len(outcomes)} checks run, "
         f"{len(ran) - len(failed)} passed, {len(failed)} failed; CUDA checks: {len(cuda)}, "
         f"{len(cuda_ran)} run, {sum(o.passed for o in cuda_ran)} passed")
    for outcome in failed[:30]:
        line("    " + outcome.render().replace("\n", "\n    "))
    if len(failed) > 30:
        line(f"    ... and {len(failed) - 30} more failures (see {REFERENCE_RESULTS})")
    errors = [f"{t.topic.name}: {t.grader_error}" for t in result.topics if t.grader_error]
    for error in errors:
        line(f"    grader error: {error}")
    cpu_s, cpu_line = cpu_figure()
    line(f"  whole submission graded in the sandbox: {result.seconds:.1f} s here ({len(ran)} "
         f"checks); on the CPU machine of docs/scaling.md: {cpu_s:.1f} s ({cpu_line})")
    problems = []
    if result.rejected:
        problems.append(f"rejected: {result.rejected}")
    if failed:
        problems.append(f"{len(failed)} checks failed")
    if errors:
        problems.append(f"{len(errors)} grader errors")
    if ctx.dry:
        if any(not o.check.needs_gpu for o in not_run):
            problems.append("CPU checks not run")
    elif not_run or not cuda_ran:
        problems.append(f"{len(not_run)} checks not run (CUDA checks run: {len(cuda_ran)})")
    verdict = "FAIL: " + "; ".join(problems) if problems else \
        ("PASS (dry run: the CUDA checks not run)" if ctx.dry else "PASS")
    line(f"  c. {verdict}")
    return {"verdict": verdict, "checks": len(outcomes), "run": len(ran),
            "passed": len(ran) - len(failed), "failed": len(failed), "cuda_checks": len(cuda),
            "cuda_run": len(cuda_ran), "cuda_passed": sum(o.passed for o in cuda_ran),
            "earned": earned, "possible": possible, "wall_s": round(result.seconds, 2),
            "cpu_machine_wall_s": cpu_s, "failures": [o.render() for o in failed[:100]],
            "grader_errors": errors, "topics": {t.topic.name: topic_figures(t)
                                                for t in result.topics}}


def topic_line(topic) -> str:
    from autograder.runtime.outcome import Status, score

    ran = [o for o in topic.outcomes if o.status is not Status.NOT_RUN]
    cuda = [o for o in ran if o.check.needs_gpu]
    earned, possible = score(topic.outcomes)
    extra = "".join(f"; {note}" for note in [*topic.notes, topic.load_error, topic.grader_error]
                    if note)
    cuda_passed = sum(o.passed for o in cuda)
    return (f"{topic.topic.number} {topic.topic.name:20} {earned:6.2f}/{possible:6.2f}  "
            f"{sum(o.passed for o in ran):3}/{len(ran):3} passed, CUDA {cuda_passed}/{len(cuda)}"
            f"  {topic.seconds:5.1f} s (start-up {topic.startup_s:.2f} s, peak "
            f"{topic.peak_rss_mb:.0f} MB, seccomp {'on' if topic.seccomp else 'off'}){extra}")


def topic_figures(topic) -> dict:
    from autograder.runtime.outcome import score

    earned, possible = score(topic.outcomes)
    return {"earned": earned, "possible": possible, "seconds": round(topic.seconds, 2),
            "startup_s": round(topic.startup_s, 2), "peak_rss_mb": round(topic.peak_rss_mb),
            "seccomp": topic.seccomp, "grader_error": topic.grader_error, "notes": topic.notes,
            "load_error": topic.load_error}


def cpu_figure() -> tuple[float, str]:
    """docs/scaling.md's wall time of the whole reference submission in the sandbox."""
    text = (ROOT / "docs" / "scaling.md").read_text(encoding="utf-8")
    match = re.search(r"^\| whole submission, graded in the sandbox \| ([\d.]+) s \|", text, re.M)
    context = re.search(r"^Measured on (\w+) \(.*?(\d+) checks;", text, re.M | re.S)
    where = (f"measured on {context.group(1)}, {context.group(2)} checks, the CUDA ones not run"
             if context else "2 cores, no GPU")
    return (float(match.group(1)), where) if match else (CPU_FIGURE_S, where + ", hard-coded")


def judge_stubs(result, ctx: Context) -> dict:
    from autograder.runtime.outcome import Status

    line = ctx.report.line
    scores, problems = {}, []
    for topic in result.topics:
        line("  " + topic_line(topic))
        earned, possible = result.topic_score(topic)
        scores[topic.topic.name] = [earned, possible]
        if earned != 0:
            problems.append(f"{topic.topic.name} scores {earned:.2f}")
        if topic.grader_error:
            problems.append(f"{topic.topic.name}: grader error {topic.grader_error}")
    statuses: dict[str, int] = {}
    for outcome in (o for t in result.topics for o in t.outcomes):
        statuses[str(outcome.status)] = statuses.get(str(outcome.status), 0) + 1
    line("  stub outcomes: " + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items())))
    if result.rejected:
        problems.append(f"rejected: {result.rejected}")
    if not ctx.dry and statuses.get(str(Status.NOT_RUN)):
        problems.append(f"{statuses[str(Status.NOT_RUN)]} checks not run")
    verdict = "FAIL: " + "; ".join(problems) if problems else "PASS"
    line(f"  d. {verdict}")
    return {"verdict": verdict, "scores": scores, "statuses": statuses,
            "wall_s": round(result.seconds, 2)}


# ---- e: CUDA checks against their CPU twins ---------------------------------------------------

def twin_name(name: str) -> str:
    """The CPU check of the same probe and variant: `f.p[float32-cuda]` -> `f.p[float32]`,
    `f.p[cuda]` -> `f.p`."""
    return re.sub(r"\[cuda\]$", "", name.replace("-cuda]", "]"))


def step_twins(ctx: Context, save) -> None:
    from autograder.config import load_config
    from autograder.course import TOPICS

    config = load_config()  # the checks and points are production's; local mode needs no GPU flag
    figures: dict = {"topics": {}, "problems": [], "skipped": 0}
    if ctx.dry:
        ctx.report.line("  dry run: each CUDA check runs on the CPU in its place (so a twin "
                        "agrees trivially), and only the first 2 mutants of each topic")
    for topic in TOPICS.values():
        checks = config.checks(topic)
        if not any(c.needs_gpu for c in checks):
            continue
        mutants = topic.mutants()[:2] if ctx.dry else topic.mutants()
        figures["topics"][topic.name] = twins_of_topic(topic, checks, mutants, ctx, figures)
        save("e", dict(figures, verdict="INCOMPLETE"))
    naming = sum(t["mutants_naming_cuda"] for t in figures["topics"].values())
    ctx.report.line(f"  mutants that name a CUDA check in CAUGHT_BY: {naming}"
                    + ("" if naming else " (that part of e has nothing to prove yet)"))
    problems, skipped = len(figures["problems"]), figures["skipped"]
    if problems:
        verdict = f"FAIL: {problems} problems" + (f", {skipped} not run (budget)" if skipped
                                                  else "")
    elif skipped:
        verdict = f"SKIPPED: budget ({skipped} implementations not run)"
    else:
        verdict = "PASS (dry run: CUDA checks ran on the CPU)" if ctx.dry else "PASS"
    ctx.report.line(f"  e. {verdict}")
    save("e", dict(figures, verdict=verdict))


def twins_of_topic(topic, checks, mutants, ctx: Context, figures: dict) -> dict:
    """The reference and each mutant of one topic, on its CUDA checks and their CPU twins."""
    from dataclasses import replace

    from autograder import impl
    from autograder.local import LocalRunner

    began = time.monotonic()
    by_name = {c.name: c for c in checks}
    pairs = [(c, by_name.get(twin_name(c.name))) for c in checks if c.needs_gpu]
    if ctx.dry:  # the comparisons still run: a CUDA check's probe on the CPU
        pairs = [(replace(c, device="cpu"), twin) for c, twin in pairs]
    selected = [c for c, _ in pairs] + [twin for _, twin in pairs if twin is not None]
    runner = LocalRunner(impl.load(impl.SOLUTIONS, topic))  # expected data: once per check
    rows = [("reference", impl.SOLUTIONS, ())]
    rows += [(f"mutant {p.stem}", p, impl.mutant_caught_by(p)) for p in mutants]
    done, caught, naming, problems = 0, 0, 0, []
    for label, source, caught_by in rows:
        if time.monotonic() > ctx.deadline:
            figures["skipped"] += len(rows) - done
            ctx.report.line(f"  {topic.name}: SKIPPED: budget ({len(rows) - done} of "
                            f"{len(rows)} implementations not run)")
            break
        found, cuda_failed = twin_problems(topic, label, source, caught_by, pairs, selected,
                                           runner)
        problems += found
        done += 1
        naming += any(by_name[n].needs_gpu for n in caught_by if n in by_name)
        caught += label != "reference" and cuda_failed
    without = [c.name for c, twin in pairs if twin is None]
    ctx.report.line(f"  {topic.name}: {len(pairs)} CUDA checks ({len(pairs) - len(without)} with "
                    f"a CPU twin; without: {', '.join(without) or '-'}); the reference and "
                    f"{max(done - 1, 0)} mutants run, {caught} of them fail a CUDA check; "
                    f"{len(problems) or 'no'} problems ({time.monotonic() - began:.0f} s)")
    for problem in problems:
        ctx.report.line(f"    {problem}")
    figures["problems"] += problems
    return {"cuda_checks": len(pairs), "without_twin": without, "implementations": done,
            "mutants_failing_a_cuda_check": caught, "problems": problems,
            "mutants_naming_cuda": naming, "seconds": round(time.monotonic() - began, 2)}


def twin_problems(topic, label, source, caught_by, pairs, selected,
                  runner) -> tuple[list[str], bool]:
    """What is wrong with one implementation's CUDA checks (a verdict that differs from the CPU
    twin's, a CUDA check not run, a reference failure, a named CUDA check the mutant passes),
    and whether any CUDA check failed."""
    from autograder import impl
    from autograder.runtime.outcome import Status

    try:
        module = impl.load(source, topic) if label == "reference" else \
            impl.load_mutant(source, topic)
    except impl.ImplementationError as error:
        return [f"{label}: could not be loaded: {error}"], False
    outcomes = {c.name: runner.run(c, module) for c in selected}
    problems = []
    for check, twin in pairs:
        got = outcomes[check.name]
        if got.status is Status.NOT_RUN:
            problems.append(f"{label}: {check.name} was not run: {got.message}")
            continue
        if label == "reference" and not got.passed:
            problems.append(f"{label}: {check.name} {got.status}: {_first(got.message)}")
        if twin is not None and got.passed != outcomes[twin.name].passed:
            other = outcomes[twin.name]
            problems.append(f"{label}: {check.name} {got.status} but its CPU twin {other.status}"
                            f" ({_first(got.message or other.message)})")
        if check.name in caught_by and got.passed:
            problems.append(f"{label}: names {check.name} in CAUGHT_BY, which passed")
    cuda_failed = any(not outcomes[c.name].passed and outcomes[c.name].status is not
                      Status.NOT_RUN for c, _ in pairs)
    return problems, cuda_failed


def _first(text: str) -> str:
    return (text.strip().splitlines() or [""])[0][:200]


# ---- g: speed checks ------------------------------------------------------------------------

def speed_factor(check) -> float | None:
    """The allowed factor of an `at_most_slower` compare; None for any other compare."""
    import inspect

    if not getattr(check.compare, "__qualname__", "").startswith("at_most_slower."):
        return None
    return float(inspect.getclosurevars(check.compare).nonlocals["factor"])


def step_speed(ctx: Context, save) -> None:
    from dataclasses import replace

    from autograder import impl
    from autograder.course import TOPICS

    line = ctx.report.line
    repeats = 1 if ctx.dry else SPEED_REPEATS
    if ctx.dry:
        line("  dry run: the probes run on the CPU (the checks are CUDA-only), 1 repetition")
    figures: dict = {"checks": {}, "slow": {}}
    problems = []
    for topic in TOPICS.values():
        for check in topic.all_checks():
            factor = speed_factor(check)
            if factor is None:
                continue
            probe = replace(check, device="cpu") if ctx.dry else check
            reference = impl.load(impl.SOLUTIONS, topic)
            ratios = timed_ratios(probe, reference, topic, repeats, ctx)
            bare = timed_ratios(probe, reference, None, repeats, ctx)
            figures["checks"][check.id] = {"factor": factor, "ratios": ratios,
                                           "ratios_without_guard": bare}
            within = bool(ratios) and all(r <= factor for r in ratios)
            line(f"  {check.id}: factor {factor:g}")
            line(f"    reference, as graded (library guard armed): {_ratios(ratios)}: "
                 f"{'within' if within else 'OVER'}"
                 + (f", margin {factor / max(ratios):.1f}x" if ratios else ""))
            line(f"    reference, no guard (its suspension is timed with the library's op when "
                 f"armed): {_ratios(bare)}")
            if not within:
                problems.append(f"{check.id}: {_ratios(ratios)}")
            slow = SLOW.get(check.id)
            if slow:
                ratios = timed_ratios(probe, slow(reference), topic, min(repeats, 2), ctx)
                figures["slow"][check.id] = {"factor": factor, "ratios": ratios}
                caught = bool(ratios) and all(r > factor for r in ratios)
                line(f"    a loop over rows, as graded: {_ratios(ratios)}: "
                     f"{'caught' if caught else 'NOT caught'} by the factor")
                if not caught and not ctx.dry:
                    problems.append(f"{check.id}: a loop over rows passes ({_ratios(ratios)})")
            save("g", dict(figures, verdict="INCOMPLETE"))
    if not figures["checks"]:
        problems.append("no speed check found")
    verdict = "FAIL: " + "; ".join(problems) if problems else \
        ("PASS (dry run: CPU timings)" if ctx.dry else "PASS")
    line(f"  g. {verdict}")
    save("g", dict(figures, verdict=verdict))


def timed_ratios(check, module, topic, repeats: int, ctx: Context) -> list[float]:
    """implementation_s / library_s of `repeats` runs of the probe, under `topic`'s library
    guard as in grading (no guard when `topic` is None); fewer if the deadline comes first."""
    from autograder.runtime import guard

    ratios = []
    for _ in range(repeats):
        if time.monotonic() > ctx.deadline:
            ctx.report.line(f"    SKIPPED: budget after {len(ratios)} repetitions")
            break
        with guard.armed(topic.forbidden_ops if topic else ()):
            got = check.run_probe(module)
        ratios.append(round(got["implementation_s"] / got["library_s"], 3))
    return ratios


def _ratios(ratios: list[float]) -> str:
    return "/".join(f"{r:.2f}" for r in ratios) or "-"


def _slow_cross_entropy(reference) -> SimpleNamespace:
    """A vectorised row's loss in a Python loop over the rows (the reference's own per row)."""
    import torch

    def cross_entropy(logits, target, reduction="mean"):
        rows = [reference.cross_entropy(logits[i:i + 1], target[i:i + 1], reduction="sum")
                for i in range(logits.shape[0])]
        total = torch.stack(rows).sum()
        return total / logits.shape[0] if reduction == "mean" else total

    return SimpleNamespace(cross_entropy=cross_entropy)


def _slow_momentum_step(reference) -> SimpleNamespace:
    import torch

    def momentum_step(param, grad, velocity, lr, momentum=0.9, weight_decay=0.0):
        rows = [reference.momentum_step(param[i], grad[i], None if velocity is None
                                        else velocity[i], lr, momentum, weight_decay)
                for i in range(param.shape[0])]
        return torch.stack([w for w, _ in rows]), torch.stack([b for _, b in rows])

    return SimpleNamespace(momentum_step=momentum_step)


SLOW = {"losses.cross_entropy.speed[cuda]": _slow_cross_entropy,
        "sgd_optimizers.momentum_step.speed[cuda]": _slow_momentum_step}


if __name__ == "__main__":
    sys.exit(main())
