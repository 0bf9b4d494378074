# nnf-pack's otter entry point: the one code cell of files/nnf_grade.ipynb (a notebook, because
# otter grades a lone .ipynb even when a submission holds .py files, and refuses a second one).
# otter runs it in its kernel, in <autograder>/submission. It never imports the student's code:
# our engine grades the submission in its own sandboxed processes, and the OK tests in tests/
# only print the verdicts that the engine recorded.
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import NoReturn

NNF_AUTOGRADER = Path.cwd().parent
NNF_SETTINGS = json.loads((NNF_AUTOGRADER / "source" / "nnf_otter.json").read_text())


def nnf_fail(message: str) -> NoReturn:
    """Stop otter before it records a score: a dead kernel fails the whole otter run (Gradescope:
    run_otter.py turns the note left in results/ into an 'Autograder Error')."""
    text = f"nnf-pack: the grader failed, no score was recorded: {message}\n"
    try:
        (NNF_AUTOGRADER / "results" / "nnf_grader_error.txt").write_text(text)
    finally:
        os.write(2, text.encode())
        os._exit(70)


def nnf_grade() -> dict:
    """Run the engine on the student's files; its verdicts by check id."""
    grader = NNF_AUTOGRADER / "source" / NNF_SETTINGS["grader"]
    # run_otter.py (Gradescope) moved the upload out of otter's way; `otter run` leaves it here.
    upload = NNF_AUTOGRADER / NNF_SETTINGS["upload"]
    target = upload if upload.is_dir() else Path.cwd()
    entries = [p for p in target.iterdir() if not p.name.startswith(".")]
    if len(entries) == 1 and entries[0].suffix == ".zip" and entries[0].is_file():
        target = entries[0]  # an upload left as one zip
    topics = [arg for name in NNF_SETTINGS["topics"] for arg in ("--topic", name)]
    # Gradescope's metadata: the submission's time (for the late policy in grading.toml) and
    # its authors' names (feedback.md's title). `otter run` has none: the upload's file time.
    about = ["--name", "your submission"]
    try:
        metadata = json.loads((NNF_AUTOGRADER / "submission_metadata.json").read_text())
        if metadata.get("created_at"):
            about += ["--submitted-at", metadata["created_at"]]
        names = [user["name"] for user in metadata.get("users", []) if user.get("name")]
        if names:
            about[1] = ", ".join(names)
    except (OSError, ValueError, TypeError, AttributeError, KeyError):
        pass
    # The engine's results, feedback.md and Gradescope's results.json stay beside results/:
    # run_otter.py hands them to Gradescope once otter has scored the same verdicts.
    out = NNF_AUTOGRADER / NNF_SETTINGS["engine_results"]
    # The grader's log (its protections, a line per topic graded with the time left) is passed
    # on as it comes; its tail explains a failure.
    done = subprocess.Popen(
        [sys.executable, "-m", "autograder", "--config", NNF_SETTINGS["config"], "grade",
         str(target), "--out", str(out), "--gradescope", str(out / "gradescope.json"), *topics,
         *about],
        cwd=grader, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log = []
    for line in done.stdout:
        os.write(2, line.encode())
        log = [*log[-40:], line]
    done.wait()
    try:
        tests = json.loads((out / "results.json").read_text())["tests"]
        verdicts, problem = {t["name"].split(" ", 1)[1]: t for t in tests}, ""
    except (OSError, ValueError, KeyError, IndexError, TypeError, AttributeError) as error:
        verdicts, problem = {}, f"no usable results.json ({error!r})"
    if done.returncode != 0 or problem:
        nnf_fail(f"`python -m autograder grade` exited with {done.returncode}; {problem}\n"
                 + "".join(log)[-4000:])
    return verdicts


NNF_VERDICTS = nnf_grade()


def nnf_check(check_id: str) -> None:
    """What an OK test case prints: `pass`, or the engine's feedback for this check (for a
    hidden check: pass/fail and the generic hint only)."""
    verdict = NNF_VERDICTS.get(check_id)
    if verdict is None:
        print(f"not graded: the grader reported no check {check_id}")
    elif verdict["status"] == "passed":
        print("pass")
    else:
        print(f"not passed\n{verdict['output']}")
