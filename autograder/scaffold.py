"""`python -m autograder new-topic MODULE --title "..." --number 5-11`: every file a new topic
needs, with one placeholder function (`scale_shift`) that shows each part working end to end.

It writes the reference (`solutions/`), the guide (`exercises/<module>.md`), the public and hidden
checks, eight mutants, the figure module, and registers the topic where the pack lists its topics
(`autograder/course.py`, `grading_config/grading.toml`, the student Makefile and README, the
README's table, the per-topic list of `tests/test_figures.py`);
then it generates the stub and the notebook (`make stubs`, `make notebooks`). Right after it,
`make stubs` is up to date, `tests/test_pack_rules.py` passes and `python -m autograder verify
--topic MODULE` holds. CONTRIBUTING.md, "Adding a topic", says what to do next: replace the
placeholder with the topic's functions, checks and mutants, then `make gallery` and
`make measure`.
"""

from __future__ import annotations

import keyword
import re
import subprocess
import sys
from pathlib import Path

from autograder.course import ROOT, TOPICS

PLACEHOLDER = "scale_shift"

SOLUTION = '''\
"""Topic {number}: {title}.

Scaffolded by `python -m autograder new-topic`: `scale_shift` is a placeholder that shows every
part of a topic at work (checks, mutants, stub, guide, figure, notebook). Replace it with the
topic's own functions, each with a docstring that states its task number, the exact formula,
shapes, dtypes and edge cases (CONTRIBUTING.md, "Adding a topic").

Rules for every function here:
- NumPy in, NumPy out: x is an np.ndarray of float32 or float64, of any shape (a transposed view
  included). Return a new np.ndarray of x's shape and dtype, and leave x unchanged.
"""

from __future__ import annotations

import numpy as np


def scale_shift(x: np.ndarray, scale: float, shift: float) -> np.ndarray:
    """Task {number}.1 (placeholder): x * scale + shift, elementwise.

    x: an np.ndarray of float32 or float64, of any shape; scale and shift: Python floats.
    Returns a new array of x's shape and dtype (float32 in, float32 out); x is left unchanged.
    """
    return _affine(x, scale, shift)


def _affine(x: np.ndarray, a: float, b: float) -> np.ndarray:
    # A private helper (leading underscore): `make stubs` leaves it out of the student's stub.
    return x * a + b
'''

GUIDE = '''\
# {number} {title} (`{module}.py`)

## Objectives
- Write `scale_shift`, the placeholder of a new topic: scale an array, then shift it.
- Keep the input's shape and dtype, and leave the input unchanged.

## The TODO list, in order
1. `scale_shift`: x * scale + shift, a new array of x's shape and dtype.

## Hints
- Python floats keep x's dtype: float32 in, float32 out.
- `x *= scale` changes the caller's array: compute a new one.

## Checking your work
    make check TOPIC={module}

Each function you have not started prints one `NOT IMPLEMENTED` line; a wrong answer names the
check, the input, the size of the error and a hint. Hidden checks test float32 and float64, large,
non-contiguous and one-row inputs, and that the input is left unchanged.
'''

PUBLIC = '''\
"""Public checks of topic {number} ({module}): run them with `make check TOPIC={module}`.

Scaffolded by `python -m autograder new-topic`: the placeholder's checks show the idiom
(`autograder/runtime/check.py`). Expected data come from an oracle (here the formula), a worked
example or a property, never from the reference solution, which does not ship to students. The
probe helper is shared with the hidden checks.
"""

from __future__ import annotations

import numpy as np

from autograder.runtime.check import CheckSet, oracle
from autograder.runtime.compare import EXACT
from autograder.runtime.probing import array_out, rng_normal
from autograder.runtime.variants import NUMPY_F64

CHECKS = CheckSet("{module}", "public")
HINT = "multiply by scale, then add shift; return a new array of x's shape and dtype"


def _scale_shift(x: np.ndarray, scale: float, shift: float) -> np.ndarray:
    return x * scale + shift


FORMULA = oracle("the formula x * scale + shift", scale_shift=_scale_shift)


def scale_shift_probe(impl, x, scale=1.5, shift=-0.25):
    return array_out(impl.scale_shift(x, scale, shift), "scale_shift", x)


# Exact: the same float64 operations in the same order as the formula.
@CHECKS.add("scale_shift", expect=FORMULA, compare=EXACT, variants=NUMPY_F64, hint=HINT)
def matches_formula(impl, device, dtype):
    """x (4, 3) {{dtype}}, scale 1.5, shift -0.25"""
    return scale_shift_probe(impl, rng_normal((4, 3), 0, dtype))
'''

