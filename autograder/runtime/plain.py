"""Plain data: the only things a probe may return.

Plain data is `None`, `bool`, `int`, `float`, `str`, NumPy arrays of bool/int/float dtype, and
lists and dicts (string keys) of these, with exact types: no subclasses, no objects with behaviour.
A probe converts what the implementation returned with `to_plain`; compares only ever see plain
data, so they never touch an object that came from student code.

`encode`/`decode` turn plain data into bytes and back without pickle (a JSON header plus raw array
buffers). Graded mode sends probe data over a pipe this way; local mode round-trips through the same
codec, so a probe that works locally is known to survive graded mode.
"""

from __future__ import annotations

import json
import math
import struct
import sys
from typing import Any

import numpy as np

MAGIC = b"NNFPLAIN1\n"
ARRAY_TAG = "__ndarray__"
ARRAY_KINDS = "biuf"  # bool, signed and unsigned integers, floats
MAX_DEPTH = 32

Plain = Any  # documentation alias: a value that `validate` accepts


class NotPlainError(TypeError):
    """A probe returned (or bytes decoded to) something that is not plain data."""


def to_plain(obj: object, _depth: int = 0) -> Plain:
    """Convert tensors, arrays, NumPy scalars, tuples and dicts to plain data (copies arrays)."""
    if _depth > MAX_DEPTH:  # also stops a list that contains itself
        raise NotPlainError(f"plain data nested deeper than {MAX_DEPTH} levels")
    torch = sys.modules.get("torch")  # only present if the object could be a tensor
    if torch is not None and isinstance(obj, torch.Tensor):
        tensor = obj.detach().cpu()
        if tensor.dtype == torch.bfloat16:
            tensor = tensor.float()
        # `torch.Tensor(tensor)` would keep a subclass; `.numpy()` of a plain view does not.
        return np.array(tensor.as_subclass(torch.Tensor).numpy(), copy=True, subok=False)
    if isinstance(obj, np.ndarray):
        return np.array(obj, copy=True, subok=False)
    if isinstance(obj, np.generic):
        return obj.item()
    if obj is None or type(obj) in (bool, int, float, str):
        return obj
    if isinstance(obj, int):  # IntEnum and other subclasses become a plain int
        return int(obj)
    if isinstance(obj, float):
        return float(obj)
    if isinstance(obj, (list, tuple)):
        return [to_plain(item, _depth + 1) for item in obj]
    if isinstance(obj, dict):
        return {str(key): to_plain(value, _depth + 1) for key, value in obj.items()}
    raise NotPlainError(f"cannot turn a {type(obj).__name__} into plain data")


def validate(obj: Plain, _depth: int = 0) -> Plain:
    """Return `obj` unchanged if it is plain data with exact types, else raise NotPlainError."""
    if _depth > MAX_DEPTH:
        raise NotPlainError(f"plain data nested deeper than {MAX_DEPTH} levels")
    kind = type(obj)
    if obj is None or kind in (bool, int, float, str):
        return obj
    if kind is np.ndarray:
        if obj.dtype.kind not in ARRAY_KINDS or obj.dtype.hasobject:
            raise NotPlainError(f"array dtype {obj.dtype} is not bool, integer or float")
        return obj
    if kind is list:
        for item in obj:
            validate(item, _depth + 1)
        return obj
    if kind is dict:
        for key, value in obj.items():
            if type(key) is not str:
                raise NotPlainError(f"dict key {key!r} is not a str")
            if key == ARRAY_TAG:
                raise NotPlainError(f"dict key {ARRAY_TAG!r} is reserved")
            validate(value, _depth + 1)
        return obj
    raise NotPlainError(f"{kind.__module__}.{kind.__qualname__} is not plain data")


def encode(obj: Plain) -> bytes:
    """Serialise plain data: MAGIC, header length (8 bytes), JSON header, array buffers."""
    buffers: list[bytes] = []

    def describe(value: Plain) -> object:
        if type(value) is np.ndarray:
            data = np.ascontiguousarray(value).tobytes()
            offset = sum(len(b) for b in buffers)
            buffers.append(data)
            spec = {"dtype": value.dtype.str, "shape": list(value.shape), "offset": offset}
            return {ARRAY_TAG: spec | {"nbytes": len(data)}}
        if type(value) is list:
            return [describe(item) for item in value]
        if type(value) is dict:
            return {key: describe(item) for key, item in value.items()}
        return value

    header = json.dumps(describe(validate(obj)), allow_nan=True).encode()
    return MAGIC + struct.pack("<Q", len(header)) + header + b"".join(buffers)


def decode(data: bytes, max_header: int | None = None) -> Plain:
    """Inverse of `encode`; every field is checked, so hostile bytes give NotPlainError.
    `max_header` bounds the JSON part (arrays travel outside it), so parsing stays cheap."""
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 8:
        raise NotPlainError("bytes do not start with the plain-data header")
    start = len(MAGIC) + 8
    (header_len,) = struct.unpack("<Q", data[len(MAGIC) : start])
    if start + header_len > len(data):
        raise NotPlainError("plain-data header runs past the end of the bytes")
    if max_header is not None and header_len > max_header:
        raise NotPlainError(f"plain-data header of {header_len} bytes is over {max_header}")
    try:
        header = json.loads(data[start : start + header_len])
    except (ValueError, RecursionError) as error:
        raise NotPlainError(f"plain-data header is not JSON: {error}") from None
    blob = memoryview(data)[start + header_len :]

    def build(value: object, depth: int) -> Plain:
        if depth > MAX_DEPTH:
            raise NotPlainError(f"plain data nested deeper than {MAX_DEPTH} levels")
        if type(value) is dict and ARRAY_TAG in value:
            return _array(value[ARRAY_TAG], blob)
        if type(value) is dict:
            return {key: build(item, depth + 1) for key, item in value.items()}
        if type(value) is list:
            return [build(item, depth + 1) for item in value]
        return value

    return validate(build(header, 0))


def _array(spec: object, blob: memoryview) -> np.ndarray:
    # Every field is checked with exact types and Python-int arithmetic (NumPy's int64 products
    # can overflow and wrap) before NumPy sees any of it.
    try:
        if type(spec) is not dict or type(spec.get("dtype")) is not str:
            raise TypeError("the dtype must be a string")
        dtype = np.dtype(spec["dtype"])
        shape, offset, nbytes = spec["shape"], spec["offset"], spec["nbytes"]
        if type(shape) is not list or not all(type(n) is int and n >= 0 for n in shape):
            raise ValueError("the shape must be a list of non-negative integers")
        if type(offset) is not int or type(nbytes) is not int:
            raise ValueError("offset and nbytes must be integers")
    except (TypeError, KeyError, ValueError, OverflowError) as error:
        raise NotPlainError(f"malformed array description: {error}") from None
    if dtype.kind not in ARRAY_KINDS or dtype.hasobject or dtype.fields is not None:
        raise NotPlainError(f"array dtype {dtype} is not bool, integer or float")
    if offset < 0 or nbytes < 0 or offset + nbytes > len(blob):
        raise NotPlainError("array description points outside the data")
    if math.prod(shape) * dtype.itemsize != nbytes:
        raise NotPlainError("array shape and byte count disagree")
    return np.frombuffer(blob[offset : offset + nbytes], dtype=dtype).reshape(shape).copy()


def roundtrip(obj: Plain) -> Plain:
    """What graded mode's parent would receive for `obj`."""
    return decode(encode(obj))
