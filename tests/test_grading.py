"""Graded mode end to end: probes survive shipping, submissions are staged safely, `grade` and
`grade-all` write a valid results.json, feedback and a correct gradebook."""

from __future__ import annotations

import contextlib
import csv
import functools
import json
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import jsonschema
import pytest

from autograder import cohort_report, impl, report
from autograder.config import load_config
from autograder.course import ROOT, TOPICS
from autograder.local import LocalRunner
from autograder.report import RESULTS_SCHEMA
from autograder.runtime import plain, shipping
from autograder.runtime.compare import EXACT
from autograder.runtime.outcome import Status, credit, score
from autograder.sandbox import packing
from autograder.submission import RejectedSubmission, stage

SCHEMA = json.loads(RESULTS_SCHEMA.read_text())

# The cohort test's submissions hold these topics (NumPy with training, NumPy, torch); the
# others are missing from every submission, which the gradebook must show as 0.
# Grading all ten in 20 submissions would test the same machinery at ten times the cost.
COHORT_TOPICS = ("two_layer_net", "activations", "regularization")


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autograder", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=900)


@pytest.mark.parametrize("topic", TOPICS.values(), ids=list(TOPICS))
def test_every_probe_survives_shipping(topic):
    """Each probe, rebuilt from its shipped bytecode, gives exactly what the probe itself gives."""
    reference = impl.load(impl.SOLUTIONS, topic)
    for check in topic.all_checks():
        if check.needs_gpu:
            continue
        spec = plain.roundtrip({"probe": packing.pack(check.probe),
                                "params": packing.pack_params(dict(check.params))})
        probe = shipping.unpack(spec["probe"])
        shipped = probe(reference, check.device, **shipping.unpack_params(spec["params"]))
        EXACT(plain.roundtrip(plain.to_plain(shipped)),
              plain.roundtrip(plain.to_plain(check.run_probe(reference))))


def test_shipping_refuses_hidden_objects():
    class Secret:
        pass

    secret = Secret()

    def probe(impl, device):
        return secret

    with pytest.raises(shipping.ShippingError, match="cannot be sent"):
        packing.pack(probe)


def test_shipping_sends_only_real_globals():
    """`x.__name__` is an attribute: the check file's own __name__ (which would tell the child a
    hidden check is calling) must not travel with the probe (red team row 20)."""
    def probe(impl, device):
        return type(impl).__name__ + __name__

    spec = packing.pack(probe)
    assert "__name__" not in spec["globals"]
    assert shipping.unpack(spec)(object(), "cpu") == "objectprobe"


def test_stage_takes_only_module_names(tmp_path):
    source = tmp_path / "in"
    (source / "deep" / "er").mkdir(parents=True)
    (source / "deep" / "er" / "regularization.py").write_text("x = 2\n")
    (source / "deep" / "regularization.py").write_text("x = 1\n")
    (source / "notes.txt").write_text("hello")
    (source / "conftest.py").write_text("import os\n")
    staged = stage(source, tmp_path / "out")
    assert staged.modules == ["regularization.py"]
    assert (tmp_path / "out" / "regularization.py").read_text() == "x = 1\n"  # nearest the top
    assert sorted(staged.ignored) == sorted([
        "conftest.py: not a topic module", "notes.txt: not a topic module",
        "deep/er/regularization.py: another regularization.py is nearer the top"])


def test_stage_rejects_what_is_not_a_submission(tmp_path):
    (tmp_path / "thing.tar").write_bytes(b"\0" * 10)
    with pytest.raises(RejectedSubmission, match=r"a \.zip archive or a folder"):
        stage(tmp_path / "thing.tar", tmp_path / "out")