HIDDEN = '''\
"""Hidden checks of topic {number} ({module}): float32 and float64, large, non-contiguous and
one-row inputs, and the input left unchanged. Graded mode shows a student only each check's name,
pass or fail, and its hint. Scaffolded by `python -m autograder new-topic`.
"""

from __future__ import annotations

from autograder.runtime.check import REFERENCE, CheckSet
from autograder.runtime.compare import EXACT, Close
from autograder.runtime.plain import to_plain
from autograder.runtime.probing import rng_normal
from autograder.runtime.variants import NUMPY_F32, NUMPY_F64
from autograder.topics.{module}.public import HINT, scale_shift_probe

CHECKS = CheckSet("{module}", "hidden")
# The topic's own edge cases, each named in at least one hidden check (beside the pack's:
# float32, float64, large, noncontiguous, batch_of_one; tests/test_pack_rules.py).
EDGE_CASES = ("leaves_inputs_unchanged",)
# The contract kinds each graded function's docstring states (autograder/contracts.py).
CONTRACTS = {{"scale_shift": ("returns", "dtypes", "unchanged")}}
# float32 answers against the float64 reference: x * scale + shift rounded twice in float32
# (relative errors are larger where the two terms nearly cancel).
F32_VALUES = Close(rtol=1e-4, atol=1e-5)  # measured 2.4e-7 abs, 8.5e-5 rel (x (64, 32))
FLOAT32_HINT = "float32 in, float32 out: Python floats keep x's dtype"
# Exact in float64: the reference does the same operations in the same order.
VALUES = CHECKS.defaults(expect=REFERENCE, compare=EXACT, variants=NUMPY_F64, hint=HINT)


@VALUES.add("scale_shift")
@VALUES.add("scale_shift", compare=F32_VALUES, variants=NUMPY_F32, hint=FLOAT32_HINT,
            contract=("returns", "dtypes"))  # the lower decorator registers first
def matches_reference(impl, device, dtype):
    """x (64, 32) {{dtype}}"""
    return scale_shift_probe(impl, rng_normal((64, 32), 1, dtype))


@VALUES.add("scale_shift")
def large(impl, device, dtype):
    """x (512, 512) {{dtype}} of scale 1e3"""
    return scale_shift_probe(impl, rng_normal((512, 512), 2, dtype, scale=1e3), 3.0, 7.0)


@VALUES.add("scale_shift")
def noncontiguous(impl, device, dtype):
    """x (16, 8) {{dtype}}, a transposed view"""
    return scale_shift_probe(impl, rng_normal((16, 8), 3, dtype, noncontiguous=True))


@VALUES.add("scale_shift", hint="keep every axis, even one of size 1")
def batch_of_one(impl, device, dtype):
    """x (1, 7) {{dtype}}"""
    return scale_shift_probe(impl, rng_normal((1, 7), 4, dtype))


@VALUES.add("scale_shift", hint="compute a new array; never change x in place",
            contract="unchanged")
def leaves_inputs_unchanged(impl, device, dtype):
    """x (5, 4) {{dtype}}"""
    x = rng_normal((5, 4), 5, dtype)
    impl.scale_shift(x, 2.0, 1.0)
    return {{"x_after_the_call": to_plain(x)}}
'''

