"""The red-team suite: one adversarial submission per row of ATTACKS.md (more where a row has
variants), all graded in graded mode, each asserting its exact expected outcome (see
`tests/redteam/harness.py` for the format), and for every one of them:
- the honest topic riding along in the same submission gets full marks;
- nothing was written outside the sandbox (the marker folder stays empty), nothing reached a local
  listener, no sandbox process outlived the grading;
- results.json is the grader's (valid against the schema, not forged), and neither it nor the
  feedback contains hidden-check text, a hidden input or the grader's environment;
- grading finished inside its limits.
The count of attacks and the outcome per row are printed at the end of the run.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import secrets
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest

from autograder import impl
from autograder.config import load_config
from autograder.grade import Grader
from autograder.local import LocalRunner
from autograder.report import RESULTS_SCHEMA, SubmissionResult
from autograder.runtime.outcome import cuda_available
from autograder.sandbox.leases import FIRST_UID
from tests.redteam import harness
from tests.redteam.harness import HONEST, TIME_LIMIT_S, TOPIC

ATTACKS = harness.all_attacks()
SUMMARY: list[tuple[int, str, str]] = []  # (row, attack, outcome), printed by conftest
SECRET = f"nnf-secret-{secrets.token_hex(8)}"  # in the grader's environment, never the child's


@dataclass
class Graded:
    results: dict[str, SubmissionResult]  # keys: attack name, or "unscanned/<name>"
    seconds: dict[str, float]
    context: harness.Context
    listener: harness.Listener
    config: object


def suite_config(folder: Path):
    """The real configuration with short time limits, so a hanging attack costs 20 s."""
    text = (impl.ROOT / "grading_config/grading.toml").read_text()
    text = re.sub(r"(?m)^time_limit_s = .*$", f"time_limit_s = {TIME_LIMIT_S}", text)
    path = folder / "grading.toml"
    path.write_text(text)
    return load_config(path)


@pytest.fixture(scope="session")
def graded(tmp_path_factory, request) -> Graded:
    selected = {item.callspec.params["attack"].name for item in request.session.items
                if getattr(item, "originalname", "") == "test_attack"}
    root = tmp_path_factory.mktemp("redteam")
    root.chmod(0o755)
    markers, out, folder = root / "markers", root / "out", root / "submissions"
    markers.mkdir(mode=0o777)
    markers.chmod(0o777)  # writable by anyone: only the sandbox stops an attack writing here
    folder.mkdir()
    listener = harness.Listener()
    context = harness.Context(markers, out, listener.port)
    config = suite_config(root)
    runnable = [a for a in ATTACKS if a.name in selected
                and not (a.expect.get("needs_gpu") and not cuda_available())]
    os.environ["NNF_REDTEAM_SECRET"] = SECRET
    results, seconds = {}, {}
    topics = [TOPIC] + ([HONEST] if HONEST else [])
    # Attacks the source rules refuse are graded a second time with the rules off, so the
    # sandbox's own guarantees are proven on them too (EXPECT "unscanned").
    jobs = [(attack, "") for attack in runnable]
    jobs += [(attack, "unscanned/") for attack in runnable if "unscanned" in attack.expect]
    submissions = {attack.name: attack.build(folder, context) for attack in runnable}
    with Grader(config, topics, workers=2) as scanned, \
            Grader(config, topics, workers=2, source_rules=False) as unscanned:

        def grade(job: tuple[harness.Attack, str]) -> None:
            attack, prefix = job
            grader = unscanned if prefix else scanned
            key = prefix + attack.name
            started = time.monotonic()
            results[key] = grader.grade(submissions[attack.name], out / key, attack.name)
            seconds[key] = time.monotonic() - started

        with ThreadPoolExecutor(2) as pool:
            list(pool.map(grade, jobs))
    listener.close()
    return Graded(results, seconds, context, listener, config)


def points_by_function(result: SubmissionResult, topic) -> dict[str, tuple[float, float]]:
    (topic_result,) = [t for t in result.topics if t.topic is topic]
    table: dict[str, list[float]] = {}
    for outcome in topic_result.outcomes:
        if outcome.status.value == "not run":
            continue
        earned, possible = table.setdefault(outcome.check.function, [0.0, 0.0])
        table[outcome.check.function] = [earned + (outcome.check.points if outcome.passed
                                                   else 0.0), possible + outcome.check.points]
    return {name: (e, p) for name, (e, p) in table.items()}


def hidden_prints(attack: harness.Attack, context: harness.Context, config) -> set[str]:
    """Lines the attack prints while hidden checks run (and not while public ones do), found by
    running its honest, print-only code in local mode here."""
    path = harness.ATTACKS / f"{attack.name}.py"
    module = impl.load_source(harness.compose(path.read_text(), "reference", context), TOPIC, path)
    runner = LocalRunner(impl.load(impl.SOLUTIONS, TOPIC))
    printed = {}
    for visibility in ("public", "hidden"):
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            for check in config.checks(TOPIC, (visibility,)):
                runner.run(check, module)
        printed[visibility] = set(buffer.getvalue().splitlines())
    return printed["hidden"] - printed["public"]


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.name for a in ATTACKS])
def test_attack(attack: harness.Attack, graded: Graded) -> None:
    expect = attack.expect
    if expect.get("needs_gpu") and not cuda_available():
        SUMMARY.append((attack.row, attack.name, "NOT RUN: needs a CUDA device"))
        pytest.skip(f"ATTACKS.md row {attack.row} needs a CUDA device: NOT RUN on this machine")
    outcome = check_outcome(attack, expect, graded, "")
    if "unscanned" in expect:
        outcome += "; rules off: " + check_outcome(attack, expect["unscanned"], graded,
                                                   "unscanned/")
    SUMMARY.append((attack.row, attack.name, outcome))


def check_outcome(attack: harness.Attack, expect: dict, graded: Graded, prefix: str) -> str:
    """Assert one grading of the attack against `expect` and the suite-wide guarantees; return
    the summary line."""
    result = graded.results[prefix + attack.name]
    folder = graded.context.out / (prefix + attack.name)
    text = (folder / "results.json").read_text()
    feedback = (folder / "feedback.md").read_text()
    data = json.loads(text)
    jsonschema.validate(data, json.loads(RESULTS_SCHEMA.read_text()))
    assert "forged" not in text.lower() and data["extra_data"]["submission"] == attack.name

    if expect.get("rejected"):
        assert result.rejected, "the archive should have been rejected as a whole"
        assert result.score()[0] == 0
    else:
        assert not result.rejected, result.rejected
    for fragment in expect.get("ignored", []):
        assert any(fragment in line for line in result.ignored), (fragment, result.ignored)

    functions = points_by_function(result, TOPIC)
    (topic_result,) = [t for t in result.topics if t.topic is TOPIC]
    if expect.get("refused"):
        assert topic_result.refused, "the source rules should have refused the module"
        assert "The module was not run" in feedback
    zero = set(functions) if expect.get("zero") == "all" or expect.get("refused") \
        else set(expect.get("zero", []))
    for function in zero:
        assert functions[function][0] == 0, f"{function} earned {functions[function][0]}"
    by_name = {o.check.name: o for o in topic_result.outcomes}
    for name in expect.get("fail", []):
        assert not by_name[name].passed, f"{name} passed"
    full = expect.get("full", [])
    full = set(functions) - zero if full == "others" else set(functions) if full == "all" \
        else set(full)
    for function in full:
        earned, possible = functions[function]
        assert earned == pytest.approx(possible), f"{function}: {earned} of {possible}"
    earned, possible = result.topic_score(topic_result)
    if expect.get("below_full"):
        assert earned < possible
    if "twin" in expect:
        assert earned == pytest.approx(harness.twin_score(attack, expect["twin"],
                                                          graded.context, graded.config))
    if expect.get("no_hidden_prints"):
        leaked = [line for line in hidden_prints(attack, graded.context, graded.config)
                  if line in feedback or line in text]
        assert not leaked, f"printed during hidden checks and shown: {leaked[:3]}"

    if HONEST is not None and not result.rejected:
        (honest,) = [t for t in result.topics if t.topic is HONEST]
        earned_honest, possible_honest = result.topic_score(honest)
        assert possible_honest > 0 and earned_honest == pytest.approx(possible_honest), \
            f"the honest topic got {earned_honest} of {possible_honest}"
    for leak in [*harness.canaries(), SECRET]:
        assert leak not in text and leak not in feedback, f"leaked: {leak}"
    assert not [m for m in graded.context.markers.iterdir() if attack.name in m.name]
    assert not [r for r in graded.listener.received if attack.name.encode() in r]
    assert graded.seconds[prefix + attack.name] < len(result.topics) * (TIME_LIMIT_S + 30)
    return (f"5-10 {earned:.2f}/{possible:.2f}"
            + (" (refused by the source rules)" if topic_result.refused else "")
            + (f"; {len(result.ignored)} file(s) ignored" if result.ignored else "")
            + ("; archive rejected" if result.rejected else ""))


def test_nothing_escaped(graded: Graded) -> None:
    """Across the whole suite: no marker file, no byte at the listener, no sandbox process left."""
    assert list(graded.context.markers.iterdir()) == []
    assert graded.listener.received == []
    assert sandbox_processes() == []


def sandbox_processes() -> list[str]:
    left = []
    for status in Path("/proc").glob("[0-9]*/status"):
        with contextlib.suppress(OSError):
            uid = int(re.search(r"^Uid:\s+(\d+)", status.read_text(), re.M).group(1))
            if FIRST_UID <= uid < FIRST_UID + 2:  # this run's two slots
                left.append(f"pid {status.parent.name} uid {uid}")
    return left


def test_suite_covers_every_row() -> None:
    rows = {a.row for a in ATTACKS}
    assert rows >= set(range(1, 34)), f"rows without an attack: {sorted(set(range(1, 34)) - rows)}"
    assert len(ATTACKS) >= 33
