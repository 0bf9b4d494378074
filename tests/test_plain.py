"""Tests of autograder.runtime.plain: `to_plain`, `validate` and the pickle-free
`encode`/`decode`."""

from __future__ import annotations

import enum
import json
import pickle
import struct

import numpy as np
import pytest
import torch

from autograder.runtime import plain
from autograder.runtime.plain import (
    ARRAY_TAG,
    MAGIC,
    MAX_DEPTH,
    NotPlainError,
    decode,
    encode,
    roundtrip,
    to_plain,
    validate,
)

# --------------------------------------------------------------------------------------------
# helpers


class Color(enum.IntEnum):
    RED = 1
    GREEN = 2


class AlwaysEqual:
    """An object that claims to equal everything: must never pass as plain data."""

    def __eq__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return 0


class SubArray(np.ndarray):
    pass


class SubTensor(torch.Tensor):
    pass


def nested_list(levels: int) -> object:
    value: object = 1
    for _ in range(levels):
        value = [value]
    return value


def nested_dict(levels: int) -> object:
    value: object = 1
    for _ in range(levels):
        value = {"k": value}
    return value


def assert_identical(got: object, want: object) -> None:
    """Exact types, and arrays equal bit for bit (dtype string, shape, bytes)."""
    assert type(got) is type(want), (type(got), type(want))
    if type(want) is np.ndarray:
        assert got.dtype.str == want.dtype.str
        assert got.shape == want.shape
        assert got.tobytes() == np.ascontiguousarray(want).tobytes()
    elif type(want) is list:
        assert len(got) == len(want)
        for g, w in zip(got, want, strict=True):
            assert_identical(g, w)
    elif type(want) is dict:
        assert list(got) == list(want)
        for key in want:
            assert_identical(got[key], want[key])
    elif type(want) is float and want != want:
        assert got != got  # NaN
    else:
        assert got == want


def frame(header: bytes, blob: bytes = b"") -> bytes:
    """Bytes in the codec's layout around an arbitrary header."""
    return MAGIC + struct.pack("<Q", len(header)) + header + blob


def array_frame(spec: object, blob: bytes = b"\0" * 16) -> bytes:
    return frame(json.dumps({"x": {ARRAY_TAG: spec}}).encode(), blob)


def spec(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {"dtype": "<f8", "shape": [2], "offset": 0, "nbytes": 16}
    return base | fields


# --------------------------------------------------------------------------------------------
# to_plain: tensors


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64, torch.int64, torch.bool])
def test_to_plain_tensor_is_an_exact_copy(dtype):
    tensor = (torch.arange(12).reshape(3, 4) % 3).to(dtype)
    out = to_plain(tensor)
    assert type(out) is np.ndarray
    assert out.dtype == tensor.numpy().dtype
    assert out.shape == (3, 4)
    np.testing.assert_array_equal(out, tensor.numpy())
    assert not np.shares_memory(out, tensor.numpy())
    before = out.copy()
    tensor.zero_()  # changing the tensor afterwards does not reach the copy
    np.testing.assert_array_equal(out, before)


def test_to_plain_noncontiguous_tensor():
    base = torch.arange(24, dtype=torch.float64).reshape(4, 6)
    view = base.t()[::2]
    assert not view.is_contiguous()
    out = to_plain(view)
    assert type(out) is np.ndarray
    assert out.shape == (3, 4)
    np.testing.assert_array_equal(out, view.contiguous().numpy())
    assert not np.shares_memory(out, base.numpy())


def test_to_plain_tensor_requiring_grad():
    leaf = torch.linspace(-1, 1, 5, dtype=torch.float64, requires_grad=True)
    result = leaf * 2  # a non-leaf with a grad_fn too
    for tensor in (leaf, result):
        out = to_plain(tensor)
        assert type(out) is np.ndarray
        assert out.dtype == np.float64
        np.testing.assert_array_equal(out, tensor.detach().numpy())
        assert not np.shares_memory(out, tensor.detach().numpy())


def test_to_plain_bfloat16_becomes_float32():
    tensor = torch.tensor([1.5, -2.25, 3.0e10], dtype=torch.bfloat16)
    out = to_plain(tensor)
    assert type(out) is np.ndarray
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, tensor.float().numpy())