@pytest.mark.sandbox
@pytest.mark.slow
def test_grade_reference_stub_and_attacked_topic(tmp_path):
    """The issue's three cases through the command line: reference full marks, stubs 0, and an
    attack on one topic that costs only that topic."""
    attacked = tmp_path / "attacked"
    attacked.mkdir()
    for topic in TOPICS.values():
        shutil.copy(impl.module_path(impl.SOLUTIONS, topic), attacked)
    (attacked / "regularization.py").write_text("import os\nos._exit(0)\n")
    scores = {}
    # Every topic for the reference and the stubs; the attack costs only its own topic, which
    # the cohort's topics show as well as all ten would.
    cohort = [arg for name in COHORT_TOPICS for arg in ("--topic", name)]
    for name, source, only in (("reference", impl.SOLUTIONS, []), ("stubs", impl.EXERCISES, []),
                               ("attacked", attacked, cohort)):
        run = cli("grade", str(source), "--out", str(tmp_path / name), *only)
        assert run.returncode == 0, run.stderr
        assert "grading sandbox protections on this machine:" in run.stdout
        data = json.loads((tmp_path / name / "results.json").read_text())
        jsonschema.validate(data, SCHEMA)
        scores[name] = data
        assert (tmp_path / name / "feedback.md").is_file()
        with zipfile.ZipFile(tmp_path / name / "feedback.zip") as bundle:
            assert sorted(bundle.namelist()) == ["feedback.md", "results.json"]
    assert scores["reference"]["max_score"] > 0
    assert scores["reference"]["score"] == pytest.approx(scores["reference"]["max_score"])
    assert scores["stubs"]["score"] == 0
    topics = scores["attacked"]["extra_data"]["topics"]
    assert topics["regularization"]["score"] == 0
    for name, topic in topics.items():
        if name != "regularization":
            assert topic["max_score"] > 0
            assert topic["score"] == pytest.approx(topic["max_score"])


@pytest.mark.sandbox
@pytest.mark.slow
def test_stale_results_are_replaced(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "results.json").write_text('{"score": 1000, "forged": true}')
    run = cli("grade", str(impl.EXERCISES), "--out", str(out), "--topic", "regularization")
    assert run.returncode == 0, run.stderr
    data = json.loads((out / "results.json").read_text())
    jsonschema.validate(data, SCHEMA)
    assert data["score"] == 0 and "forged" not in data


def hidden_feedback_is_generic(results: dict) -> None:
    for test in results["tests"]:
        if "hidden" in test["tags"] and test["status"] == "failed":
            assert "input:" not in test["output"], test["output"]


@pytest.mark.sandbox
@pytest.mark.slow
def test_grade_all_twenty_submissions(tmp_path):
    """20 generated submissions (reference, stub, missing or a mutant per topic), two workers:
    every gradebook cell equals that implementation's local-mode score."""
    topics = [TOPICS[name] for name in COHORT_TOPICS]
    absent = [topic for topic in TOPICS.values() if topic.name not in COHORT_TOPICS]
    config_checks = {}
    config = load_config()
    for topic in topics:
        config_checks[topic.name] = config.checks(topic)
    kinds = ["reference", "stub", "missing"] + [f"mutant:{p.stem}" for t in topics
                                                 for p in t.mutants()[:2]]
    expected: dict[str, dict[str, float]] = {}
    folder = tmp_path / "submissions"
    for index in range(20):
        name = f"student{index:02d}"
        submission = folder / name
        submission.mkdir(parents=True)
        expected[name] = {}
        for offset, topic in enumerate(topics):
            kind = kinds[(index + 3 * offset) % len(kinds)]
            if kind.startswith("mutant:") and not any(m.stem == kind[7:]
                                                       for m in topic.mutants()):
                kind = "reference"
            expected[name][topic.name] = local_score(topic, kind, config_checks[topic.name])
            expected[name] |= {other.name: 0.0 for other in absent}
            if kind == "missing":
                continue
            text = (impl.module_path(impl.SOLUTIONS if kind == "reference" else impl.EXERCISES,
                                     topic).read_text() if not kind.startswith("mutant:")
                    else impl.mutant_source(topic_mutant(topic, kind[7:]), topic))
            (submission / topic.module_file).write_text(text)
    (folder / "student03.zip").write_bytes(b"not a zip")  # one broken upload among them
    expected["student03-2"] = {t.name: 0.0 for t in TOPICS.values()}
    run = cli("grade-all", str(folder), "--out", str(tmp_path / "out"), "--workers", "2")
    assert run.returncode == 0, run.stderr
    with (tmp_path / "out" / "gradebook.csv").open() as handle:
        rows = {row["submission"]: row for row in csv.DictReader(handle)}
    assert set(rows) == set(expected)
    for name, by_topic in expected.items():
        for topic in TOPICS.values():
            got = float(rows[name][f"{topic.number} {topic.name}"])
            assert got == pytest.approx(by_topic[topic.name], abs=0.01), (name, topic.name)
        assert float(rows[name]["total"]) == pytest.approx(sum(by_topic.values()), abs=0.02)
        results = json.loads((tmp_path / "out" / name / "results.json").read_text())
        jsonschema.validate(results, SCHEMA)
        hidden_feedback_is_generic(results)
    assert "not a readable zip archive" in rows["student03-2"]["notes"]
    # Not a terminal (a log, CI): a line per submission as it finishes, not silence until the end.
    lines = [line for line in run.stderr.splitlines() if line.startswith("graded ")]
    assert sorted(int(line.split()[1].split("/")[0]) for line in lines) \
        == list(range(1, len(expected) + 1))
    assert all(re.fullmatch(rf"graded \d+/{len(expected)}: \S+ [\d.]+/[\d.]+ in [\d.]+ s; "
                            r"(about \d+ s left|done in \d+ s)", line) for line in lines), lines


