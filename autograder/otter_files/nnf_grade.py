# nnf-pack's otter entry point: the one code cell of files/nnf_grade.ipynb (a notebook, because
# otter grades a lone .ipynb even when a submission holds .py files, and refuses a second one).
# otter runs it in its kernel, in <autograder>/submission. It never imports the student's code:
# our engine grades the submission in its own sandboxed processes, and the OK tests in tests/
# only print the verdicts that the engine recorded.
import json
import os
import subprocess
import sys
import tempfile
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
    with tempfile.TemporaryDirectory(prefix="nnf-otter-") as out:
        done = subprocess.run(
            [sys.executable, "-m", "autograder", "--config", NNF_SETTINGS["config"], "grade",
             str(target), "--out", out, *topics],
            cwd=grader, capture_output=True, text=True, check=False)
        os.write(2, done.stdout.encode())  # the sandbox's protections: the grader's log
        try:
            tests = json.loads((Path(out) / "results.json").read_text())["tests"]
            verdicts, problem = {t["name"].split(" ", 1)[1]: t for t in tests}, ""
        except (OSError, ValueError, KeyError, IndexError, TypeError, AttributeError) as error:
            verdicts, problem = {}, f"no usable results.json ({error!r})"
    if done.returncode != 0 or problem:
        nnf_fail(f"`python -m autograder grade` exited with {done.returncode}; {problem}\n"
                 + done.stderr[-4000:])
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
