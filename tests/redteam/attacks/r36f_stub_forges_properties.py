"""Row 36 (forged answers): the untouched stub (every function raises NotImplementedError) plus a
relay on both pipes (os.dup2 on fd 0 and fd 3, one thread each): it reads each request to learn
the probe's function and name, and replaces the stub's answer to every check that only tests a
property of the answer: no library call ({"calls": []}), the right exception ("ValueError"),
the generator discipline (three masks: same, same, different), BatchNorm1d's parameter and
buffer names, the mean of inverted dropout."""

ROW = 36
BASE = "stub"
# WIN on current code: the stub earns points (the red team's stub got 12.36 of 84.92). Defence:
# os/threading are outside the allowlist; with the rules off seccomp refuses dup2 or the nonce
# check ends the topic as tampering.
EXPECT = {"refused": True, "unscanned": {"zero": "all"}}

import json  # noqa: E402
import os  # noqa: E402
import queue  # noqa: E402
import struct  # noqa: E402
import threading  # noqa: E402

_MAGIC = b"NNFPLAIN1\n"
_THREES = {"__ndarray__": {"dtype": "<f8", "shape": [4], "offset": 0, "nbytes": 32}}
FORGED = {
    "no_library_shortcut": {"calls": []},
    "no_library_shortcut_in_layer": {"calls": []},
    "no_torch_optim": {"calls": []},
    "uses_the_generator": {"outputs": [[0.0], [0.0], [1.0]]},
    "rejects_bad_probability": {"errors": ["ValueError", "ValueError"]},
    "batch_of_one_raises": {"error": "ValueError"},
    "shape_mismatch_raises": {"error": "ValueError"},
    "rejects_bad_arguments": {"errors": ["ValueError"] * 3},
    "registers_parameters_and_buffers": {"parameters": ["bias", "weight"],
                                         "buffers": ["running_mean", "running_var"],
                                         "dtypes": ["torch.float64"]},
    "expectation_preserved": {"y": {"values": _THREES, "kept_dtype": True,
                                    "kept_input_device": True}},
}
_ASKED: queue.Queue = queue.Queue()
_ASKED.put("load")  # the load request was read before this module ran


def _read(fd, n):
    data = b""
    while len(data) < n:
        chunk = os.read(fd, n - len(data))
        if not chunk:
            os._exit(0)
        data += chunk
    return data


def _write(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _header(payload):
    start = len(_MAGIC) + 8
    (size,) = struct.unpack("<Q", payload[len(_MAGIC):start])
    return json.loads(payload[start:start + size])


def _frame(answer, blob=b""):
    text = json.dumps(answer).encode()
    payload = _MAGIC + struct.pack("<Q", len(text)) + text + blob
    return struct.pack("<Q", len(payload)) + payload


def _requests(source, target):
    while True:
        head = _read(source, 8)
        payload = _read(source, struct.unpack("<Q", head)[0])
        probe = _header(payload).get("probe")
        _ASKED.put(probe.get("name", "") if isinstance(probe, dict) else "load")
        _write(target, head + payload)


def _answers(source, target):
    while True:
        head = _read(source, 8)
        payload = _read(source, struct.unpack("<Q", head)[0])
        name = _ASKED.get()
        if name in FORGED:
            blob = struct.pack("<4d", 3.0, 3.0, 3.0, 3.0) if name == "expectation_preserved" \
                else b""
            _write(target, _frame({"status": "data", "data": FORGED[name]}, blob))
        else:
            _write(target, head + payload)


_REAL_REQUESTS, _REAL_ANSWERS = os.dup(0), os.dup(3)
_REQ_INSIDE, _REQ_OUTSIDE = os.pipe()
_ANS_INSIDE, _ANS_OUTSIDE = os.pipe()
os.dup2(_REQ_INSIDE, 0)
os.dup2(_ANS_OUTSIDE, 3)
os.close(_REQ_INSIDE)
os.close(_ANS_OUTSIDE)
threading.Thread(target=_requests, args=(_REAL_REQUESTS, _REQ_OUTSIDE), daemon=True).start()
threading.Thread(target=_answers, args=(_ANS_INSIDE, _REAL_ANSWERS), daemon=True).start()
