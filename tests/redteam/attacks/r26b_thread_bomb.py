"""Row 26 (resources): a thread bomb at import: start sleeping threads until the process limit
refuses (thousands asked for), keep them all, and go on with honest functions. The grading still
ends inside its limits and no thread or process survives the topic's sandbox."""

ROW = 26
EXPECT = {}

import threading  # noqa: E402
import time  # noqa: E402

STARTED = []
for _ in range(5000):
    try:
        thread = threading.Thread(target=time.sleep, args=(3600,), daemon=True)
        thread.start()
        STARTED.append(thread)
    except RuntimeError:  # "can't start new thread": the process limit
        break
print(f"started {len(STARTED)} threads", flush=True)
