"""The red-team suite: one adversarial submission per row of docs/attacks.md (more where a row has
variants), all graded in graded mode, each asserting its exact expected outcome (see
`tests/redteam/harness.py` for the format), and for every one of them:
- the honest topic riding along in the same submission gets full marks;
- nothing was written outside the sandbox (the marker folder stays empty), nothing reached a local
  listener, no sandbox process outlived the grading;
- results.json is the grader's (valid against the schema, not forged), and neither it nor the
  feedback contains hidden-check text, a hidden input or the grader's environment;
- grading finished inside its limits;
- an attack that declares FOLLOWED_BY is graded in a Grader of its own (one slot, one fork
  server), between two gradings of its follower: the follower must score after the attack exactly
  what it scored before it.
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
from autograder.runtime.outcome import Status, cuda_available
from tests.redteam import harness
from tests.redteam.harness import HONEST, TIME_LIMIT_S, TOPIC
from tests.test_grading import processes_of

pytestmark = pytest.mark.redteam  # `make test-fast` leaves the suite out

ATTACKS = harness.all_attacks()
SUMMARY: list[tuple[int, str, str]] = []  # (row, attack, outcome), printed by conftest
SECRET = f"nnf-secret-{secrets.token_hex(8)}"  # in the grader's environment, never the child's


@dataclass
class Graded:
    results: dict[str, SubmissionResult]  # keys: attack name, or "unscanned/<name>"; a
    # FOLLOWED_BY attack's follower also under "alone/<key>" and "follower/<key>"
    seconds: dict[str, float]
    context: harness.Context
    listener: harness.Listener
    config: object
    uids: set[int]  # the sandbox uids the suite's graders leased


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
    topics = list(dict.fromkeys(
        [TOPIC] + ([HONEST] if HONEST else [])
        + [t for a in runnable for t in (a.topic, a.honest) if t is not None]))
    # Attacks the source rules refuse are graded a second time with the rules off, so the
    # sandbox's own guarantees are proven on them too (EXPECT "unscanned").
    jobs = [(attack, "") for attack in runnable]
    jobs += [(attack, "unscanned/") for attack in runnable if "unscanned" in attack.expect]
    sequences = [job for job in jobs if job[0].followed_by]
    jobs = [job for job in jobs if not job[0].followed_by]
    submissions = {attack.name: attack.build(folder, context) for attack in runnable}
    followers = {attack.name: attack.follower(folder, context) for attack in runnable
                 if attack.followed_by}
    uids: set[int] = set()  # every sandbox uid the suite's graders leased
    with Grader(config, topics, workers=2) as scanned, \
            Grader(config, topics, workers=2, source_rules=False) as unscanned:
        uids |= {*scanned.sandbox_uids, *unscanned.sandbox_uids}

        def grade(job: tuple[harness.Attack, str]) -> None:
            attack, prefix = job
            grader = unscanned if prefix else scanned
            key = prefix + attack.name
            started = time.monotonic()
            results[key] = grader.grade(submissions[attack.name], out / key, attack.name)
            seconds[key] = time.monotonic() - started

        with ThreadPoolExecutor(2) as pool:
            list(pool.map(grade, jobs))
    # FOLLOWED_BY: once nothing else grades, a Grader of its own per attack (one slot, so one
    # fork server and one sandbox uid): the follower alone, the attack, the follower again.
    for attack, prefix in sequences:
        with Grader(config, [attack.topic, attack.honest], workers=1,
                    source_rules=not prefix) as grader:
            uids |= set(grader.sandbox_uids)
            for key, submission, name in (
                    ("alone/" + prefix + attack.name, followers[attack.name],
                     f"{attack.name}.alone"),
                    (prefix + attack.name, submissions[attack.name], attack.name),
                    ("follower/" + prefix + attack.name, followers[attack.name],
                     f"{attack.name}.follower")):
                started = time.monotonic()
                results[key] = grader.grade(submission, out / key, name)
                seconds[key] = time.monotonic() - started
    listener.close()
    return Graded(results, seconds, context, listener, config, uids)


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
    module = impl.load_source(harness.compose(path.read_text(), "reference", context,
                                              topic=attack.topic), attack.topic, path)
    runner = LocalRunner(impl.load(impl.SOLUTIONS, attack.topic))
    printed = {}
    for visibility in ("public", "hidden"):
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            for check in config.checks(attack.topic, (visibility,)):
                runner.run(check, module)
        printed[visibility] = set(buffer.getvalue().splitlines())
    return printed["hidden"] - printed["public"]


@pytest.mark.sandbox
@pytest.mark.slow
@pytest.mark.parametrize("attack", ATTACKS, ids=[a.name for a in ATTACKS])
def test_attack(attack: harness.Attack, graded: Graded) -> None:
    expect = attack.expect
    if expect.get("needs_gpu") and not cuda_available():
        SUMMARY.append((attack.row, attack.name, "NOT RUN: needs a CUDA device"))
        pytest.skip(f"row {attack.row} (docs/attacks.md) needs a CUDA device: NOT RUN here")
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

    topic = attack.topic
    functions = points_by_function(result, topic)
    (topic_result,) = [t for t in result.topics if t.topic is topic]
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
        assert earned == pytest.approx(possible), \
            f"{function}: {earned} of {possible}; {lost_because(topic_result, function)}"
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

    for shown in expect.get("not_shown", []):
        shown = graded.context.fill(shown, attack.name, topic)
        assert shown not in text and shown not in feedback, f"shown: {shown}"
    if expect.get("no_markdown_injection"):
        injected = harness.markdown_injections(feedback)
        assert not injected, f"markdown outside the fences: {injected[:3]}"
    if "max_startup_s" in expect:
        slow = {t.topic.name: round(t.startup_s, 1) for t in result.topics
                if t.startup_s > expect["max_startup_s"]}
        assert not slow, f"topics started slowly (fork server clean-up): {slow}"

    if attack.honest is not None and not result.rejected:
        assert_full(result, attack.honest, "the honest topic")
    for leak in [*harness.canaries(topic), SECRET]:
        assert leak not in text and leak not in feedback, f"leaked: {leak}"
    assert not [m for m in graded.context.markers.iterdir() if attack.name in m.name]
    assert not [r for r in graded.listener.received if attack.name.encode() in r]
    assert graded.seconds[prefix + attack.name] < len(result.topics) * (TIME_LIMIT_S + 30)
    followed = check_follower(attack, expect, graded, prefix) if attack.followed_by else ""
    return (f"{topic.number} {earned:.2f}/{possible:.2f}"
            + (" (refused by the source rules)" if topic_result.refused else "")
            + (f"; {len(result.ignored)} file(s) ignored" if result.ignored else "")
            + ("; archive rejected" if result.rejected else "") + followed)


def lost_because(topic_result, function: str) -> str:
    """Why `function` lost points: its first lost check's message and how the topic ended, so a
    failure in CI says whether the code, a limit or the machine cost them."""
    lost = [o for o in topic_result.outcomes if o.check.function == function and not o.passed
            and o.status is not Status.NOT_RUN]
    first = f"{lost[0].check.name}: {lost[0].message[:300]}" if lost else "no check lost"
    return (f"{first}; topic notes: {topic_result.notes or 'none'}; "
            f"{topic_result.seconds:.1f} s, peak {topic_result.peak_rss_mb:.0f} MB")


def assert_full(result: SubmissionResult, topic, what: str) -> None:
    (honest,) = [t for t in result.topics if t.topic is topic]
    earned, possible = result.topic_score(honest)
    assert possible > 0 and earned == pytest.approx(possible), (
        f"{what} ({topic.name}) got {earned} of {possible}; grader error: "
        f"{honest.grader_error!r}, notes: {honest.notes}, import error: {honest.load_error!r}")


def check_follower(attack: harness.Attack, expect: dict, graded: Graded, prefix: str) -> str:
    """The submission graded after the attack in the same slot scores what it scores alone."""
    alone = graded.results["alone/" + prefix + attack.name]
    after = graded.results["follower/" + prefix + attack.name]
    (before,) = [t for t in alone.topics if t.topic is attack.topic]
    (later,) = [t for t in after.topics if t.topic is attack.topic]
    if "max_startup_s" in expect:
        slow = {t.topic.name: round(t.startup_s, 1) for t in after.topics
                if t.startup_s > expect["max_startup_s"]}
        assert not slow, f"the follower's topics started slowly (clean-up): {slow}"
    earned_alone, earned_after = alone.topic_score(before)[0], after.topic_score(later)[0]
    lost = [o.check.id for o, b in zip(later.outcomes, before.outcomes, strict=True)
            if b.passed and not o.passed]
    assert earned_after == pytest.approx(earned_alone), \
        f"the follower scored {earned_after:.2f} after the attack, {earned_alone:.2f} alone " \
        f"(lost: {lost[:5]}; notes: {later.notes[:2]})"
    assert_full(after, attack.honest, "the follower's honest topic")
    return f"; follower {earned_after:.2f} (alone {earned_alone:.2f})"


@pytest.mark.sandbox
@pytest.mark.slow
def test_nothing_escaped(graded: Graded) -> None:
    """Across the whole suite: no marker file, no byte at the listener, no sandbox process left."""
    assert list(graded.context.markers.iterdir()) == []
    assert graded.listener.received == []
    assert graded.uids and processes_of(graded.uids) == []


def test_suite_covers_every_row() -> None:
    """Every row of docs/attacks.md but 41 (two graders on one host: tests/test_leases.py) has
    at least one attack submission, and each of the mechanism rows 34-40 several spellings."""
    rows = [a.row for a in ATTACKS]
    missing = sorted(set(range(1, 41)) - set(rows))
    assert not missing, f"rows without an attack: {missing}"
    assert all(rows.count(row) >= 4 for row in range(34, 41))
