"""Helpers for writing probes of torch and NumPy implementations: seeded inputs, the output's facts
as plain data, and expected exceptions. Probes run wherever the implementation runs."""

from __future__ import annotations

import contextlib
import statistics
import time
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch

from autograder.runtime import guard
from autograder.runtime.check import ProbeError
from autograder.runtime.plain import Plain, to_plain

# Bound when the runtime loads, before the child imports any student code.
_clock = time.perf_counter


def speed_against(implementation: Callable[[], Any], library: Callable[[], Any], device: str,
                  repeats: int = 5) -> dict[str, float]:
    """Median seconds of each callable over `repeats` calls after one warm-up, interleaved so
    that a load on the machine slows both alike; CUDA is synchronised around every call. The
    library's op runs with the library-use guard suspended (it is the grader's yardstick)."""
    sync = torch.cuda.synchronize if device.startswith("cuda") else (lambda: None)
    times: dict[str, list[float]] = {"implementation": [], "library": []}
    for round_ in range(repeats + 1):
        for name, call in (("implementation", implementation), ("library", library)):
            # the guard is lifted and put back outside the timed window
            with guard.suspended() if name == "library" else contextlib.nullcontext():
                sync()
                start = _clock()
                call()
                sync()
                elapsed = _clock() - start
            if round_:
                times[name].append(elapsed)
    return {f"{name}_s": statistics.median(values) for name, values in times.items()}


def generator(seed: int, device: str = "cpu") -> torch.Generator:
    return torch.Generator(device=device).manual_seed(seed)


def randn(shape: Sequence[int], seed: int, dtype: torch.dtype = torch.float64,
          device: str = "cpu", noncontiguous: bool = False) -> torch.Tensor:
    """Standard-normal data from a private CPU generator, rounded to float32 values so a float32
    variant and its float64 reference see exactly the same numbers. `noncontiguous` returns a
    transposed view (same values, permuted strides)."""
    shape = tuple(shape)
    drawn = shape[::-1] if noncontiguous else shape
    x = torch.randn(drawn, generator=generator(seed), dtype=torch.float64).float()
    if noncontiguous:
        x = x.permute(*reversed(range(len(shape))))
    return x.to(dtype=dtype, device=device)  # .to keeps a permuted view's strides


def tensor_out(value: object, function: str, like: torch.Tensor) -> dict[str, Any]:
    """A returned tensor as plain data: values in float64 (judged against a float64 reference with
    the variant's tolerance), and whether it kept the dtype and device of `like`, its input."""
    if not isinstance(value, torch.Tensor):
        raise ProbeError(f"{function} returned {type(value).__name__}, expected a torch.Tensor")
    return {"values": to_plain(value.detach().to(torch.float64)),
            "kept_dtype": value.dtype == like.dtype,
            "kept_input_device": value.device == like.device}


def tensors_out(values: dict[str, torch.Tensor], function: str) -> dict[str, Any]:
    """Several returned tensors (gradients, buffers) as float64 values."""
    out = {}
    for name, value in values.items():
        if not isinstance(value, torch.Tensor):
            raise ProbeError(f"{function}: {name} is {type(value).__name__}, expected a tensor")
        out[name] = to_plain(value.detach().to(torch.float64))
    return out


def keyed(value: object, keys: Sequence[str], what: str) -> dict:
    """`value`, a dict the implementation returned, if it holds every one of `keys`; otherwise a
    ProbeError saying what came back instead (`what` names the returning call)."""
    if not isinstance(value, dict):
        raise ProbeError(f"{what} returned {type(value).__name__}, expected a dict with keys "
                         f"{list(keys)}")
    missing = [key for key in keys if key not in value]
    if missing:
        raise ProbeError(f"{what} returned a dict without {missing}")
    return value


def scalar(value: object, what: str) -> float | int | None:
    """A number the implementation stored or returned (Python, NumPy or a one-element tensor)."""
    if value is None or type(value) in (int, float):
        return value
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        return value.item()
    if isinstance(value, (np.ndarray, np.generic)) and value.size == 1:
        return value.item()
    if isinstance(value, (int, float)):  # bool, IntEnum and other subclasses
        return float(value) if isinstance(value, float) else int(value)
    raise ProbeError(f"{what} is {type(value).__name__}, expected a number")


def state_entries(module: torch.nn.Module, names: Sequence[str],
                  function: str) -> dict[str, torch.Tensor]:
    """Named entries of `module.state_dict()`, with a clear message for a missing one."""
    state = module.state_dict()
    missing = [name for name in names if name not in state]
    if missing:
        raise ProbeError(f"{function}.state_dict() has no {missing}: register parameters as "
                         "nn.Parameter attributes and statistics with register_buffer")
    return {name: state[name] for name in names}


