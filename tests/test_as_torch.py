"""Where a docstring says "as torch X" or "exactly as F.x", torch's own X must earn full marks.
Each file in `tests/as_torch/<topic>.py` is a patch over the reference solution (the mutant
format) whose functions hand the work to torch: the function, class or optimizer the docstring
names computes, and the patch only adapts arguments (NumPy arrays in and out, a state dict kept as
the optimizer's state). Every check of those functions must pass, except the library-use checks
(`no_library_shortcut*`), whose point is that torch may not do the work: so this runs in local
mode with the source rules and the library-use guard off. A check that fails here would fail a
student who wrote exactly what torch computes (clipping by min(1, max_norm / (norm + 1e-6)), say).
Not here: 5-02's initialisers, "as torch.nn.init.*" in their distribution only (they draw from a
NumPy Generator, torch's from its own), which their statistical checks cover.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from autograder import impl
from autograder.course import TOPICS
from autograder.local import LocalRunner
from autograder.runtime import guard
from autograder.runtime.outcome import Status
from tests.helpers import replaced

FOLDER = Path(__file__).parent / "as_torch"
PATCHES = sorted(FOLDER.glob("*.py"))


@pytest.mark.parametrize("path", PATCHES, ids=[p.stem for p in PATCHES])
def test_torch_itself_gets_full_marks(path: Path, config, monkeypatch) -> None:
    topic = TOPICS[path.stem]
    functions = replaced(path)
    checks = [c for c in config.checks(topic) if c.function in functions and not c.needs_gpu
              and "no_library_shortcut" not in c.name]
    assert {c.function for c in checks} == functions, "a replaced name has no check"
    monkeypatch.setattr(guard, "armed", lambda ops: contextlib.nullcontext())
    source = impl.patched_source(impl.SOLUTIONS, topic, path.read_text(), f"torch {path.stem}")
    module = impl.load_source(source, topic, path)
    runner = LocalRunner(impl.load(impl.SOLUTIONS, topic), source_rules=False)
    failures = [f"{o.check.name}: {o.status.value}: {o.message[:300]}"
                for o in (runner.run(check, module) for check in checks)
                if o.status is not Status.PASSED]
    assert not failures, f"torch's own {sorted(functions)} lost points:\n" + "\n".join(failures)
