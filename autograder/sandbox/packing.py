"""Send a probe into the grading sandbox as bytecode, without the file it was written in.

A hidden check's file also holds its compare, tolerance and expected-data oracle, and the sandbox
must not be able to read any of that (docs/architecture.md, "Trust boundary"). So the trusted
parent ships only the probe function: its code object (`marshal`, same interpreter on both
sides), and the globals its code names, each described as plain data:
- a module: imported by name in the sandbox (`torch`, `numpy`, the public runtime);
- a function or class of the public runtime or a library: looked up by module and name;
- a function of the check file itself: shipped the same way, recursively;
- a constant: None, bool, int, float, str, tuples, lists and dicts of them, dtypes.
Anything else (an object of the check file, a hidden module) is refused with ShippingError, which
`tests/test_shipping.py` runs over every check of every topic.

The direction is parent to child only: the child's answers are plain data (`plain.decode`), never
code.
"""

from __future__ import annotations

import dis
import marshal
import types
from typing import Any

import numpy as np

from autograder.manifest import runtime_modules
from autograder.runtime.shipping import ShippingError, lookup

MAX_DEPTH = 8


def in_runtime(module: str) -> bool:
    """A module the sandbox can import by name: the runtime's, or a library's."""
    if module in runtime_modules():
        return True
    return module.split(".")[0] not in ("autograder", "data", "solutions", "exercises",
                                        "__main__")


def pack(function: types.FunctionType, _depth: int = 0) -> dict[str, Any]:
    """A probe function as plain data: bytecode plus the globals, defaults and closure it uses."""
    if _depth > MAX_DEPTH:
        raise ShippingError(f"{function.__qualname__}: helper functions nested too deeply")
    code = function.__code__
    names = _global_names(code)
    globals_ = {name: _value(function.__globals__[name], f"{function.__qualname__}: {name}",
                             _depth) for name in sorted(names) if name in function.__globals__}
    cells = [cell.cell_contents for cell in function.__closure__ or ()]
    where = function.__qualname__
    return {"name": function.__name__,
            "code": np.frombuffer(marshal.dumps(_anonymous(code)), dtype=np.uint8).copy(),
            "globals": globals_,
            "defaults": [_value(v, f"{where} default", _depth)
                         for v in function.__defaults__ or ()],
            "kwdefaults": {k: _value(v, f"{where} default", _depth)
                           for k, v in (function.__kwdefaults__ or {}).items()},
            "closure": [_value(v, f"{where} closure", _depth) for v in cells]}


def pack_params(params: dict[str, Any]) -> dict[str, Any]:
    return {name: _value(value, f"parameter {name}", 0) for name, value in params.items()}


def _anonymous(code: types.CodeType) -> types.CodeType:
    """The code without the path of the file it came from (tracebacks say `<probe>`)."""
    consts = tuple(_anonymous(c) if isinstance(c, types.CodeType) else c for c in code.co_consts)
    return code.replace(co_filename="<probe>", co_consts=consts)


def _global_names(code: types.CodeType) -> set[str]:
    """Names the code (and the lambdas and comprehensions inside it) loads as globals. Only real
    global loads count: `x.__name__` must not ship the check file's own `__name__`."""
    names = {i.argval for i in dis.get_instructions(code)
             if i.opname in ("LOAD_GLOBAL", "LOAD_NAME") and not i.argval.startswith("__")}
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _global_names(const)
    return names


def _value(value: Any, where: str, depth: int) -> dict[str, Any]:
    if value is None or type(value) in (bool, int, float, str):
        return {"kind": "value", "value": value}
    if type(value) in (list, tuple):
        return {"kind": type(value).__name__,
                "items": [_value(item, where, depth) for item in value]}
    if type(value) is dict and all(type(key) is str for key in value):
        return {"kind": "dict", "items": {k: _value(v, where, depth) for k, v in value.items()}}
    if isinstance(value, types.ModuleType):
        if not in_runtime(value.__name__):
            raise ShippingError(f"{where}: module {value.__name__} is not in the sandbox")
        return {"kind": "module", "name": value.__name__}
    if type(value).__module__ == "torch" and type(value).__name__ == "dtype":
        return {"kind": "torch_dtype", "name": str(value).removeprefix("torch.")}
    if isinstance(value, np.dtype):
        return {"kind": "numpy_dtype", "name": value.str}
    if isinstance(value, types.FunctionType) and (
            "<locals>" in value.__qualname__ or not in_runtime(value.__module__)):
        return {"kind": "function", "spec": pack(value, depth + 1)}
    if isinstance(value, (type, types.FunctionType, types.BuiltinFunctionType)):
        module, name = getattr(value, "__module__", None), value.__qualname__
        if module and in_runtime(module) and lookup(module, name) is value:
            return {"kind": "ref", "module": module, "name": name}
    raise ShippingError(f"{where}: a {type(value).__name__} cannot be sent to the sandbox; "
                        "probes may use modules, runtime functions, constants and dtypes")