def test_to_plain_zero_dim_tensor():
    out = to_plain(torch.tensor(2.5, dtype=torch.float64))
    assert type(out) is np.ndarray
    assert out.shape == ()
    assert out.item() == 2.5


def test_to_plain_tensor_subclass_becomes_plain_ndarray():
    tensor = torch.arange(6, dtype=torch.float32).as_subclass(SubTensor)
    assert type(tensor) is SubTensor
    out = to_plain(tensor)
    assert type(out) is np.ndarray
    np.testing.assert_array_equal(out, np.arange(6, dtype=np.float32))
    validate(out)


def test_to_plain_ndarray_subclass_becomes_plain_ndarray_copy():
    array = np.arange(6, dtype=np.int64).reshape(2, 3).view(SubArray)
    out = to_plain(array)
    assert type(out) is np.ndarray
    np.testing.assert_array_equal(out, np.arange(6).reshape(2, 3))
    assert not np.shares_memory(out, array)
    array[0, 0] = 100
    assert out[0, 0] == 0


def test_to_plain_ndarray_is_a_copy():
    array = np.linspace(0, 1, 7)
    out = to_plain(array)
    assert type(out) is np.ndarray
    assert out is not array
    assert not np.shares_memory(out, array)
    np.testing.assert_array_equal(out, array)


# --------------------------------------------------------------------------------------------
# to_plain: scalars and containers


@pytest.mark.parametrize(("value", "kind", "expected"), [
    (np.float32(1.5), float, 1.5),
    (np.float64(-0.25), float, -0.25),
    (np.int64(7), int, 7),
    (np.int8(-3), int, -3),
    (np.uint16(65535), int, 65535),
    (np.bool_(True), bool, True),
    (np.bool_(False), bool, False),
])
def test_to_plain_numpy_scalars_become_python_scalars(value, kind, expected):
    out = to_plain(value)
    assert type(out) is kind
    assert out == expected


@pytest.mark.parametrize("value", [None, True, False, 0, -12, 3.5, float("inf"), "text", ""])
def test_to_plain_keeps_plain_scalars(value):
    out = to_plain(value)
    assert type(out) is type(value)
    assert out == value


def test_to_plain_intenum_becomes_int():
    out = to_plain(Color.GREEN)
    assert type(out) is int
    assert out == 2
    out = to_plain([Color.RED, {"c": Color.GREEN}])
    assert type(out[0]) is int
    assert type(out[1]["c"]) is int


def test_to_plain_tuples_become_lists():
    out = to_plain((1, (2.0, (np.int64(3),)), [4]))
    assert out == [1, [2.0, [3]], [4]]
    assert type(out) is list
    assert type(out[1]) is list
    assert type(out[1][1]) is list
    assert type(out[1][1][0]) is int


def test_to_plain_nested_dicts():
    value = {
        "y": torch.ones(2, 2),
        "state": {"running_var": torch.zeros(3, dtype=torch.float64), "step": np.int64(4)},
        "flags": (True, np.bool_(False)),
        "nothing": None,
    }
    out = to_plain(value)
    assert validate(out) is out
    assert list(out) == ["y", "state", "flags", "nothing"]
    assert type(out["y"]) is np.ndarray
    assert type(out["state"]["running_var"]) is np.ndarray
    assert out["state"]["step"] == 4
    assert type(out["state"]["step"]) is int
    assert out["flags"] == [True, False]
    assert out["nothing"] is None


def test_to_plain_dict_keys_become_strings():
    out = to_plain({1: "a", 2.5: "b", Color.GREEN: "c", None: "d"})
    assert out == {"1": "a", "2.5": "b", "2": "c", "None": "d"}
    assert all(type(key) is str for key in out)


@pytest.mark.parametrize("value", [
    object(),
    AlwaysEqual(),
    {1, 2},
    b"bytes",
    len,
    lambda: None,
    [1, object()],
    {"nested": {"bad": AlwaysEqual()}},
])
def test_to_plain_rejects_unsupported_objects(value):
    with pytest.raises(NotPlainError):
        to_plain(value)


def test_not_plain_error_is_a_type_error():
    assert issubclass(NotPlainError, TypeError)


# --------------------------------------------------------------------------------------------
# validate


