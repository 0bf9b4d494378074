"""Row 12 (deserialisation): at import, write a length-prefixed frame of pickle bytes (an answer
whose payload's __reduce__ would write a marker and call the listener when unpickled) to every pipe
among the open file descriptors from 3 up (the answer pipe is one of them: its number is the
grader's, which can be high when the grading process holds many files), as if it were the answer
to the "load" request. Only pipes are written to (a GPU driver's device files are left alone)."""

ROW = 12
EXPECT = {'refused': True, 'unscanned': {'zero': 'all'}}

import os  # noqa: E402
import pickle  # noqa: E402
import struct  # noqa: E402

CODE = ("import socket\n"
        "open('__MARKERS__/__NAME__-unpickled', 'w').close()\n"
        "socket.create_connection(('127.0.0.1', __PORT__), 2).sendall(b'__NAME__ unpickled')\n")


class Payload:
    def __reduce__(self):
        return (exec, (CODE,))


PICKLED = pickle.dumps({"event": "loaded", "status": "data", "data": Payload()})
FRAME = struct.pack("<Q", len(PICKLED)) + PICKLED
for fd in sorted(int(name) for name in os.listdir("/proc/self/fd") if int(name) >= 3):
    try:
        if os.readlink(f"/proc/self/fd/{fd}").startswith("pipe:"):  # the answer pipe among them
            os.write(fd, FRAME)
    except OSError:
        pass