def raised(call: Callable[[], object]) -> str | None:
    """The name of the exception `call` raised (None if it returned). NotImplementedError passes
    through, so an unimplemented function reads as not implemented, not as a wrong exception."""
    try:
        call()
    except NotImplementedError:
        raise
    except Exception as error:  # any exception is an answer here: the check judges its type
        return type(error).__name__
    return None


# ---- contracts: exact types and arguments left unchanged ----------------------------------------

MAX_ITEMS = 64  # a returned container's first items whose types are reported


def type_names(value: object, _depth: int = 0) -> Plain:
    """The exact types of what an implementation returned, as plain data with the same structure:
    each leaf becomes `type(x).__name__` ('float', not 'float64': a NumPy scalar is not the Python
    float a docstring promises); a dict becomes {"type": "dict", "keys": its sorted keys, "values":
    the types of its values}, so an extra or missing key shows; a list or tuple becomes {"type":
    ..., "length": n, "items": the types of its first MAX_ITEMS items}. Dtypes are not included:
    the expected side runs in float64 (dtype checks compare `kept_dtype`)."""
    if _depth > 8:
        return type(value).__name__
    if type(value) is dict:
        keys = sorted(str(key) for key in value)
        return {"type": "dict", "keys": keys,
                "values": {str(k): type_names(v, _depth + 1) for k, v in value.items()}}
    if type(value) in (list, tuple):
        return {"type": type(value).__name__, "length": len(value),
                "items": [type_names(v, _depth + 1) for v in value[:MAX_ITEMS]]}
    return type(value).__name__


def _kind_of(value: object) -> str:
    for kind, types in (("tensor", torch.Tensor), ("array", np.ndarray),
                        ("module", torch.nn.Module), ("optimizer", torch.optim.Optimizer),
                        ("dict", dict), ("list", list), ("tuple", tuple)):
        if isinstance(value, types):
            return kind
    return "other"


def _snapshot(value: object) -> tuple:
    """A deep copy to compare against after the call (tensors detached and cloned; modules and
    optimizers by their state dicts)."""
    kind = _kind_of(value)
    if kind == "tensor":
        return (kind, value.detach().clone(), value.dtype, value.device, value.shape,
                value.requires_grad)
    if kind == "array":
        return (kind, value.copy(), value.dtype, value.shape)
    if kind == "module":
        return (kind, _snapshot(value.state_dict()), value.training)
    if kind == "optimizer":
        return (kind, _snapshot(value.state_dict()))
    if kind == "dict":
        return (kind, {key: _snapshot(item) for key, item in value.items()})
    if kind in ("list", "tuple"):
        return (kind, [_snapshot(item) for item in value])
    return (kind, value)


def same_bits(a: object, b: object) -> bool:
    """Whether two arrays or tensors hold the same bits (NaN equals the same NaN, -0.0 differs
    from 0.0), compared as bytes: a patched np.array_equal or torch.equal cannot change it."""
    def raw(value: object) -> bytes:
        if isinstance(value, torch.Tensor):  # as bytes: NumPy has no bfloat16
            value = value.detach().cpu().contiguous().reshape(-1).view(torch.uint8).numpy()
        return np.ascontiguousarray(value).tobytes()
    return raw(a) == raw(b)


def _same(before: object, after: object) -> bool:
    kind = before[0]
    if kind != _kind_of(after):
        return False
    if kind == "tensor":
        _, data, dtype, device, shape, requires_grad = before
        return (after.dtype == dtype and after.device == device and after.shape == shape
                and after.requires_grad == requires_grad and same_bits(after, data))
    if kind == "array":
        _, data, dtype, shape = before
        return after.dtype == dtype and after.shape == shape and same_bits(after, data)
    if kind == "module":
        return after.training == before[2] and _same(before[1], after.state_dict())
    if kind == "optimizer":
        return _same(before[1], after.state_dict())
    if kind == "dict":
        return (list(before[1]) == list(after)
                and all(_same(item, after[key]) for key, item in before[1].items()))
    if kind in ("list", "tuple"):
        return len(before[1]) == len(after) and all(
            _same(item, other) for item, other in zip(before[1], after, strict=True))
    try:
        return bool(before[1] == after)
    except Exception:  # an object without a meaningful ==: only its identity is known
        return before[1] is after