@pytest.mark.sandbox
@pytest.mark.slow
def test_an_interrupted_cohort_run_resumes_to_the_same_gradebook(tmp_path):
    """Ctrl-C halfway through grade-all: every submission finished stays on disk; `--resume`
    grades only the rest and writes the gradebook an uninterrupted run writes. Results of
    another configuration are not kept."""
    folder = tmp_path / "cohort"
    folder.mkdir()
    for index in range(8):
        submission = folder / f"student{index:02d}"
        submission.mkdir()
        source = impl.SOLUTIONS if index % 2 else impl.EXERCISES
        (submission / "activations.py").write_bytes(
            impl.module_path(source, TOPICS["activations"]).read_bytes())
    grade_all = ["grade-all", str(folder), "--topic", "activations", "--workers", "1"]
    whole = cli(*grade_all, "--out", str(tmp_path / "whole"))
    assert whole.returncode == 0, whole.stderr
    out = tmp_path / "interrupted"
    # SIGINT as a terminal's Ctrl-C gives it: a shell running CI in the background ignores it,
    # and its children inherit that.
    process = subprocess.Popen([sys.executable, "-m", "autograder", *grade_all, "--out",
                                str(out)], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 600
    while not list(out.glob("*/feedback.zip")) and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=600)
    assert process.returncode == 130, stderr
    assert "run the same command with --resume" in stderr
    done = len(list(out.glob("*/feedback.zip")))
    assert 1 <= done < 8 and not (out / "gradebook.csv").exists()

    resumed = cli(*grade_all, "--out", str(out), "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert f"resume: {done} of 8 submission(s) already graded by this pack are kept; " \
           f"grading {8 - done}" in resumed.stderr
    gradebook = (out / "gradebook.csv").read_text()
    assert gradebook == (tmp_path / "whole" / "gradebook.csv").read_text()

    # A result written by another pack (other checks, references or configuration) is graded
    # again; with a roster the gradebook has a row per student, in its order, ids first.
    results = out / "student03" / "results.json"
    data = json.loads(results.read_text())
    data["extra_data"]["pack"] = "0" * 16
    results.write_text(json.dumps(data))
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,name,email,submission\n"
                      "s7,Ada,ada@uni.example,student07\ns9,Bo,bo@uni.example,student09\n"
                      "s0,Cy,cy@uni.example,student00\n")
    listed = cli(*grade_all, "--out", str(out), "--resume", "--roster", str(roster))
    assert listed.returncode == 0, listed.stderr
    assert "resume: 7 of 8 submission(s) already graded by this pack are kept; grading 1" \
        in listed.stderr and "graded 1/1: student03 " in listed.stderr
    assert "not on the roster, left out of the gradebook" in listed.stderr
    with (out / "gradebook.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["student_id"], r["email"], r["status"]) for r in rows] == [
        ("s7", "ada@uni.example", "graded"), ("s9", "bo@uni.example", "missing"),
        ("s0", "cy@uni.example", "graded")]
    assert rows[0]["percentage (of the checks run)"] == "100.00" and rows[0]["total"] \
        == rows[0]["max_score"]
    assert rows[2]["percentage (of the checks run)"] == "0.00"  # the stub


