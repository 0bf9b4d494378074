"""The red-team suite's machinery: build every attack submission, grade them all in graded mode
(the real `Grader`, two at a time, short time limits), and hold what each one got.

An attack is a file or a folder in `attacks/` whose name starts with `rNN_`, or an archive built by
`archives.py`. A file (or a folder's `regularization.py`) starts with a header read without
running it:

    '''Row 1 (early exit): os._exit(0) at import.'''
    ROW = 1
    EXPECT = {"zero": "all"}
    BASE = "reference"   # optional: "reference" (default), "stub" or "none"
    TOPIC = "activations"   # optional: the attacked topic (default "regularization")
    FOLLOWED_BY = "reference"   # optional: see below

and its code is appended to the reference solution of the attacked topic (like a mutant: the names
it defines replace the reference's), or to the stub, or used alone. The placeholders
__MARKERS__, __OUT__, __PORT__, __REPO__, __NAME__ and __MEMORY_MB__ are replaced with the marker
folder, the grading output folder, the port of a local listener, this checkout's path, the
attack's name (put it in every marker file name and every byte sent, so a leak is pinned on its
attack) and what the attacked topic's memory cgroup allows (its `memory_mb` in grading.toml and
the cgroup's slack). An honest solution of a second topic rides along in every submission
(activations, or losses when activations is the attacked topic), so each attack also proves that
the other topic is graded normally.

FOLLOWED_BY: "reference", or a file in attacks/ ending in `_follower.py` (honest code appended to
the reference like an attack, with __NAME__ the attack's name): after the attack, that submission
is graded next by the same grading slot (its fork server, its sandbox uid), in a Grader of its
own; it must score exactly what it scores graded first, alone, in that slot, and its honest topic
must keep full marks. Nothing of one submission may reach the next.

EXPECT keys (all optional):
- "zero": "all" or [functions]: every check of these functions scores 0;
- "fail": [check names]: these checks score 0;
- "full": "others", "all" or [functions]: these functions keep all their points;
- "below_full": the attacked topic loses points;
- "twin": a file in attacks/ (or "self"): the attacked topic scores exactly what that honest
  implementation scores in local mode (what an honest wrong answer scores);
- "ignored": [substrings] of the ignored-files list; "rejected": the archive is refused whole;
- "no_hidden_prints": nothing the code printed while a hidden check ran reaches the feedback;
- "needs_gpu": the row needs CUDA and is reported as not run without it;
- "refused": the source rules (autograder/sandbox/rules.py) refuse the module: every check of the
  topic scores 0 and the module never runs;
- "unscanned": {...}: the same keys, asserted on a second grading with the source rules off, so the
  sandbox's own guarantees are proven on a refused attack too;
- "not_shown": [strings] (placeholders filled): none of them appears in results.json or
  feedback.md (a canary the attack tries to carry into text the grader shows);
- "no_markdown_injection": outside its fenced blocks, feedback.md holds no link, image, raw HTML
  or heading the grader did not write;
- "max_startup_s": every topic of the grading (and of the follower's) started, fork server's
  clean-up included, within this many seconds.
"""

from __future__ import annotations

import ast
import re
import socket
import threading
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from autograder import impl
from autograder.course import TOPICS, Topic

HERE = Path(__file__).parent
ATTACKS = HERE / "attacks"
TOPIC = TOPICS["regularization"]  # the attacked topic
HONEST = TOPICS.get("activations")  # rides along, must be graded normally
TIME_LIMIT_S = 20  # per topic in the suite's config: hangs cost 20 s, not 120
FOLLOWER_SUFFIX = "_follower.py"


def honest_for(topic: Topic) -> Topic | None:
    """The honest topic riding along with an attack on `topic`: never the attacked one."""
    if HONEST is None:
        return None
    return HONEST if HONEST is not topic else TOPICS["losses"]


@dataclass
class Attack:
    name: str
    row: int
    title: str
    expect: dict
    build: object  # callable(folder: Path, context: Context) -> Path (the submission)
    topic: Topic = TOPIC
    honest: Topic | None = HONEST
    followed_by: str = ""  # "reference" or a *_follower.py file: graded next in the same slot
    follower: object = None  # callable(folder, context) -> Path: the follower's submission


@dataclass
class Context:
    markers: Path
    out: Path
    port: int
    received: list = field(default_factory=list)

    def fill(self, text: str, name: str = "", topic: Topic = TOPIC) -> str:
        for key, value in (("__NAME__", name), ("__MARKERS__", str(self.markers)),
                           ("__OUT__", str(self.out)), ("__PORT__", str(self.port)),
                           ("__REPO__", str(impl.ROOT)),
                           ("__MEMORY_MB__", str(memory_mb(topic)))):
            text = text.replace(key, value)
        return text


@cache
def memory_mb(topic: Topic) -> int:
    """What the topic's memory cgroup allows in the real grading configuration: its `memory_mb`
    (the child's own data limit) and the cgroup's slack above it."""
    from autograder.config import load_config
    from autograder.sandbox.limits import CGROUP_SLACK_MB

    config = load_config(impl.ROOT / "grading_config/grading.toml")
    return config.topics[topic.name].memory_mb + CGROUP_SLACK_MB


def header(source: str) -> tuple[str, dict]:
    """The attack's docstring and its ROW/EXPECT/BASE/TOPIC/FOLLOWED_BY assignments, read without
    running it."""
    tree = ast.parse(source)
    values = {"BASE": "reference", "EXPECT": {}, "TOPIC": TOPIC.name, "FOLLOWED_BY": ""}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                and isinstance(node.targets[0], ast.Name) and node.targets[0].id in (
                    "ROW", "EXPECT", "BASE", "TOPIC", "FOLLOWED_BY"):
            values[node.targets[0].id] = ast.literal_eval(node.value)
    return ast.get_docstring(tree) or "", values