@pytest.mark.parametrize("value", [
    None,
    True,
    0,
    2**80,
    -1.5,
    float("nan"),
    "ok",
    [],
    {},
    np.zeros(3),
    np.zeros((2, 0), dtype=np.float32),
    np.array(1.0),
    np.array([True, False]),
    np.arange(4, dtype=np.int8),
    np.arange(4, dtype=np.uint64),
    np.arange(4, dtype=np.float16),
    np.arange(4, dtype=">f8"),
    [1, [2.0, ["three", None]], {"a": np.ones(2)}],
    {"a": {"b": {"c": [np.zeros(1, dtype=bool)]}}},
])
def test_validate_accepts_plain_data_and_returns_it(value):
    assert validate(value) is value


@pytest.mark.parametrize("value", [
    np.arange(3).view(SubArray),
    np.array([object()], dtype=object),
    np.array([1 + 2j]),
    np.array(["abc"]),
    np.array([b"abc"]),
    np.zeros(2, dtype=[("a", "<f8")]),
    np.array(["2020-01-01"], dtype="datetime64[D]"),
    [np.array([None], dtype=object)],
])
def test_validate_rejects_non_plain_arrays(value):
    with pytest.raises(NotPlainError):
        validate(value)


@pytest.mark.parametrize("value", [
    {1: "a"},
    {("a",): 1},
    {None: 1},
    {"ok": {2: 3}},
])
def test_validate_rejects_non_string_keys(value):
    with pytest.raises(NotPlainError, match="not a str"):
        validate(value)


def test_validate_rejects_string_subclass_key():
    class Key(str):
        pass

    with pytest.raises(NotPlainError):
        validate({Key("a"): 1})


@pytest.mark.parametrize("value", [
    {ARRAY_TAG: 1},
    {"a": [{ARRAY_TAG: {"dtype": "<f8"}}]},
])
def test_validate_rejects_the_reserved_key(value):
    with pytest.raises(NotPlainError, match="reserved"):
        validate(value)


@pytest.mark.parametrize("value", [
    AlwaysEqual(),
    [AlwaysEqual()],
    {"a": AlwaysEqual()},
    (1, 2),
    {1, 2},
    b"bytes",
    np.float64(1.0),
    np.int64(1),
    np.bool_(True),
    Color.RED,
    torch.zeros(2),
    object(),
])
def test_validate_rejects_other_types(value):
    with pytest.raises(NotPlainError):
        validate(value)


def test_validate_depth_limit():
    assert validate(nested_list(MAX_DEPTH)) is not None
    assert validate(nested_dict(MAX_DEPTH)) is not None
    with pytest.raises(NotPlainError, match="deeper"):
        validate(nested_list(MAX_DEPTH + 1))
    with pytest.raises(NotPlainError, match="deeper"):
        validate(nested_dict(MAX_DEPTH + 1))
    with pytest.raises(NotPlainError):
        validate(nested_list(5000))  # far past the limit: an error, not a RecursionError


# --------------------------------------------------------------------------------------------
# encode / decode round trips


ROUND_TRIP_ARRAYS = {
    "f64": np.array([[1.0, -2.5], [np.pi, 1e-300]]),
    "f32": np.arange(6, dtype=np.float32).reshape(2, 3) / 7,
    "f16": np.array([0.5, 65504.0], dtype=np.float16),
    "i64": np.array([-(2**63), 2**63 - 1], dtype=np.int64),
    "i8": np.array([-128, 127], dtype=np.int8),
    "u8": np.arange(256, dtype=np.uint8),
    "u64": np.array([2**64 - 1], dtype=np.uint64),
    "bool": np.array([[True, False, True]]),
    "big_endian_f8": np.arange(5, dtype=">f8"),
    "big_endian_i4": np.arange(5, dtype=">i4") - 2,
    "zero_dim": np.array(3.25),
    "zero_dim_int": np.array(7, dtype=np.int16),
    "empty": np.zeros(0),
    "empty_2d": np.zeros((0, 3), dtype=np.int32),
    "empty_3d": np.ones((2, 0, 4), dtype=bool),
    "special": np.array([np.nan, np.inf, -np.inf, -0.0]),
    "fortran": np.asfortranarray(np.arange(12.0).reshape(3, 4)),
    "strided": np.arange(20.0)[::3],
    "transposed": np.arange(12, dtype=np.int64).reshape(3, 4).T,
}