def changed_arguments(function: Callable[..., Any], /, **arguments: Any) -> dict[str, Any]:
    """Call `function(**arguments)` and report which arguments it modified (values, dtype, shape,
    device, a module's parameters, buffers or mode, a dict's keys), whether it returned or raised:
    {"raised": the exception's type name or None, "changed": sorted argument names} (a tensor's
requires_grad flag counts as part of it). A docstring
    that promises the inputs stay untouched, also when it raises, is checked with this."""
    return call_and_changes(function, **arguments)[1]


def call_and_changes(function: Callable[..., Any], /, *, by_position: bool = False,
                     **arguments: Any) -> tuple[Any, dict[str, Any]]:
    """`changed_arguments`, with what the call returned (None if it raised): (returned, report).
    `by_position`: pass the arguments positionally, in the order given, so that a student's own
    parameter names do not matter."""
    before = {name: _snapshot(value) for name, value in arguments.items()}
    returned = []

    def call() -> None:
        returned.append(function(*arguments.values()) if by_position else function(**arguments))

    error = raised(call)
    changed = sorted(name for name, value in arguments.items() if not _same(before[name], value))
    return (returned[0] if returned else None), {"raised": error, "changed": changed}


# ---- progress bars ----------------------------------------------------------------------------

def stderr_on_a_terminal(call: Callable[[], Any]) -> tuple[Any, str]:
    """call() with CI unset and stderr a stand-in that says it is a terminal, where
    data.progress's progress_bar draws: (what call returned, what it wrote to stderr).
    Meanwhile tqdm runs no monitor thread and draws under a lock of this call's own: its default
    lock is shared with every process forked after it was made (the mutation judge forks one per
    mutant), and a bar that raises while drawing (a unit that is not a string) leaves it held."""
    import io
    import os
    import threading

    from tqdm import tqdm

    class Terminal(io.StringIO):  # defined in the call: a probe's helpers ship as functions
        def isatty(self) -> bool:
            return True

    terminal, ci = Terminal(), os.environ.pop("CI", None)
    interval, lock = tqdm.monitor_interval, vars(tqdm).get("_lock")
    tqdm.monitor_interval = 0
    tqdm.set_lock(threading.RLock())
    try:
        with contextlib.redirect_stderr(terminal):
            result = call()
    finally:
        tqdm.monitor_interval = interval
        if lock is None:
            del tqdm._lock
        else:
            tqdm.set_lock(lock)
        if ci is not None:
            os.environ["CI"] = ci
    return result, terminal.getvalue()


# ---- NumPy implementations ----------------------------------------------------------------------

def rng_normal(shape: Sequence[int], seed: int, dtype: Any = np.float64, scale: float = 1.0,
               noncontiguous: bool = False) -> np.ndarray:
    """N(0, scale^2) NumPy data from `np.random.default_rng(seed)`, rounded to float32 values so a
    float32 variant and its float64 reference see exactly the same numbers. `noncontiguous`
    returns a transposed view (same values, reversed strides)."""
    shape = tuple(shape)
    drawn = shape[::-1] if noncontiguous else shape
    x = (np.random.default_rng(seed).standard_normal(drawn) * scale).astype(np.float32)
    x = x.astype(dtype)
    return x.transpose() if noncontiguous else x


def array_out(value: object, function: str, like: np.ndarray) -> dict[str, Any]:
    """A returned NumPy array as plain data: values in float64 (judged against a float64
    reference with the variant's tolerance), and whether it kept the dtype and shape of `like`,
    its input."""
    if not isinstance(value, np.ndarray):
        raise ProbeError(f"{function} returned {type(value).__name__}, expected a NumPy array "
                         "(np.ndarray)")
    return {"values": to_plain(np.asarray(value, dtype=np.float64)),
            "kept_dtype": bool(value.dtype == like.dtype),
            "kept_shape": tuple(value.shape) == tuple(like.shape)}


def floating_point_warnings(function: Callable[..., Any], *args: Any,
                            **kwargs: Any) -> tuple[Any, list[str]]:
    """`function(*args, **kwargs)` with NumPy's floating-point errors (overflow, invalid value,
    divide by zero; not underflow, which stable code may hit) reported as warnings, and every
    warning raised during the call recorded: (result, ["RuntimeWarning: overflow encountered in
    exp", ...])."""
    with warnings.catch_warnings(record=True) as caught, \
            np.errstate(over="warn", invalid="warn", divide="warn", under="ignore"):
        warnings.simplefilter("always")
        result = function(*args, **kwargs)
    return result, [f"{w.category.__name__}: {w.message}" for w in caught]