def test_gradebook_status_tells_every_case_apart(tmp_path):
    """graded, empty (no topic module), rejected archive, grader error, a roster's student with
    no submission: five statuses, never all read as 0.00; the percentage is of the maximum."""
    def result(name, score, states, rejected="", grader_error=False):
        return {"score": score, "max_score": 80.0 if not rejected else 0.0, "extra_data": {
            "submission": name, "rejected": rejected, "grader_error": grader_error,
            "topics": {} if rejected else {"losses": {"score": score, "state": states[0]},
                                           "activations": {"score": 0.0, "state": states[1]}}}}
    results = [result("real-zero", 0.0, ["graded", "graded"]),
               result("empty", 0.0, ["missing", "missing"]),
               result("broken", 0.0, [], rejected="not a readable zip archive"),
               result("crashed", 20.0, ["graded", "grader error: regrade"], grader_error=True),
               result("half", 40.0, ["graded", "missing"])]
    report.write_gradebook(results, tmp_path / "gradebook.csv")
    with (tmp_path / "gradebook.csv").open() as handle:
        rows = {r["submission"]: r for r in csv.DictReader(handle)}
    assert {name: r["status"] for name, r in rows.items()} == {
        "real-zero": "graded", "empty": "empty", "broken": "rejected",
        "crashed": "grader error", "half": "graded"}
    assert rows["half"]["percentage (of the checks run)"] == "50.00"
    roster = [{"student_id": "1", "submission": "half"}, {"student_id": "2", "submission": "x"}]
    report.write_gradebook(results, tmp_path / "gradebook.csv", roster)
    with (tmp_path / "gradebook.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["student_id"], r["status"]) for r in rows] == [("1", "graded"), ("2", "missing")]
    (tmp_path / "bad.csv").write_text("id,file\n1,a.zip\n")
    with pytest.raises(ValueError, match="needs the column"):
        report.read_roster(tmp_path / "bad.csv")


def topic_mutant(topic, stem: str) -> Path:
    return next(p for p in topic.mutants() if p.stem == stem)


def local_score(topic, kind: str, checks) -> float:
    """The local-mode score of one implementation of a topic (cached: each is computed once)."""
    if kind in ("stub", "missing"):
        return 0.0
    if (topic.name, kind) not in _SCORES:
        module = (impl.load(impl.SOLUTIONS, topic) if kind == "reference"
                  else impl.load_mutant(topic_mutant(topic, kind[7:]), topic))
        outcomes = [_local_runner(topic.name).run(check, module) for check in checks]
        _SCORES[topic.name, kind] = score(credit(outcomes))[0]  # as graded mode credits
    return _SCORES[topic.name, kind]


_SCORES: dict[tuple[str, str], float] = {}


@functools.cache
def _local_runner(name: str) -> LocalRunner:
    """One runner per topic: its expected data are computed once for the whole test."""
    return LocalRunner(impl.load(impl.SOLUTIONS, TOPICS[name]))


def _degraded(kind: str):
    from autograder.sandbox.protections import Protections

    if kind == "nothing":
        return Protections(namespaces=False, jail=False, separate_uid=False)
    here = Protections.detect()
    if not here.jail:
        pytest.skip("this host cannot build the jail (not root, or no namespaces): the jail "
                    "without a memory cgroup is NOT RUN here")
    return Protections(namespaces=True, jail=True, separate_uid=here.separate_uid,
                       memory_cgroup=False, seccomp=here.seccomp)


@pytest.mark.sandbox
@pytest.mark.parametrize("kind", ["nothing", "jail without a memory cgroup"])
def test_degraded_sandbox_still_grades(tmp_path, regularization, kind):
    """Where a protection is missing, grading still works and the report says what is lost.
    "nothing": no namespace, jail or separate uid (a non-root user, a container without the
    capability): the child still runs isolated (-I, scrubbed environment, empty folder, rlimits,
    process-group kill). "jail without a memory cgroup" (a read-only cgroupfs): the memory limit
    falls back to the address space, which the child measures before its /proc is taken away."""
    from autograder.graded import GradedRunner, limits_for
    from autograder.sandbox.zygote import build_runtime

    protections = _degraded(kind)
    if kind == "nothing":
        assert sum("OFF" in line for line in protections.report()) == 5
    else:
        assert any(line.startswith("  OFF  memory cgroup") for line in protections.report())
    config = load_config()
    runtime = build_runtime(tmp_path / "runtime")
    runner = GradedRunner(LocalRunner(impl.load(impl.SOLUTIONS, regularization)), runtime,
                          protections)
    checks = config.checks(regularization)
    limits = limits_for(config.topics["regularization"])
    honest = impl.module_path(impl.SOLUTIONS, regularization).read_text()
    for name, source, full in (("honest", honest, True),
                               ("exits", "import os\nos._exit(0)\n", False)):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "regularization.py").write_text(source)
        result = runner.grade_topic(regularization, checks, folder, limits)
        assert not result.grader_error, result.grader_error
        passed = [o.passed for o in result.outcomes if o.status is not Status.NOT_RUN]
        assert passed and (all(passed) if full else not any(passed))


