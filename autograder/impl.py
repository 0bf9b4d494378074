"""Load an implementation of a topic: a folder (exercises/, solutions/, an unpacked submission),
a single module file, or a mutant.

Each load gives a fresh module object under a unique name, so several implementations of the same
topic can be compared in one process (local mode only: graded mode never imports student code in
the grading process).
"""

from __future__ import annotations

import ast
import itertools
import sys
from pathlib import Path
from types import ModuleType

from autograder.course import ROOT, Topic

SOLUTIONS = ROOT / "solutions"
EXERCISES = ROOT / "exercises"
_serial = itertools.count()


class ImplementationError(Exception):
    """The implementation could not be loaded (missing file, syntax error, failing import)."""


def module_path(source: Path, topic: Topic) -> Path:
    """`source` itself if it is a .py file, else `source/<topic module>`."""
    source = Path(source)
    return source if source.suffix == ".py" else source / topic.module_file


def load(source: Path, topic: Topic) -> ModuleType:
    """Import the topic's module from `source` (a folder or a .py file)."""
    path = module_path(source, topic)
    if not path.is_file():
        raise ImplementationError(f"{path} not found: a submission for topic {topic.number} "
                                  f"must contain {topic.module_file}")
    return _execute(topic, [path])


def load_mutant(path: Path, topic: Topic) -> ModuleType:
    """A mutant is a patch over the reference solution: its definitions replace the reference's
    in one namespace, so the reference's other functions and classes call the mutated ones."""
    return _execute(topic, [module_path(SOLUTIONS, topic), Path(path)])


def patched_source(base: Path, topic: Topic, patch: str, label: str) -> str:
    """One module: the topic's module from `base`, then `patch`, whose definitions replace the
    base's (its `from __future__` lines dropped: they are only allowed at the top)."""
    lines = [line for line in patch.splitlines() if not line.startswith("from __future__")]
    return (module_path(base, topic).read_text(encoding="utf-8")
            + f"\n\n# ---- {label} ----\n" + "\n".join(lines) + "\n")


def mutant_source(path: Path, topic: Topic) -> str:
    """One module with the same meaning as `load_mutant`: the reference, then the mutant."""
    return patched_source(SOLUTIONS, topic, Path(path).read_text(encoding="utf-8"),
                          f"mutant {Path(path).stem}")


def mutant_caught_by(path: Path) -> tuple[str, ...]:
    """The hidden checks a mutant declares it must fail (its CAUGHT_BY tuple), read without
    running it."""
    for node in ast.parse(Path(path).read_text()).body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "CAUGHT_BY" for t in node.targets):
            return tuple(ast.literal_eval(node.value))
    raise ImplementationError(f"mutant {path} does not declare CAUGHT_BY")


def load_source(source: str, topic: Topic, filename: Path) -> ModuleType:
    """Import a module's source text (a mutant or an attack's honest twin, in the project's own
    tests); `filename` is what tracebacks name."""
    return _execute(topic, [(Path(filename), source)])


def _execute(topic: Topic, parts: list[Path | tuple[Path, str]]) -> ModuleType:
    parts = [p if isinstance(p, tuple) else (p, p.read_text(encoding="utf-8")) for p in parts]
    paths = [path for path, _ in parts]
    name = f"_nnf_impl_{next(_serial)}_{topic.name}"
    module = ModuleType(name)
    module.__file__ = str(paths[-1])
    module._nnf_source = "\n".join(  # one module's text, for the source rules (a mutant's parts)
        source if i == 0 else "\n".join(line for line in source.splitlines()
                                          if not line.startswith("from __future__"))
        for i, (_, source) in enumerate(parts))
    sys.modules[name] = module  # dataclasses and pickling look the module up while it executes
    try:
        for path, source in parts:
            code = compile(source, str(path), "exec")
            exec(code, module.__dict__)
    except Exception as error:
        del sys.modules[name]
        where = getattr(error, "lineno", None)
        raise ImplementationError(
            f"importing {paths[-1]} failed: {type(error).__name__}: {error}"
            + (f" (line {where})" if where and not isinstance(error, SyntaxError) else "")
        ) from error
    return module
