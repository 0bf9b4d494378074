"""The one error that is the grader's own failure, never the student's."""


class HarnessError(RuntimeError):
    """The grader's own side failed (an oracle, the reference solution, the sandbox could not
    start): no score is recorded, and nothing is charged to the student."""
