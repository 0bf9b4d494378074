"""Row 24 (resources): at import, start threads that burn CPU without end, some in pure Python
(holding the GIL) and some in torch and hashlib (releasing it, so they run on every core); the
graded functions stay honest. Whether the CPU limit (all threads together) stops the topic before
its checks end depends on the machine's cores (2 burners per core): with few cores the topic keeps
full marks, with many it is stopped early. Either way it earns no more than its honest code, the
other topic and the other submissions are graded normally, the grading ends inside its limits and
no thread outlives it."""

ROW = 24
EXPECT = {}

import hashlib  # noqa: E402
import os  # noqa: E402
import threading  # noqa: E402

import torch  # noqa: E402


def _python_burn() -> None:
    n = 0
    while True:
        n = (n * 31 + 7) % 1000003


def _native_burn() -> None:
    a = torch.randn(256, 256)
    data = os.urandom(1 << 20)
    while True:
        a = torch.tanh(a @ a)
        hashlib.sha256(data).digest()


for _k in range(2 * (os.cpu_count() or 2)):
    threading.Thread(target=_native_burn if _k % 2 else _python_burn, daemon=True).start()
