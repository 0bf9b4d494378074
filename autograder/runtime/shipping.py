"""Rebuild, in the grading sandbox, a probe the trusted parent sent as bytecode
(`autograder.sandbox.packing` packs it): its code object, and its globals looked up by name in the
runtime and the libraries. The direction is parent to child only: the child's answers are plain
data (`plain.decode`), never code.
"""

from __future__ import annotations

import builtins
import importlib
import marshal
import types
from typing import Any

import numpy as np


class ShippingError(TypeError):
    """A probe names something that cannot (or must not) be sent into the sandbox."""


def unpack(spec: dict[str, Any]) -> types.FunctionType:
    """The probe function again, with its globals rebuilt from the runtime and libraries."""
    code = marshal.loads(spec["code"].tobytes())
    namespace = {"__builtins__": builtins, "__name__": "probe"}
    namespace.update({name: _rebuild(value) for name, value in spec["globals"].items()
                      if not name.startswith("__")})
    cells = tuple(types.CellType(_rebuild(value)) for value in spec["closure"])
    function = types.FunctionType(code, namespace, spec["name"],
                                  tuple(_rebuild(v) for v in spec["defaults"]) or None,
                                  cells or None)
    function.__kwdefaults__ = {k: _rebuild(v) for k, v in spec["kwdefaults"].items()} or None
    return function


def unpack_params(params: dict[str, Any]) -> dict[str, Any]:
    return {name: _rebuild(value) for name, value in params.items()}


def lookup(module: str, qualname: str) -> Any:
    try:
        found: Any = importlib.import_module(module)
        for part in qualname.split("."):
            found = getattr(found, part)
    except (ImportError, AttributeError):
        return None
    return found


def _rebuild(value: dict[str, Any]) -> Any:
    kind = value["kind"]
    if kind == "value":
        return value["value"]
    if kind in ("list", "tuple"):
        items = [_rebuild(item) for item in value["items"]]
        return items if kind == "list" else tuple(items)
    if kind == "dict":
        return {key: _rebuild(item) for key, item in value["items"].items()}
    if kind == "module":
        return importlib.import_module(value["name"])
    if kind == "torch_dtype":
        import torch

        return getattr(torch, value["name"])
    if kind == "numpy_dtype":
        return np.dtype(value["name"])
    if kind == "function":
        return unpack(value["spec"])
    if kind == "ref":
        return lookup(value["module"], value["name"])
    raise ShippingError(f"unknown shipped value kind {kind!r}")