LEAVE_TRACES = '''
import ctypes, os, time
libc = ctypes.CDLL(None)
libc.shmget(4242, 4096, 0o1666)  # System V objects outlive their processes
libc.semget(4243, 1, 0o1666)
libc.msgget(4244, 0o1666)
for folder in ("/tmp", ".", "/dev/shm"):
    with open(os.path.join(folder, "left-by-activations"), "w") as f:
        f.write("x")
start = os.getcwd()
os.chdir("/tmp")
for _ in range(2100):  # past PATH_MAX: no path names the deepest folder
    os.mkdir("d")
    os.chdir("d")
with open("note", "w") as f:
    f.write("from the previous topic")
os.chdir(start)
try:  # the whole /dev/shm, file by file (each under the 16 MB file limit)
    for n in range(100):
        with open(f"/dev/shm/fill{n}", "wb") as f:
            for _ in range(15):
                f.write(bytes(1 << 20))
except OSError:
    pass
if os.fork() == 0:  # a daemon: leaves the session, outlives the import
    os.setsid()
    if os.fork() == 0:
        time.sleep(120)
    os._exit(0)
print("traces left")
'''

FIND_TRACES = '''
import ctypes, os
_libc = ctypes.CDLL(None)
_files = []
for _top in ("/tmp", ".", "/dev/shm"):
    for _root, _dirs, _names in os.walk(_top):  # not into the jail's binds (the grader's Python)
        _dirs[:] = [d for d in _dirs
                    if os.lstat(os.path.join(_root, d)).st_dev == os.lstat(_top).st_dev]
        _files += [os.path.join(_root, n) for n in _names]
_ipc = [key for key, get in ((4242, lambda k: _libc.shmget(k, 0, 0)),
                             (4243, lambda k: _libc.semget(k, 0, 0)),
                             (4244, lambda k: _libc.msgget(k, 0))) if get(key) >= 0]
with open("/dev/shm/room", "wb") as _f:
    _f.write(bytes(15 << 20))  # the previous topic filled its /dev/shm: this one is empty
if _files or _ipc or os.path.exists("/tmp/d"):
    raise RuntimeError(f"TRACES of the previous topic: files {_files}, IPC objects {_ipc}")
'''


@pytest.mark.sandbox
def test_nothing_of_one_topic_reaches_the_next(tmp_path):
    """Topics are forked from one zygote: what a topic started or wrote (a daemon in its own
    session, files in /tmp, the working folder and /dev/shm, a folder chain past PATH_MAX, a
    full /dev/shm, System V IPC objects) is gone before the next topic's child starts (of the
    same submission or the next one): each topic has its own mounts and IPC namespace, and its
    processes are killed. The source rules are off: they would refuse ctypes and os, and the
    sandbox must hold without them."""
    from autograder.grade import Grader
    from autograder.sandbox.protections import Protections

    if not Protections.detect().jail:
        pytest.skip("NOT RUN: needs root and namespaces for the jail and the sandbox uid (the "
                    "protections report says these are off)")
    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / "activations.py").write_text(LEAVE_TRACES)
    (folder / "losses.py").write_text((ROOT / "solutions" / "losses.py").read_text() + FIND_TRACES)
    with Grader(load_config(), [TOPICS["activations"], TOPICS["losses"]],
                source_rules=False) as grader:
        first, second = grader.grade_topics(folder)
        uids = set(grader.sandbox_uids)
        assert "traces left" in first.output_public and not first.load_error
        assert second.load_error == "", second.load_error
        ran = [o for o in second.outcomes if o.status is not Status.NOT_RUN]
        assert ran and all(o.passed for o in ran)
        assert not processes_of(uids), processes_of(uids)


