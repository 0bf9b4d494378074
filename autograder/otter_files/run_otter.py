"""Gradescope's side of the nnf-pack otter zip (run_autograder calls it): move the student's
upload out of the folder where otter starts its kernel, run otter's autograder, hand Gradescope
the engine's own results (a row per check with its configured visibility, topic scores, feedback.md
as the text) once otter's score agrees with them, and turn a grader failure into an 'Autograder
Error' result rather than a score.

Why move the upload: otter starts its Jupyter kernel with the submission folder as working
directory and on sys.path, so a top-level `otter/` package, `ipykernel_launcher.py` or `.ipynb`
in a crafted upload would run in the kernel that records the score. Moved to `nnf-upload/`, the
upload is only read by our engine, which runs topic modules in its sandbox.
"""

import json
import shutil
import sys
import traceback
from pathlib import Path


def lock_down(autograder: Path) -> None:
    """The grader tree (hidden checks, solutions, config) becomes readable by root only: where the
    sandbox has no filesystem jail (no namespaces in Gradescope's containers or ours), the
    student's child runs under another uid and must not read it."""
    source = autograder / "source"
    for path in [source, *source.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode & 0o700)


def settings_of(autograder: Path) -> dict:
    return json.loads((autograder / "source" / "nnf_otter.json").read_text())


def quarantine(autograder: Path) -> None:
    """The upload goes to the folder the entry notebook grades (nnf_otter.json's `upload`)."""
    submission, upload = autograder / "submission", autograder / settings_of(autograder)["upload"]
    shutil.rmtree(upload, ignore_errors=True)
    submission.rename(upload)
    submission.mkdir()


def hand_over(autograder: Path) -> None:
    """Replace otter's results.json (its doctest transcript) with the one the engine wrote for
    Gradescope, when both give the same score; otherwise no score at all."""
    results = autograder / "results" / "results.json"
    otter_score = json.loads(results.read_text())["score"]
    engine = autograder / settings_of(autograder)["engine_results"]
    ours = json.loads((engine / "gradescope.json").read_text())
    if abs(otter_score - ours["score"]) > 1e-3:
        results.unlink()
        raise RuntimeError(f"otter scored {otter_score}, the engine {ours['score']}: "
                           "the two must agree, no score was recorded")
    partial = results.with_name(".results.json.partial")
    partial.write_text(json.dumps(ours, indent=2))
    partial.replace(results)


def error_results(autograder: Path, error: BaseException) -> None:
    """Otter writes results.json only for its own errors; for the rest, an explicit error."""
    results = autograder / "results" / "results.json"
    if results.exists():
        return
    note = autograder / "results" / "nnf_grader_error.txt"
    detail = note.read_text() if note.exists() else "".join(traceback.format_exception(error))
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(json.dumps({"score": 0, "stdout_visibility": "hidden", "tests": [
        {"name": "Autograder Error", "status": "failed", "visibility": "visible",
         "output": "The grader could not grade this submission, so no score was recorded. "
                   "Please tell your instructor."},
        {"name": "Autograder Error (details)", "status": "failed", "visibility": "hidden",
         "output": detail[-20000:]},
    ]}, indent=2))


def main(autograder: Path) -> None:
    lock_down(autograder)
    quarantine(autograder)
    shutil.rmtree(autograder / settings_of(autograder)["engine_results"], ignore_errors=True)
    try:
        from otter.run.run_autograder import main as run_autograder

        run_autograder(str(autograder))
        hand_over(autograder)
    except BaseException as error:
        error_results(autograder, error)
        raise


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/autograder"))
