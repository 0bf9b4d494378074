"""The student release (`make dist`) and a student's submission zip (`make submit`).

    python -m autograder.release dist [--out dist/]
    python -m autograder.release submit [--impl exercises] [--out submission.zip]

`dist` ships what local mode needs and nothing more: the stubs, their guides and companion
notebooks, the public checks with the import closure of them, of the pytest plugin, of the figures
package (`make figures`) and of this module (students run `submit` from the release, so this module
imports only what ships), the data loaders, and the student
README, Makefile and pyproject.toml from `autograder/student/`. Hidden checks are optional in local
mode (`Topic.checks`), so none ship; neither do solutions, mutants or the grading configuration.
Zips are deterministic: sorted entries, fixed timestamps and modes.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import platform
import secrets
import subprocess
import sys
import tomllib
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from string import Template

from autograder import interface
from autograder.course import ROOT, TOPICS
from autograder.manifest import SECRET, STUDENT_ENTRY_POINTS, STUDENT_FILES, under
from autograder.sandbox.rules import violations

TOP = "nnf-pack"
STUDENT = Path(__file__).with_name("student")
PACKAGES = ("autograder", "data")  # what the entry points import from these ships with them
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can record: the same bytes every build
IMPORT_TIMEOUT_S = 60.0  # a cold `import torch` on a laptop takes seconds, not a minute


def version(root: Path = ROOT) -> str:
    return tomllib.loads((root / "pyproject.toml").read_text())["project"]["version"]


# ---- make dist ------------------------------------------------------------------------------

def import_closure(root: Path = ROOT) -> list[str]:
    """Repository paths of the entry points and every module of PACKAGES they import, at any
    depth and inside functions too (local.py imports source_rules lazily), with the packages'
    __init__.py files. `importlib.import_module` of a computed name is not followed: that is how
    `Topic.checks` reaches the hidden checks, which local mode does without."""
    todo = [p.relative_to(root).as_posix() for pattern in STUDENT_ENTRY_POINTS
            for p in sorted(root.glob(pattern))]
    found: set[str] = set()
    while todo:
        path = todo.pop()
        if path in found:
            continue
        found.add(path)
        parts = path.split("/")
        todo += ["/".join([*parts[:i], "__init__.py"]) for i in range(1, len(parts))]
        for node in ast.walk(ast.parse((root / path).read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            else:
                continue
            for name in names:
                if name.split(".")[0] in PACKAGES:
                    todo += [f for f in (name.replace(".", "/") + ".py",
                                         name.replace(".", "/") + "/__init__.py")
                             if (root / f).is_file()]
    return sorted(found)


def student_pyproject(root: Path = ROOT) -> str:
    """The release's pyproject.toml: the main one's pins (no dev tools) and local mode's pytest
    settings, from `student/pyproject.toml.in`."""
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    pins = [d for d in project["dependencies"] if not d.startswith("ruff")]
    return Template((STUDENT / "pyproject.toml.in").read_text()).substitute(
        version=project["version"], description=json.dumps(project["description"]),
        requires_python=json.dumps(project["requires-python"]),
        dependencies="\n".join(f"    {json.dumps(pin)}," for pin in pins))


def release_files(root: Path = ROOT) -> dict[str, bytes]:
    """Release path (below the top folder) -> bytes."""
    paths = [*import_closure(root),
             *(p.relative_to(root).as_posix() for pattern in
               STUDENT_FILES
               for p in sorted(root.glob(pattern)))]
    leaked = [p for p in paths if under(p, SECRET)]
    if leaked:
        raise SystemExit(f"refusing to build the release: it would ship {', '.join(leaked)}")
    files = {path: (root / path).read_bytes() for path in paths}
    files["README.md"] = (STUDENT / "README.md").read_bytes()
    files["Makefile"] = (STUDENT / "Makefile").read_bytes()
    files["pyproject.toml"] = student_pyproject(root).encode()
    # The graded names and parameters, for `make submit` where the solutions are not.
    files[interface.SHIPPED.as_posix()] = (
        json.dumps(interface.expected(root), indent=1, sort_keys=True) + "\n").encode()
    return files


def write_zip(path: Path, files: dict[str, bytes]) -> Path:
    """A deterministic zip (sorted names, fixed time and mode), written to a temporary name and
    renamed: a reader never sees a partial file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    with zipfile.ZipFile(partial, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so external_attr is read as a mode everywhere
            info.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
            archive.writestr(info, files[name], compresslevel=9)
    os.replace(partial, path)
    return path


def dist(out: Path, root: Path = ROOT) -> Path:
    if not (STUDENT / "README.md").is_file():
        raise SystemExit("`dist` builds the student release from the course's repository; this "
                         "is a release already")
    files = release_files(root)
    return write_zip(out / f"nnf-pack-student-{version(root)}.zip",
                     {f"{TOP}/{name}": data for name, data in files.items()})


# ---- make submit ----------------------------------------------------------------------------

# The import check runs in a fresh interpreter that forks one process per module: only that
# module's code runs in it, its output is discarded, and only its verdict comes back through a
# pipe, so a module that exits or crashes at import (even with status 0) sends none. On Linux the
# interpreter imports numpy and torch once before forking, as the grading sandbox does before
# the submission (and torch's own DataLoader forks after importing torch); elsewhere fork safety
# after those imports is not guaranteed, so each module imports them itself.
_CHECKER = r'''
import json, os, select, signal, sys, time, traceback

def verdict(path, name):
    import importlib.util
    try:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    except SystemExit as error:
        return f"SystemExit: it exits while being imported (code {error.code!r})"
    except BaseException as error:
        line = error.lineno if isinstance(error, SyntaxError) else None
        for frame in traceback.extract_tb(error.__traceback__):
            line = frame.lineno if frame.filename == path else line
        last = traceback.format_exception_only(error)[-1].strip()
        return last + (f" (line {line})" if line else "")
    return ""

def check(path, name, timeout):
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.setpgid(0, 0)  # its own group: a timeout kills what it started too
        os.close(read)
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.write(write, json.dumps(verdict(path, name)).encode())
        os._exit(0)
    os.close(write)
    data, deadline = b"", time.monotonic() + timeout
    while True:
        if not select.select([read], [], [], max(0, deadline - time.monotonic()))[0]:
            os.killpg(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(read)
            return "timeout"
        chunk = os.read(read, 1 << 16)
        if not chunk:
            break
        data += chunk
    os.close(read)
    _, status = os.waitpid(pid, 0)
    if data:
        return json.loads(data)
    if os.WIFSIGNALED(status):
        return f"crashed: killed by {signal.Signals(os.WTERMSIG(status)).name}"
    return f"SystemExit: it exits while being imported (exit status {os.WEXITSTATUS(status)})"

token, timeout, preload, *modules = sys.argv[1:]
for library in filter(None, preload.split(",")):
    try:
        __import__(library)
    except Exception:
        pass  # the module that needs it reports the error
for path, name in zip(modules[::2], modules[1::2]):
    print(token, json.dumps([name, check(path, name, float(timeout))]), flush=True)
'''

HINTS = {
    "SyntaxError": "fix the syntax at that line (Python notices a mistake where it cannot go on: "
                   "look at the line before too)",
    "IndentationError": "fix the indentation at that line",
    "ModuleNotFoundError": "import only the standard library and the pack's dependencies (numpy, "
                           "scipy, torch, torchvision, scikit-learn, matplotlib): grading "
                           "installs nothing else",
    "SystemExit": "remove sys.exit()/exit()/quit()/os._exit() from the module's top level",
    "crashed": "code at the module's top level crashed the interpreter: move it into a function",
    "timeout": "the module does slow work when imported: move it into a function or under "
               "`if __name__ == \"__main__\":`",
}
DEFAULT_HINT = ("code at the module's top level raised: move experiments into functions or under "
                "`if __name__ == \"__main__\":`")


def import_problems(paths: dict[str, Path], timeout: float) -> dict[str, str]:
    """Topic name -> why its module does not import (the error's last line and a hint); topics
    whose module imports are left out."""
    if not paths:
        return {}
    token = secrets.token_hex(16)
    preload = "numpy,torch" if sys.platform == "linux" else ""
    arguments = [a for name, path in paths.items() for a in (str(path.resolve()), name)]
    try:
        done = subprocess.run([sys.executable, "-B", "-c", _CHECKER, token, str(timeout),
                               preload, *arguments], cwd=ROOT, capture_output=True, text=True,
                              errors="replace", timeout=300 + timeout * len(paths))
    except subprocess.TimeoutExpired:
        raise SystemExit("checking that the modules import took too long; try again") from None
    verdicts = dict(json.loads(line.split(" ", 1)[1]) for line in done.stdout.splitlines()
                    if line.startswith(f"{token} "))
    if set(verdicts) != set(paths):
        raise SystemExit(f"checking that the modules import failed:\n{done.stderr[-2000:]}")
    problems = {}
    for name, verdict in verdicts.items():
        if verdict == "timeout":
            problems[name] = f"importing it took more than {timeout:g} s; hint: {HINTS['timeout']}"
        elif verdict:
            hint = HINTS.get(verdict.split(":", 1)[0], DEFAULT_HINT).format(name=name)
            problems[name] = f"{verdict}; hint: {hint}"
    return problems


def manifest(files: dict[str, bytes]) -> dict:
    return {
        "pack": TOP,
        "version": version(),
        "created_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "python": platform.python_version(),
        "files": {name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                  for name, data in sorted(files.items())},
    }


def submit(impl: Path, out: Path, timeout: float = IMPORT_TIMEOUT_S) -> list[str]:
    """Write `out` with submission/<module>.py for every topic and submission/manifest.json;
    or, if a module is missing, refused by the grader's source rules, lacks a graded name or
    parameter of its stub (`interface`) or does not import, write nothing and return the
    problems, one line each."""
    topics = list(TOPICS.values())
    paths = {t.name: impl / t.module_file for t in topics}
    sources = {t.name: paths[t.name].read_text(encoding="utf-8", errors="replace")
               for t in topics if paths[t.name].is_file()}
    refused = {name: found for name, source in sources.items()
               if (found := violations(source, TOPICS[name]))}
    graded = interface.expected()
    lacking = {name: found for name, source in sources.items() if name not in refused
               and (found := interface.problems(source, graded[name]))}
    errors = import_problems({t.name: paths[t.name] for t in topics
                              if paths[t.name].is_file() and t.name not in refused}, timeout)
    problems = []
    for topic in topics:
        where = f"{paths[topic.name]} ({topic.number})"
        if not paths[topic.name].is_file():
            problems.append(f"{where}: missing; hint: every topic's module is submitted, even "
                            "unfinished: copy its stub back from the release zip")
        elif topic.name in refused:
            found = refused[topic.name]
            problems.append(f"{where}: would not be graded: {'; '.join(found[:3])}"
                            + (f" (and {len(found) - 3} more)" if len(found) > 3 else "")
                            + "; hint: see README, 'What a submission may contain'")
        elif topic.name in errors:
            problems.append(f"{where}: does not import: {errors[topic.name]}")
        else:  # it imports: does it define what the checks call?
            problems += [f"{where}: {problem}; hint: the checks call each function and class of "
                         "the stub by its name and may pass any argument by name"
                         for problem in lacking.get(topic.name, [])]
    if problems:
        return problems
    files = {t.module_file: paths[t.name].read_bytes() for t in topics}
    entries = {f"submission/{name}": data for name, data in files.items()}
    entries["submission/manifest.json"] = json.dumps(manifest(files), indent=2).encode() + b"\n"
    write_zip(out, entries)
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.release", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    dist_parser = commands.add_parser("dist", help="build the student release zip")
    dist_parser.add_argument("--out", type=Path, default=Path("dist"), help="folder (dist/)")
    submit_parser = commands.add_parser("submit", help="zip the topic modules for grading")
    submit_parser.add_argument("--impl", type=Path, default=Path("exercises"),
                               help="folder holding the topic modules (exercises/)")
    submit_parser.add_argument("--out", type=Path, default=Path("submission.zip"))
    submit_parser.add_argument("--timeout", type=float, default=IMPORT_TIMEOUT_S,
                               help="seconds allowed for importing each module")
    args = parser.parse_args(argv)
    if args.command == "dist":
        path = dist(args.out)
        with zipfile.ZipFile(path) as archive:
            count = len(archive.namelist())
        print(f"wrote {path}: {count} files, {path.stat().st_size} bytes")
        return 0
    problems = submit(args.impl, args.out, args.timeout)
    if problems:
        kept = f" (the {args.out} already there is from an earlier run)" \
            if args.out.exists() else ""
        print(f"{args.out} not written{kept}; fix these first:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print(f"wrote {args.out}: the {len(TOPICS)} topic modules of {args.impl}/ and a manifest; "
          "hand in this file")
    return 0


if __name__ == "__main__":
    sys.exit(main())