MUTANTS = {  # name: (mistake, the check that catches it, body[, the contract kind it breaks])
    "no_shift": ("forgets the shift.", "matches_reference[float64]", "return x * scale"),
    "shift_then_scale": ("shifts before scaling.", "matches_reference[float64]",
                         "return (x + shift) * scale"),
    "ignores_scale": ("never scales.", "matches_reference[float64]", "return x + shift"),
    "subtracts_shift": ("subtracts the shift.", "matches_reference[float64]",
                        "return x * scale - shift"),
    "always_float64": ("returns float64 whatever x's dtype.", "matches_reference[float32]",
                       "return np.asarray(x, np.float64) * scale + shift", "dtypes"),
    "updates_x_in_place": ("scales and shifts the caller's array in place.",
                           "leaves_inputs_unchanged[float64]",
                           "x *= scale\n    x += shift\n    return x", "unchanged"),
    "returns_a_list": ("returns a list, not an array.", "matches_reference[float32]",
                       "return (x * scale + shift).tolist()", "returns"),
    "flattens_the_output": ("returns a flat array.", "matches_reference[float64]",
                            "return (x * scale + shift).reshape(-1)"),
    "squeezes_size_one_axes": ("drops axes of size 1.", "batch_of_one[float64]",
                               "return np.squeeze(x * scale + shift)"),
}

MUTANT = '''\
"""Mistake: scale_shift {mistake}"""
{imports}
CAUGHT_BY = ("scale_shift.{check}",)
{contract}

def scale_shift(x, scale, shift):
    {body}
'''

FIGURES = '''\
"""{number} figures: the placeholder `scale_shift` on a line (scaffolded; replace with the
topic's own figures, each registered with `@figure`)."""

from __future__ import annotations

from types import ModuleType

import numpy as np
from matplotlib.figure import Figure

from autograder.figures.common import figure, panels, style

TOPIC = "{module}"


@figure(TOPIC, "scale_shift.png", needs=("scale_shift",))
def scale_shift_line(m: ModuleType) -> Figure:
    """Your `scale_shift` on -3..3 with scale 1.5 and shift -0.25, beside its input."""
    x = np.linspace(-3.0, 3.0, 61)
    fig, (ax,) = panels(1, title="{module}: scale_shift")
    ax.plot(x, x, color="gray", linestyle="--", label="x")
    ax.plot(x, m.scale_shift(x, 1.5, -0.25), color="C0", label="scale_shift(x, 1.5, -0.25)")
    style(ax, "scale and shift", "x", "value", legend=True)
    return fig
'''

GRADING = '''
[topics.{module}]
time_limit_s = 60    # wall clock for the topic's grading child (graded mode)
memory_mb = 4096     # memory limit of that child (it imports torch before the submission)

[topics.{module}.points]
scale_shift = 100

[topics.{module}.weights]

[topics.{module}.tolerance]
'''


class ScaffoldError(ValueError):
    """The topic cannot be created as asked; the message says why."""


def _insert_before_closing(text: str, opening: str, closing: str, line: str, where: str) -> str:
    """`line` inserted before the first `closing` line after the `opening` line."""
    start = text.find(opening)
    end = text.find(closing, start)
    if start < 0 or end < 0:
        raise ScaffoldError(f"{where}: cannot find where the topics are listed")
    return text[:end] + line + text[end:]