def processes_of(uids: set[int]) -> list[str]:
    """Host processes running as one of `uids`."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        with contextlib.suppress(OSError):
            uid = int(re.search(r"^Uid:\s+(\d+)", status.read_text(), re.M).group(1))
            if uid in uids:
                found.append(f"pid {status.parent.name} uid {uid}")
    return found


@pytest.mark.sandbox
@pytest.mark.slow
def test_topics_at_once_give_the_verdicts_of_one_slot(tmp_path, monkeypatch):
    """`grade` shares one submission's topics among its slots (`topics_at_once`): every check's
    verdict and message is the one a single slot gives, both slots' servers fork topics, and the
    results come back in topic order."""
    from autograder.grade import Grader
    from autograder.sandbox.zygote import Zygote

    folder = tmp_path / "submission"
    folder.mkdir()
    for module, source in (("activations", "solutions"), ("losses", "exercises"),
                           ("two_layer_net", "solutions"), ("backprop", "solutions")):
        (folder / f"{module}.py").write_text((ROOT / source / f"{module}.py").read_text())
    (folder / "backprop.py").write_text((folder / "backprop.py").read_text().replace(
        "math.sqrt(2.0 / in_features)", "math.sqrt(1.0 / in_features)"))  # LeCun, not He
    topics = [TOPICS[name] for name in ("activations", "losses", "two_layer_net", "backprop")]
    real_fork, forked_by = Zygote.fork, set()

    def fork(self, *args, **kwargs):
        forked_by.add(id(self))
        return real_fork(self, *args, **kwargs)

    def verdicts(results):
        return [[(o.check.name, o.status, o.passed, o.message) for o in r.outcomes]
                for r in results]

    with Grader(load_config(), topics) as grader:
        alone = grader.grade_topics(folder)
    monkeypatch.setattr(Zygote, "fork", fork)
    with Grader(load_config(), topics, workers=2, topics_at_once=True) as grader:
        shared = grader.grade_topics(folder)
    assert [r.topic.name for r in shared] == [t.name for t in topics]
    assert verdicts(shared) == verdicts(alone)
    assert len(forked_by) == 2
    assert not all(o.passed for o in shared[3].outcomes)  # the slip is seen


@pytest.mark.sandbox
@pytest.mark.slow
def test_a_failing_fork_server_costs_one_submission_and_the_gradebook_is_written(
        tmp_path, monkeypatch):
    """The grader's own failure (here: its fork server stops forking, once) is never charged to
    a student: that submission is marked "grader error: regrade" with no hint of a fault of
    theirs, the server is restarted, the other submissions are graded as usual, and grade-all
    writes its gradebook."""
    from autograder.errors import HarnessError
    from autograder.grade import Grader
    from autograder.sandbox.zygote import Zygote

    folder = tmp_path / "submissions"
    for name in ("a_first", "b_second"):
        (folder / name).mkdir(parents=True)
        (folder / name / "activations.py").write_text(
            (ROOT / "solutions" / "activations.py").read_text())
    real_fork, failures = Zygote.fork, []

    def fork_failing_once(self, *args, **kwargs):
        if not failures:
            failures.append(1)
            raise HarnessError("the grading sandbox did not fork a topic (simulated)")
        return real_fork(self, *args, **kwargs)

    monkeypatch.setattr(Zygote, "fork", fork_failing_once)
    with Grader(load_config(), [TOPICS["activations"]]) as grader:
        results = {r.name: r for r in grader.grade_all(folder, tmp_path / "out", progress=False)}
    assert results["a_first"].grader_error and not results["b_second"].grader_error
    earned, possible = results["b_second"].score()
    assert earned == possible > 0
    rows = {row["submission"]: row for row in csv.DictReader(
        (tmp_path / "out" / "gradebook.csv").open())}
    assert "grader error: regrade" in rows["a_first"]["notes"]
    feedback = (tmp_path / "out" / "a_first" / "feedback.md").read_text()
    assert "Grader error" in feedback and "hint:" not in feedback


def test_a_property_check_counts_only_beside_a_passing_value_check(regularization):
    """`credit`: "raised ValueError", "the same output for the same seed", the right types or the
    input left alone can be satisfied without computing anything, so they earn points only where
    the function also passes a check of its values; a function without value checks keeps its
    property checks."""
    from dataclasses import replace

    from autograder.runtime.outcome import Outcome

    checks = [c for c in load_config().checks(regularization) if c.function == "dropout"]
    props = [c for c in checks if c.is_property]
    values = [c for c in checks if not c.is_property and not c.needs_gpu]
    assert props and values
    assert any(c.expect.kind != "nothing" and c.contracts for c in props)  # contract checks too
    failing = [Outcome(c, Status.FAILED, "off") for c in values]
    passing_props = [Outcome(c, Status.PASSED) for c in props]
    credited = credit(failing + passing_props)
    assert not any(o.passed for o in credited)
    assert all("not credited" in o.message for o in credited[len(failing):])
    one_value = [replace(failing[0], status=Status.PASSED, message=""), *failing[1:]]
    assert all(o.passed for o in credit(one_value + passing_props)[len(failing):])
    assert credit(passing_props) == passing_props  # no value check ran: nothing to gate on


def test_instructor_report_scores_hardest_checks_and_regrades(tmp_path):
    """`report`: the score distribution per topic, every failed check hardest first, and what
    changed since an earlier grading, with the two plots beside the markdown."""
    def write(folder, name, passes):
        tests = [{"name": f"5-04 losses.mse_loss.check{i}", "score": float(ok), "max_score": 1.0,
                  "status": "passed" if ok else "failed", "visibility": "visible",
                  "output": ""} for i, ok in enumerate(passes)]
        tests.append({"name": "5-04 losses.mse_loss.on_cuda", "score": 0.0, "max_score": 0.0,
                      "status": "failed", "visibility": "visible", "output": ""})  # not run
        score = float(sum(passes))
        data = {"score": score, "max_score": 3.0, "tests": tests, "extra_data": {
            "submission": name, "rejected": "",
            "topics": {"losses": {"score": score, "max_score": 3.0, "state": "graded"}}}}
        (folder / name).mkdir(parents=True)
        (folder / name / "results.json").write_text(json.dumps(data))

    before, now = tmp_path / "before", tmp_path / "now"
    for folder, bob in ((before, [True, False, False]), (now, [True, True, False])):
        write(folder, "alice", [True, True, True])
        write(folder, "bob", bob)
    path = cohort_report.write(now, before)
    text = path.read_text()
    assert "# Cohort report: 2 submissions" in text
    assert "| 5-04 losses | 2 | 83.3 | 83.3 | 1 | 0 |" in text
    hardest = [line for line in text.splitlines() if line.startswith("| 5-04 losses.mse")]
    assert hardest == ["| 5-04 losses.mse_loss.check2 | 1 | 2 | 50 % |"]  # check1 passes now
    assert "| bob | total | 1.00 -> 2.00 |" in text and "| bob | losses | 1.00 -> 2.00 |" in text
    assert "alice |" not in text.split("## Regrades")[1]
    for png in ("scores.png", "hardest.png"):
        assert (path.parent / png).read_bytes()[:4] == b"\x89PNG"
    # Score and maximum rounded apart, as results.json has them: full marks are 100, not more.
    rounded = {"alice": {"extra_data": {"topics": {"losses": {"score": 92.33330001,
                                                              "max_score": 92.3333}}}}}
    assert cohort_report.topic_scores(rounded) == {"losses": [100.0]}  # in the last bin


def _graded(name: str, topic_name: str, statuses: list[Status]) -> report.SubmissionResult:
    """A submission result with one topic whose checks (in the configuration's order) ended as
    `statuses` says, the last status repeated."""
    from autograder.graded import TopicResult
    from autograder.runtime.outcome import Outcome

    checks = load_config().checks(TOPICS[topic_name])
    statuses = statuses + [statuses[-1]] * (len(checks) - len(statuses))
    outcomes = [Outcome(c, s, "" if s is Status.PASSED else "differs by 1e-3") for c, s
                in zip(checks, statuses, strict=False)]
    return report.SubmissionResult(name, [TopicResult(TOPICS[topic_name], outcomes)])


def test_late_policy_deducts_per_started_day_and_cuts_off(tmp_path):
    import datetime

    from autograder.config import ConfigError, LatePolicy

    due = datetime.datetime.fromisoformat("2026-12-20T23:59:00+01:00")
    policy = LatePolicy(due, penalty_per_day=0.1, cutoff_days=7)
    minutes = datetime.timedelta(minutes=1)
    assert policy.penalty(due) == 0.0 and policy.penalty(due - minutes) == 0.0
    assert policy.days_late(due + minutes) == 1 and policy.penalty(due + minutes) == 0.1
    assert policy.penalty(due + datetime.timedelta(days=3)) == pytest.approx(0.3)
    assert policy.penalty(due + datetime.timedelta(days=7, minutes=1)) == 1.0  # past the cutoff
    assert LatePolicy(due, 0.0, 0.0).penalty(due + minutes) == 1.0  # a hard deadline
    assert LatePolicy().penalty(due) == 0.0  # no deadline: nothing is late
    base = (ROOT / "grading_config" / "grading.toml").read_text()
    for due_text, says in (("2026-12-20T23:59:00", "needs its UTC offset"),
                           ("next friday", "not an ISO 8601")):
        (tmp_path / "late.toml").write_text(base.replace('due = ""', f'due = "{due_text}"'))
        with pytest.raises(ConfigError, match=says):
            load_config(tmp_path / "late.toml")


def test_a_late_submission_says_so_and_scores_less(tmp_path):
    import dataclasses
    import datetime

    from autograder.config import LatePolicy

    config = load_config()
    due = datetime.datetime.fromisoformat("2026-12-20T23:59:00+00:00")
    config = dataclasses.replace(config, late=LatePolicy(due, 0.25, 3))
    result = _graded("late", "losses", [Status.PASSED])
    result.submitted_at, result.submitted_from = due + datetime.timedelta(hours=30), "roster"
    data = report.results_json(result, config, [])
    jsonschema.validate(data, SCHEMA)
    earned, _ = result.score()
    assert data["score"] == pytest.approx(earned * 0.5)  # two started days late
    assert data["extra_data"]["late"]["days_late"] == 2
    text = report.feedback_markdown(result, config)
    assert "2 day(s) after the deadline" in text and "50% of the score" in text
    report.write_gradebook([data], tmp_path / "gradebook.csv")
    row = next(csv.DictReader((tmp_path / "gradebook.csv").open()))
    assert row["late penalty (%)"] == "50" and row["days_late"] == "2"
    cuda = sum(o.check.points for o in result.topics[0].outcomes if o.check.needs_gpu)
    assert row["total"] == f"{earned * 0.5:.2f}"  # the late policy takes from the total
    assert row["total without cuda"] == f"{earned - cuda:.2f}"  # before it, as every host gives
    on_time = _graded("on-time", "losses", [Status.PASSED])
    on_time.submitted_at = due
    assert report.results_json(on_time, config, [])["score"] == pytest.approx(earned)
    (tmp_path / "roster.csv").write_text("student_id,submission,submitted_at\n"
                                         "1,a,2026-12-21 10:00\n")
    with pytest.raises(ValueError, match=r"line 2: submitted_at: .* has no UTC offset"):
        report.read_roster(tmp_path / "roster.csv")


def test_cuda_points_have_their_own_column_so_hosts_compare(tmp_path):
    """The same submission graded without CUDA (its CUDA checks not run) and with it (all
    passed): the same total without cuda, and the CUDA points apart."""
    topic = next(t for t in TOPICS.values() if any(c.needs_gpu for c in load_config().checks(t)))
    config = load_config()
    cpu = _graded("cpu-host", topic.name, [Status.PASSED])
    gpu = _graded("gpu-host", topic.name, [Status.PASSED])
    from autograder.runtime.outcome import Outcome

    cpu.topics[0].outcomes = [Outcome(o.check, Status.NOT_RUN, "needs a CUDA device", True)
                              if o.check.needs_gpu else o for o in cpu.topics[0].outcomes]
    results = [report.results_json(r, config, []) for r in (cpu, gpu)]
    report.write_gradebook(results, tmp_path / "gradebook.csv")
    rows = {r["submission"]: r for r in csv.DictReader((tmp_path / "gradebook.csv").open())}
    assert rows["cpu-host"]["cuda checks (score / max)"] == "not run"
    cuda_points = sum(o.check.points for o in gpu.topics[0].outcomes if o.check.needs_gpu)
    assert rows["gpu-host"]["cuda checks (score / max)"] == f"{cuda_points:.2f} / {cuda_points:.2f}"
    assert rows["cpu-host"]["total without cuda"] == rows["gpu-host"]["total without cuda"]
    assert rows["cpu-host"]["percentage (of the checks run)"] == "100.00"


def test_gradescope_rows_per_function_keep_hidden_apart():
    """`gradescope_rows = "function"`: a visible topic row, then a row per function and
    visibility; hidden rows keep the configured visibility; the scores add up."""
    import dataclasses

    config = load_config()
    config = dataclasses.replace(config, feedback=dataclasses.replace(
        config.feedback, gradescope_rows="function", hidden_visibility="after_published"))
    result = _graded("half", "losses", [Status.PASSED, Status.FAILED, Status.PASSED])
    data = report.gradescope_results(result, config, [])
    jsonschema.validate(data, SCHEMA)
    topic_row, *rows = data["tests"]
    assert topic_row["tags"] == ["losses", "topic"] and topic_row["visibility"] == "visible"
    functions = {c.function for c in load_config().checks(TOPICS["losses"])}
    assert {r["tags"][1] for r in rows} == functions
    assert len(rows) == len({(r["tags"][1], r["tags"][2]) for r in rows})
    for row in rows:
        assert row["visibility"] == ("visible" if row["tags"][2] == "public"
                                     else "after_published")
    assert sum(r["score"] for r in rows) == pytest.approx(topic_row["score"], abs=0.01)
    assert data["output_format"] == "md" and data["output"].startswith("# Feedback for half")