@pytest.mark.parametrize("name", list(ROUND_TRIP_ARRAYS))
def test_round_trip_arrays(name):
    array = ROUND_TRIP_ARRAYS[name]
    out = decode(encode(array))
    assert type(out) is np.ndarray
    assert out.dtype.str == array.dtype.str
    assert out.shape == array.shape
    assert out.tobytes() == np.ascontiguousarray(array).tobytes()
    np.testing.assert_array_equal(out, array)
    assert out.flags.writeable
    assert out.flags.owndata


def test_round_trip_arrays_all_at_once():
    value = dict(ROUND_TRIP_ARRAYS)
    assert_identical(decode(encode(value)), value)


@pytest.mark.parametrize("value", [
    None,
    True,
    False,
    0,
    -17,
    2**70,
    1.5,
    -0.0,
    1e-310,
    float("inf"),
    float("-inf"),
    "",
    "unicode: é ∑ 🙂 \n \"quoted\"",
    [],
    {},
    [[], [[]], {}],
])
def test_round_trip_scalars_and_containers(value):
    assert_identical(decode(encode(value)), value)


def test_round_trip_nan_float():
    out = decode(encode({"a": float("nan"), "b": [float("nan")]}))
    assert type(out["a"]) is float
    assert out["a"] != out["a"]
    assert out["b"][0] != out["b"][0]


def test_round_trip_nested_structure():
    value = {
        "y": np.arange(6.0).reshape(2, 3),
        "state": {"running_mean": np.zeros(3, dtype=np.float32),
                  "running_var": np.ones(3, dtype=np.float32), "step": 3},
        "history": [1.0, float("inf"), None, "done", [np.array(True), {"deep": [np.zeros(0)]}]],
        "same_array_twice": [np.arange(3), np.arange(3)],
        "exact": True,
    }
    out = roundtrip(value)
    assert_identical(out, value)
    assert out["state"]["running_mean"] is not value["state"]["running_mean"]
    assert roundtrip(out) is not out


def test_round_trip_at_the_depth_limit():
    value = nested_list(MAX_DEPTH)
    assert decode(encode(value)) == value
    value = nested_dict(MAX_DEPTH - 1)
    value_with_array = value | {"x": np.arange(2)}
    assert_identical(decode(encode(value_with_array)), value_with_array)


def test_roundtrip_is_decode_of_encode():
    value = {"a": [np.arange(3, dtype=">i2"), 1.0]}
    assert_identical(roundtrip(value), decode(encode(value)))


def test_encode_layout():
    data = encode({"x": np.arange(2, dtype="<i4")})
    assert data.startswith(MAGIC)
    (length,) = struct.unpack("<Q", data[len(MAGIC):len(MAGIC) + 8])
    header = json.loads(data[len(MAGIC) + 8:len(MAGIC) + 8 + length])
    assert header == {"x": {ARRAY_TAG: {"dtype": "<i4", "shape": [2], "offset": 0, "nbytes": 8}}}
    assert data[len(MAGIC) + 8 + length:] == np.arange(2, dtype="<i4").tobytes()


@pytest.mark.parametrize("value", [
    (1, 2),
    np.array([object()], dtype=object),
    np.array(["abc"]),
    np.array([1j]),
    np.arange(2).view(SubArray),
    {1: 2},
    {ARRAY_TAG: 1},
    AlwaysEqual(),
    nested_list(MAX_DEPTH + 1),
])
def test_encode_refuses_what_validate_refuses(value):
    with pytest.raises(NotPlainError):
        encode(value)


# --------------------------------------------------------------------------------------------
# decode: hostile bytes give NotPlainError and nothing else


GOOD = encode({"x": np.arange(2.0)})

