"""What a probe's run comes to, the same on both sides of the sandbox: its status, the outcome a
check gets, the score of a list of outcomes, and `collect`, which runs a probe and classifies what
happened (data, not implemented, the implementation's error). The grading child uses `collect` on
each probe; local mode and the trusted parent use the rest.
"""

from __future__ import annotations

import difflib
import os
import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cache
from types import ModuleType

from autograder.runtime import plain
from autograder.runtime.check import Check, ProbeError
from autograder.runtime.plain import Plain


class Status(StrEnum):
    PASSED = "passed"
    FAILED = "failed"  # the compare rejected the data
    NOT_IMPLEMENTED = "not implemented"  # the probe hit NotImplementedError
    ERROR = "error"  # the implementation raised, returned non-plain data, or could not load
    NOT_RUN = "not run"  # the check needs CUDA and this machine has none


@dataclass(frozen=True)
class Outcome:
    check: Check
    status: Status
    message: str = ""
    # Graded mode: the message was written by the grader, or by student code before it saw any
    # hidden input, so feedback may show it even for a hidden check.
    trusted_message: bool = False

    @property
    def passed(self) -> bool:
        return self.status is Status.PASSED

    def render(self) -> str:
        """The failure text a student reads: what failed, on what input, by how much, and a hint."""
        check = self.check
        if self.status is Status.NOT_IMPLEMENTED:
            return f"NOT IMPLEMENTED {check.function}: {self.message}"
        lines = [f"{self.status.upper()} {check.id} ({check.visibility} check of {check.function})"]
        if check.case:
            lines.append(f"  input: {check.case}")
        if self.message:
            lines.append(f"  {self.message}")
        if self.status in (Status.FAILED, Status.ERROR):
            lines.append(f"  hint: {check.hint}")
        return "\n".join(lines)


def score(outcomes: list[Outcome]) -> tuple[float, float]:
    """(points earned, points possible) over the checks that ran: not-run checks count neither
    for nor against."""
    ran = [o for o in outcomes if o.status is not Status.NOT_RUN]
    return sum(o.check.points for o in ran if o.passed), sum(o.check.points for o in ran)


def credit(outcomes: list[Outcome]) -> list[Outcome]:
    """The outcomes, with each passed property check (`Check.is_property`: one whose compare
    needs no expected data, a flag or a relation the probe reports, "raised ValueError", "the
    same output for the same generator seed"; or a contract check of types, dtypes, arguments
    left unchanged, errors, generator use, restored state or keys) turned into a fail where its
    function passed no check of its values: such a property alone can be satisfied without
    computing anything, so it earns nothing on its own. A function that has no value check that
    ran keeps its property checks as they are."""
    def value_check(outcome: Outcome) -> bool:
        return not outcome.check.is_property and outcome.status is not Status.NOT_RUN

    valued = {o.check.function for o in outcomes if value_check(o)}
    working = {o.check.function for o in outcomes if value_check(o) and o.passed}
    return [replace(o, status=Status.FAILED, trusted_message=True, message=(
                f"passed, but not credited: a property check counts once {o.check.function} "
                "also passes a check of its values"))
            if o.passed and o.check.is_property and o.check.function in valued
            and o.check.function not in working else o for o in outcomes]


@cache
def cuda_available() -> bool:
    """Whether CUDA checks can run here. Where they can, CUDA is first made to compute as the
    float64 CPU references assume: no TF32 in matmuls and convolutions, deterministic kernels
    (cuBLAS needs its workspace setting for that, before its first call). An op with no
    deterministic kernel warns rather than fails: a correct answer is not charged for it."""
    import torch

    if not torch.cuda.is_available():
        return False
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cudnn.benchmark = False
    torch.use_deterministic_algorithms(True, warn_only=True)
    return True


def collect(probe: Callable[[], Plain], impl: ModuleType,
            function: str) -> tuple[Status | None, Plain]:
    """Run a probe: `(None, plain data)`, or `(status, message)` when it gave no data. The same
    code classifies a probe in local mode and inside the grading sandbox."""
    try:
        return None, plain.to_plain(probe())
    except NotImplementedError as error:
        return Status.NOT_IMPLEMENTED, _first_line(error) or function
    except ProbeError as error:
        return Status.ERROR, str(error)
    except plain.NotPlainError as error:
        return Status.ERROR, f"returned something that is not data: {error}"
    except Exception as error:  # the implementation raised: report it, briefly
        return Status.ERROR, describe_exception(error, impl)


def describe_exception(error: BaseException, impl: ModuleType) -> str:
    """`ValueError: msg (raised at regularization.py:42 in batch_norm)`: the deepest frame in the
    implementation's file, so the student sees their line, not the harness's. A name the module
    does not define is said in the student's terms, never with the loader's module name."""
    if isinstance(error, AttributeError) and getattr(error, "obj", None) is impl and error.name:
        return missing_name(impl, error.name)
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if f.filename == getattr(impl, "__file__", None)]
    where = ""
    if frames:
        frame = frames[-1]
        where = f" (raised at {frame.filename.rsplit('/', 1)[-1]}:{frame.lineno} in {frame.name})"
    text = _LOADER_NAME.sub(r"\1", _first_line(error))
    return f"raised {type(error).__name__}: {text}{where}"


# The name local mode gives an imported module (autograder/impl.py): `_nnf_impl_3_losses`.
_LOADER_NAME = re.compile(r"\b_nnf_impl_\d+_(\w+)")


def missing_name(impl: ModuleType, name: str) -> str:
    """`losses.py has no kl_div; did you mean kl_divergence?`, with the rule behind it."""
    file = os.path.basename(getattr(impl, "__file__", "") or "") or "the module"
    defined = [n for n in vars(impl) if not n.startswith("_")]
    close = difflib.get_close_matches(name, defined, n=1, cutoff=0.6)
    guess = f"; did you mean {close[0]}?" if close else "."
    return (f"{file} has no {name}{guess} The checks call every function and class by the name "
            "the stub gives it.")


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else ""