def _edit(path: Path, change) -> None:
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def _register(root: Path, module: str, title: str, number: str) -> None:
    _edit(root / "autograder" / "course.py", lambda text: _insert_before_closing(
        text, "TOPICS: dict[str, Topic] = {", "    ]\n}",
        f'        Topic("{number}", "{module}",\n              {title!r},\n'
        "              _policy(NUMPY)),\n", "autograder/course.py"))
    _edit(root / "grading_config" / "grading.toml",
          lambda text: text.rstrip("\n") + "\n" + GRADING.format(module=module))
    _edit(root / "tests" / "test_figures.py", lambda text: _insert_before_closing(
        text, "EXPECTED = {", "\n}\n", f'\n    "{module}": ["scale_shift.png"],',
        "tests/test_figures.py"))

    def makefile(text: str) -> str:
        found = re.search(r"^TOPICS := .*?(?=\n\n)", text, re.M | re.S)
        if not found:
            raise ScaffoldError("autograder/student/Makefile: no TOPICS list")
        return text[:found.end()] + f" \\\n\t{module}" + text[found.end():]

    _edit(root / "autograder" / "student" / "Makefile", makefile)

    def table_row(row: str, where: str):
        def add(text: str) -> str:
            rows = list(re.finditer(r"^\| 5-\d\d.*\|$", text, re.M))
            if not rows:
                raise ScaffoldError(f"{where}: no table of topics")
            return text[:rows[-1].end()] + "\n" + row + text[rows[-1].end():]
        return add

    _edit(root / "autograder" / "student" / "README.md",
          table_row(f"| {number} | `{module}.py` | {title} |", "autograder/student/README.md"))
    _edit(root / "README.md",
          table_row(f"| {number} {title} | `{module}.py` | scaffolded |", "README.md"))


def new_topic(module: str, title: str, number: str, root: Path = ROOT,
              generate: bool = True) -> list[Path]:
    """Create the topic's files and register it; returns the files written."""
    if not module.isidentifier() or keyword.iskeyword(module) or module != module.lower():
        raise ScaffoldError(f"{module!r}: a topic module is a lower-case Python identifier")
    if module in TOPICS:
        raise ScaffoldError(f"topic {module} exists already")
    if not re.fullmatch(r"\d-\d\d", number):
        raise ScaffoldError(f"--number {number!r}: write it like 5-11")
    if any(topic.number == number for topic in TOPICS.values()):
        raise ScaffoldError(f"topic number {number} is taken")
    if not title.strip() or len(title) > 80 or "\n" in title or "|" in title:
        raise ScaffoldError("--title: one line of at most 80 characters, without '|'")
    fields = {"module": module, "title": title, "number": number}
    folder = root / "autograder" / "topics" / module
    files = {
        root / "solutions" / f"{module}.py": SOLUTION.format(**fields),
        root / "exercises" / f"{module}.md": GUIDE.format(**fields),
        folder / "__init__.py": f'"""{number} {module}: {title}."""\n',
        folder / "public.py": PUBLIC.format(**fields),
        folder / "figures.py": FIGURES.format(**fields),
        folder / "hidden" / "__init__.py": f'"""What grades {number} and never ships."""\n',
        folder / "hidden" / "checks.py": HIDDEN.format(**fields),
    }
    for name, (mistake, check, body, *kind) in MUTANTS.items():
        files[folder / "hidden" / "mutants" / f"{name}.py"] = MUTANT.format(
            mistake=mistake, check=check, body=body,
            contract=f'CONTRACT = "{kind[0]}"\n' if kind else "",
            imports="\nimport numpy as np\n" if "np." in body else "")
    existing = [path for path in files if path.exists()]
    if existing:
        raise ScaffoldError(f"{existing[0].relative_to(root)} exists already")
    _register(root, module, title, number)
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if generate:  # fresh processes: they import the topic list just edited
        for command in (["-m", "autograder", "stubs"], ["-m", "autograder.figures.notebooks"]):
            subprocess.run([sys.executable, *command], cwd=root, check=True)
    return list(files)


def main(module: str, title: str, number: str) -> int:
    try:
        written = new_topic(module, title, number)
    except ScaffoldError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"topic {number} {module} scaffolded; written:")
    for path in written:
        print(f"  {path.relative_to(ROOT)}")
    print("registered in: autograder/course.py, grading_config/grading.toml, README.md, "
          "autograder/student/Makefile and README.md, tests/test_figures.py")
    print(f"next (CONTRIBUTING.md, 'Adding a topic'): python -m autograder verify --topic {module}"
          f"; replace the placeholder; make stubs notebooks gallery; "
          f"python -m autograder measure --topic {module}")
    return 0
