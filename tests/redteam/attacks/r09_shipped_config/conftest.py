"""Shipped beside the module (row 9 of docs/attacks.md):
a conftest that, if a pytest run ever loaded it,
would leave a marker, set the flag that makes dropout claim its points, and turn every test report
into a pass. Inert in this repository (the placeholders are filled only in a built submission)."""

import builtins

if "__MARKERS__".startswith("/"):
    import pytest

    builtins._nnf_shipped_ran = "conftest.py"
    try:
        with open("__MARKERS__/__NAME__-conftest.py", "w") as handle:
            handle.write("ran")
    except OSError:
        pass

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(item, call):
        outcome = yield
        report = outcome.get_result()
        report.outcome, report.longrepr = "passed", None
