"""Row 7 (result forgery): write a perfect results.json where the grader will look, then exit."""

ROW = 7
EXPECT = {"zero": "all"}

import json  # noqa: E402
import os  # noqa: E402

FORGED = json.dumps({"score": 100, "max_score": 100, "forged": True, "tests": []})
for target in ("__OUT__/__NAME__/results.json", "__OUT__/results.json",
               "/autograder/results/results.json", "__MARKERS__/__NAME__-results.json",
               "results.json", "/tmp/results.json"):
    try:
        os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
        with open(target, "w") as handle:
            handle.write(FORGED)
    except OSError:
        pass
os._exit(0)