HOSTILE = {
    "empty": b"",
    "wrong_magic": b"NOTPLAIN1\n" + GOOD[len(MAGIC):],
    "magic_prefix_only": MAGIC[:-1],
    "magic_only": MAGIC,
    "truncated_length": MAGIC + b"\x05\x00\x00",
    "header_past_end": MAGIC + struct.pack("<Q", 1000) + b"{}",
    "header_length_huge": MAGIC + struct.pack("<Q", 2**64 - 1) + b"{}",
    "non_json_header": frame(b"{not json at all"),
    "invalid_utf8_header": frame(b"\xff\xfe\xfd\xfc"),
    "truncated_json": frame(b'{"x": [1, 2'),
    "json_then_garbage": frame(b"[1] [2]"),
    "dtype_object": array_frame(spec(dtype="|O", nbytes=16)),
    "dtype_unicode": array_frame(spec(dtype="<U3", shape=[1], nbytes=12)),
    "dtype_bytes": array_frame(spec(dtype="|S8", shape=[2], nbytes=16)),
    "dtype_complex": array_frame(spec(dtype="<c16", shape=[1], nbytes=16)),
    "dtype_void": array_frame(spec(dtype="|V8", shape=[2], nbytes=16)),
    "dtype_datetime": array_frame(spec(dtype="<M8[s]", shape=[2], nbytes=16)),
    "dtype_structured_object": array_frame(spec(dtype=[["a", "|O"]], shape=[2], nbytes=16)),
    "dtype_nonsense": array_frame(spec(dtype="not-a-dtype")),
    "dtype_number": array_frame(spec(dtype=12345)),
    "negative_shape": array_frame(spec(shape=[-2])),
    "negative_shape_pair": array_frame(spec(shape=[-2, -1])),
    "negative_offset": array_frame(spec(offset=-8)),
    "negative_nbytes": array_frame(spec(shape=[0], nbytes=-8, offset=8)),
    "offset_past_end": array_frame(spec(offset=16)),
    "offset_huge": array_frame(spec(offset=10**30)),
    "nbytes_past_end": array_frame(spec(shape=[4], nbytes=32)),
    "shape_nbytes_disagree": array_frame(spec(shape=[3], nbytes=16)),
    "shape_nbytes_disagree_small": array_frame(spec(shape=[1], nbytes=16)),
    "missing_dtype": array_frame({"shape": [2], "offset": 0, "nbytes": 16}),
    "missing_shape": array_frame({"dtype": "<f8", "offset": 0, "nbytes": 16}),
    "missing_offset": array_frame({"dtype": "<f8", "shape": [2], "nbytes": 16}),
    "missing_nbytes": array_frame({"dtype": "<f8", "shape": [2], "offset": 0}),
    "spec_is_number": array_frame(5),
    "spec_is_string": array_frame("dtype"),
    "spec_is_list": array_frame(["<f8", [2], 0, 16]),
    "spec_is_null": array_frame(None),
    "shape_not_iterable": array_frame(spec(shape=2)),
    "shape_of_strings": array_frame(spec(shape=["two"])),
    "shape_of_nulls": array_frame(spec(shape=[None])),
    "offset_string": array_frame(spec(offset="zero")),
    "shape_nan": frame(b'{"x": {"__ndarray__": {"dtype": "<f8", "shape": [NaN], '
                       b'"offset": 0, "nbytes": 16}}}', b"\0" * 16),
    "json_nesting_bomb": frame(b"[" * 100_000 + b"]" * 100_000),
    "json_dict_nesting_bomb": frame(b'{"a":' * 100_000 + b"1" + b"}" * 100_000),
    "json_nesting_past_limit": frame(b"[" * (MAX_DEPTH + 2) + b"]" * (MAX_DEPTH + 2)),
    "array_past_depth_limit": frame(
        b'{"a":' * (MAX_DEPTH + 1) + b'{"__ndarray__": {"dtype": "<f8", "shape": [2], '
        b'"offset": 0, "nbytes": 16}}' + b"}" * (MAX_DEPTH + 1), b"\0" * 16),
    # Shapes whose element count does not fit the int64 arithmetic of the size check.
    "shape_product_overflows_int64": array_frame(spec(dtype="|i1", shape=[2**32, 2**32],
                                                      nbytes=0)),
    "shape_product_wraps_negative": array_frame(spec(dtype="|i1", shape=[2**62, 3],
                                                     offset=2**62, nbytes=-(2**62))),
    "shape_entry_beyond_int64": array_frame(spec(dtype="|i1", shape=[10**30], nbytes=0)),
    "shape_infinite": frame(b'{"x": {"__ndarray__": {"dtype": "<f8", "shape": [1e400], '
                            b'"offset": 0, "nbytes": 16}}}', b"\0" * 16),
    "dtype_dict_offset_overflow": array_frame(spec(
        dtype={"names": ["a"], "formats": ["<f8"], "offsets": [10**30]}, shape=[1], nbytes=8)),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_decode_rejects_hostile_bytes_with_not_plain_error(name):
    with pytest.raises(NotPlainError):
        decode(HOSTILE[name])


def test_decode_accepts_the_unmodified_frame():
    # The hostile cases are small edits of well-formed data: the well-formed data itself decodes.
    out = decode(GOOD)
    np.testing.assert_array_equal(out["x"], np.arange(2.0))
    out = decode(array_frame(spec()))
    np.testing.assert_array_equal(out["x"], np.zeros(2))


def test_decode_rejects_every_truncation_of_valid_data():
    data = encode({"a": np.arange(3, dtype=np.int32), "b": [1.5, "s"], "c": np.ones((2, 2))})
    for cut in range(len(data)):
        with pytest.raises(NotPlainError):
            decode(data[:cut])


def test_decode_returns_validated_data():
    out = decode(frame(b'{"a": [1, 2.5, "s", null, true, {"b": []}]}'))
    assert out == {"a": [1, 2.5, "s", None, True, {"b": []}]}
    assert validate(out) is out


def write_marker(path: str) -> None:
    """What the hostile pickle would run: proof of code execution."""
    with open(path, "w") as handle:
        handle.write("pwned")


class Exploit:
    def __init__(self, path: str):
        self.path = path

    def __reduce__(self):
        return (write_marker, (self.path,))


def test_pickle_payload_is_refused_and_never_executed(tmp_path):
    # The payload is live: unpickling it does write its file.
    control = tmp_path / "control.txt"
    pickle.loads(pickle.dumps(Exploit(str(control))))
    assert control.read_text() == "pwned"

    target = tmp_path / "pwned.txt"
    payload = pickle.dumps(Exploit(str(target)))
    attempts = [
        payload,  # raw pickle bytes
        MAGIC + payload,  # pickle where the header length should be
        frame(payload),  # pickle as the header
        array_frame(spec(dtype="|O", shape=[1], nbytes=8), payload),  # object array over it
        array_frame({"dtype": "|O", "shape": [], "offset": 0, "nbytes": len(payload)}, payload),
        frame(json.dumps({"x": {ARRAY_TAG: {"dtype": "|V" + str(len(payload)), "shape": [],
                                            "offset": 0, "nbytes": len(payload)}}}).encode(),
              payload),
    ]
    for data in attempts:
        with pytest.raises(NotPlainError):
            decode(data)
    assert not target.exists()


def test_decode_never_calls_pickle(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("decode must not use pickle")

    for name in ("loads", "load", "Unpickler", "_loads", "_load", "_Unpickler"):
        if hasattr(pickle, name):
            monkeypatch.setattr(pickle, name, forbidden)
    monkeypatch.setattr(np, "load", forbidden)
    value = {"a": np.arange(5.0), "b": [np.array(True), 3, "x", None], "c": np.zeros((0, 2))}
    assert_identical(decode(encode(value)), value)
    for name in ("dtype_object", "wrong_magic", "non_json_header", "json_nesting_bomb"):
        with pytest.raises(NotPlainError):
            decode(HOSTILE[name])


def test_codec_module_does_not_import_pickle():
    assert "pickle" not in vars(plain)


def test_to_plain_rejects_self_reference_and_deep_nesting():
    looped: list = []
    looped.append(looped)
    deep: list = []
    for _ in range(plain.MAX_DEPTH + 5):
        deep = [deep]
    for value in (looped, deep):
        with pytest.raises(plain.NotPlainError, match="nested deeper"):
            plain.to_plain(value)


def test_decode_bounds_the_json_header():
    data = plain.encode({"x": "y" * 5000})
    assert plain.decode(data, max_header=10_000) == {"x": "y" * 5000}
    with pytest.raises(plain.NotPlainError, match="over 1000"):
        plain.decode(data, max_header=1000)
