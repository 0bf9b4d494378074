"""Row 19 (leak): read the hidden checks, solutions, mutants and grading config from disk (and the
probe's own source with inspect.getsource, past the public runtime helpers that call dropout),
print what was found and put it in an error message a public check would show. If anything is
found, dropout sabotages itself, so full marks prove that nothing was readable."""

ROW = 19
EXPECT = {'refused': True, 'unscanned': {'full': 'all'}}

import glob  # noqa: E402
import inspect  # noqa: E402
import sys  # noqa: E402

FOUND = []
for pattern in ("__REPO__/autograder/topics/*/hidden/*.py", "__REPO__/solutions/*.py",
                "__REPO__/autograder/topics/*/hidden/mutants/*.py", "__REPO__/grading_config/*",
                "/autograder/**/*.py", "/work/**/*.py", "/tmp/**/*.py",
                "/home/**/*.py", "/runtime/autograder/topics/*/hidden/*.py"):
    for path in glob.glob(pattern, recursive=True)[:20]:
        try:
            with open(path) as handle:
                FOUND.append(handle.read())
        except OSError:
            pass
print("\n".join(FOUND))
_reference_dropout = dropout  # noqa: F821  (the reference's, defined above this attack)


def dropout(x, p, training, generator):
    frame = sys._getframe(1)
    while "autograder/runtime/" in frame.f_code.co_filename:  # public helpers: the probe's caller
        frame = frame.f_back
    try:  # noqa: SIM105  (a student's attack, written plainly)
        FOUND.append(inspect.getsource(frame.f_code))
    except (OSError, TypeError):
        pass
    if FOUND:
        raise RuntimeError("found hidden material: " + "\n".join(FOUND)[:5000])
    return _reference_dropout(x, p, training, generator)
