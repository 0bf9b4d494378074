"""The library-use guard: where a topic's task is to write an operation by hand, the library's own
kernels for it are replaced, at PyTorch's dispatcher, by one that raises `LibraryUseError`. The
student's function then fails every check it is graded on, with a message that names the operator.

Why the dispatcher: every route to a kernel passes through it, whatever the spelling: a Python
call, an alias taken at import, a C function called from C (`functools.partial(torch.batch_norm,
...)()`, `map`, `operator.call`, `itertools.starmap`), an `OpOverload`, TorchScript, another
thread, and torch's own Python decompositions that end in the same operator. A profiler that
watches Python calls sees only some of these, and its report comes from the student's process,
where it can be forged; here nothing is reported: the forbidden kernel cannot produce an answer.

Why the student's code cannot undo it: the registrations belong to a `torch.library.Library` held
in this module's `_ACTIVE`. Removing or overriding a registration takes `torch.library`, `torch._C`,
`torch.ops` or a reference to that object, and the source rules (`autograder/sandbox/rules.py`)
refuse every one of those names, imports of `autograder` and every way to reach another module's
objects (frames, the garbage collector, the module table, dunder attributes); `tests/test_guard.py`
proves the guard on each spelling above and `tests/redteam/` attacks it with the rules off.

Which operators a topic forbids is the trusted side's decision (`autograder.course`); the child is
told in its "load" request. Local mode arms the same guard around each probe of the student's code.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

# Keys that may hold a kernel of an operator: a composite kernel is what runs on every backend
# (dropout on the CPU never reaches native_dropout), a backend kernel runs below autograd.
_KEYS = ("CompositeImplicitAutograd", "CompositeExplicitAutograd", "CPU", "CUDA")
_ACTIVE: list[object] = []  # the Library of the armed guard, if any
_OPS: list[str] = []  # the operators it forbids


class LibraryUseError(RuntimeError):
    """The implementation ran a library kernel its task is to write by hand."""


def _raiser(op: str):
    def kernel(*args, **kwargs):
        raise LibraryUseError(
            f"the library's own aten::{op} ran inside your code (F.{op}, torch.{op}, nn modules "
            "and other aliases all end there): this task is to write it from elementary tensor "
            "operations")
    return kernel


def arm(ops: Iterable[str]) -> None:
    """Replace every kernel of each named aten operator (all overloads) with one that raises.
    Names unknown to this version of torch are skipped (a CUDA-only or newer operator)."""
    disarm()
    ops = tuple(ops)
    if not ops:
        return
    import torch  # here: a topic that forbids no operator (NumPy) need not import torch

    library = torch.library.Library("aten", "IMPL")
    has_kernel = torch._C._dispatch_has_kernel_for_dispatch_key
    with warnings.catch_warnings():  # "overriding a registered kernel" is the point, not news
        warnings.simplefilter("ignore")
        for name in ops:
            packet = getattr(torch.ops.aten, name, None)
            if packet is None:
                continue
            for overload in packet.overloads():
                op = getattr(packet, overload)
                for key in _KEYS:
                    if has_kernel(op.name(), key):
                        library.impl(op, _raiser(name), key)
    _ACTIVE.append(library)
    _OPS[:] = ops


def disarm() -> None:
    """Give every forbidden operator its own kernels back."""
    while _ACTIVE:
        _ACTIVE.pop()._destroy()
    _OPS.clear()


@contextmanager
def suspended() -> Iterator[None]:
    """The library's kernels back for a block of the grader's own code that needs them (a speed
    check times the library's op beside the student's); no student code runs inside it."""
    ops = tuple(_OPS)
    disarm()
    try:
        yield
    finally:
        arm(ops)


@contextmanager
def armed(ops: Iterable[str]) -> Iterator[None]:
    """The guard around a block (local mode: around one probe of the student's code)."""
    arm(tuple(ops))
    try:
        yield
    finally:
        disarm()