def compose(source: str, base: str, context: Context, name: str = "",
            topic: Topic = TOPIC) -> str:
    """The module a student would have submitted: base solution, then the attack's code."""
    body = context.fill(source, name, topic)
    if base == "none":
        return body
    folder = impl.SOLUTIONS if base == "reference" else impl.EXERCISES
    return impl.patched_source(folder, topic, body, "attack")


def honest_files(folder: Path, honest: Topic | None = HONEST) -> None:
    if honest is not None:
        (folder / honest.module_file).write_text(
            impl.module_path(impl.SOLUTIONS, honest).read_text())


def follower_build(attack_name: str, followed_by: str, topic: Topic):
    """The submission graded after the attack: the reference, or a *_follower.py file appended
    to it (its __NAME__ is the attack's), with the same honest topic."""

    def build(folder: Path, context: Context) -> Path:
        submission = folder / f"{attack_name}.follower"
        submission.mkdir(parents=True)
        honest_files(submission, honest_for(topic))
        if followed_by == "reference":
            text = impl.module_path(impl.SOLUTIONS, topic).read_text()
        else:
            source = (ATTACKS / followed_by).read_text()
            text = compose(source, header(source)[1]["BASE"], context, attack_name, topic)
        (submission / topic.module_file).write_text(text)
        return submission

    return build


def file_attacks() -> list[Attack]:
    attacks = []
    for path in sorted(ATTACKS.glob("r[0-9]*")):
        if path.name.endswith(("_twin.py", FOLLOWER_SUFFIX)) or path.name == "__pycache__":
            continue
        main = path / TOPIC.module_file if path.is_dir() else path
        title, values = header(main.read_text())
        topic = TOPICS[values["TOPIC"]]

        def build(folder: Path, context: Context, path=path, base=values["BASE"],
                  topic=topic) -> Path:
            submission = folder / path.stem
            submission.mkdir(parents=True)
            honest_files(submission, honest_for(topic))
            sources = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() \
                else [path]
            for source in sources:
                text = source.read_text()
                if source.name == topic.module_file or not path.is_dir():
                    (submission / topic.module_file).write_text(
                        compose(text, base, context, path.stem, topic))
                else:
                    (submission / source.name).write_text(context.fill(text, path.stem, topic))
            return submission

        followed_by = values["FOLLOWED_BY"]
        attacks.append(Attack(path.stem, values["ROW"], title.splitlines()[0],
                              values["EXPECT"], build, topic, honest_for(topic), followed_by,
                              follower_build(path.stem, followed_by, topic) if followed_by
                              else None))
    return attacks


def all_attacks() -> list[Attack]:
    from tests.redteam.archives import archive_attacks

    return sorted(file_attacks() + archive_attacks(), key=lambda a: (a.row, a.name))


def twin_score(attack: Attack, twin: str, context: Context, config) -> float:
    """Local-mode score of the honest twin: what an honest wrong answer scores. Only honest code
    (no attack in it) is ever run in this process."""
    from autograder.local import LocalRunner
    from autograder.runtime.outcome import credit, score

    path = ATTACKS / (f"{attack.name}.py" if twin == "self" else twin)
    _, values = header(path.read_text())
    source = compose(path.read_text(), values["BASE"], context, topic=attack.topic)
    module = impl.load_source(source, attack.topic, path)
    runner = LocalRunner(impl.load(impl.SOLUTIONS, attack.topic))
    outcomes = [runner.run(c, module) for c in config.checks(attack.topic)]
    return score(credit(outcomes))[0]  # credited as graded mode credits them


class Listener:
    """A local TCP listener: any connection or byte that reaches it is an exfiltration."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.socket.settimeout(0.5)
        self.port = self.socket.getsockname()[1]
        self.received: list[bytes] = []
        self._stop = False
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                continue
            with connection:
                connection.settimeout(1)
                try:
                    self.received.append(b"CONNECTED " + connection.recv(4096))
                except OSError:
                    self.received.append(b"CONNECTED")

    def close(self) -> None:
        self._stop = True
        self._thread.join(timeout=5)
        self.socket.close()


def canaries(topic: Topic = TOPIC) -> list[str]:
    """Strings that exist only in files the sandbox must not read: if one appears in feedback,
    something hidden leaked."""
    hidden = topic.check_file("hidden").read_text()
    found = [f'CheckSet("{topic.name}", "hidden")', f"[topics.{topic.name}.points]"]
    found += re.findall(r"^F32_NORM = .*$", hidden, flags=re.M)
    for mutant in topic.mutants()[:3]:
        found.append(ast.get_docstring(ast.parse(mutant.read_text())).splitlines()[0])
    return found


GRADER_HEADINGS = re.compile(r"^(# Feedback for |## \d+-\d+ |### Checks to look at$)")


def markdown_injections(markdown: str) -> list[str]:
    """Lines of feedback.md, outside its fenced blocks, that hold markdown the grader never writes
    there: a link or image, raw HTML, or a heading other than its own."""
    found, fence = [], ""
    for line in markdown.splitlines():
        if fence:
            if line.strip() == fence:
                fence = ""
            continue
        opening = re.match(r"^(`{3,})", line)
        if opening:
            fence = opening.group(1)
            continue
        if re.search(r"\]\(|<[a-zA-Z/!]|^\s{0,3}#{1,6}\s", line) \
                and not GRADER_HEADINGS.match(line):
            found.append(line)
    return found
