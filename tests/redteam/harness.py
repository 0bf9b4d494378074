"""The red-team suite's machinery: build every attack submission, grade them all in graded mode
(the real `Grader`, two at a time, short time limits), and hold what each one got.

An attack is a file or a folder in `attacks/` whose name starts with `rNN_`, or an archive built by
`archives.py`. A file (or a folder's `regularization.py`) starts with a header read without
running it:

    '''Row 1 (early exit): os._exit(0) at import.'''
    ROW = 1
    EXPECT = {"zero": "all"}
    BASE = "reference"   # optional: "reference" (default), "stub" or "none"

and its code is appended to the reference solution of the attacked topic (like a mutant: the names
it defines replace the reference's), or to the stub, or used alone. The placeholders
__MARKERS__, __OUT__, __PORT__, __REPO__ and __NAME__ are replaced with the marker folder, the
grading output folder, the port of a local listener, this checkout's path and the attack's name
(put it in every marker file name and every byte sent, so a leak is pinned on its attack). An
honest solution of a second topic rides along in every submission, so each attack also proves
that the other topic is graded normally.

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
  sandbox's own guarantees are proven on a refused attack too.
"""

from __future__ import annotations

import ast
import re
import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path

from autograder import impl
from autograder.topics import TOPICS

HERE = Path(__file__).parent
ATTACKS = HERE / "attacks"
TOPIC = TOPICS["regularization"]  # the attacked topic
HONEST = TOPICS.get("activations")  # rides along, must be graded normally
TIME_LIMIT_S = 20  # per topic in the suite's config: hangs cost 20 s, not 120


@dataclass
class Attack:
    name: str
    row: int
    title: str
    expect: dict
    build: object  # callable(folder: Path, context: Context) -> Path (the submission)


@dataclass
class Context:
    markers: Path
    out: Path
    port: int
    received: list = field(default_factory=list)

    def fill(self, text: str, name: str = "") -> str:
        for key, value in (("__NAME__", name), ("__MARKERS__", str(self.markers)),
                           ("__OUT__", str(self.out)), ("__PORT__", str(self.port)),
                           ("__REPO__", str(impl.ROOT))):
            text = text.replace(key, value)
        return text


def header(source: str) -> tuple[str, dict]:
    """The attack's docstring and its ROW/EXPECT/BASE assignments, read without running it."""
    tree = ast.parse(source)
    values = {"BASE": "reference", "EXPECT": {}}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                and isinstance(node.targets[0], ast.Name) and node.targets[0].id in (
                    "ROW", "EXPECT", "BASE"):
            values[node.targets[0].id] = ast.literal_eval(node.value)
    return ast.get_docstring(tree) or "", values


def compose(source: str, base: str, context: Context, name: str = "") -> str:
    """The module a student would have submitted: base solution, then the attack's code."""
    body = context.fill(source, name)
    if base == "none":
        return body
    folder = impl.SOLUTIONS if base == "reference" else impl.EXERCISES
    return impl.patched_source(folder, TOPIC, body, "attack")


def honest_files(folder: Path) -> None:
    if HONEST is not None:
        (folder / HONEST.module_file).write_text(
            impl.module_path(impl.SOLUTIONS, HONEST).read_text())


def file_attacks() -> list[Attack]:
    attacks = []
    for path in sorted(ATTACKS.glob("r[0-9]*")):
        if path.name.endswith("_twin.py") or path.name == "__pycache__":
            continue
        main = path / TOPIC.module_file if path.is_dir() else path
        title, values = header(main.read_text())

        def build(folder: Path, context: Context, path=path, base=values["BASE"]) -> Path:
            submission = folder / path.stem
            submission.mkdir(parents=True)
            honest_files(submission)
            sources = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() \
                else [path]
            for source in sources:
                text = source.read_text()
                if source.name == TOPIC.module_file or not path.is_dir():
                    (submission / TOPIC.module_file).write_text(
                        compose(text, base, context, path.stem))
                else:
                    (submission / source.name).write_text(context.fill(text, path.stem))
            return submission

        attacks.append(Attack(path.stem, values["ROW"], title.splitlines()[0],
                              values["EXPECT"], build))
    return attacks


def all_attacks() -> list[Attack]:
    from tests.redteam.archives import archive_attacks

    return sorted(file_attacks() + archive_attacks(), key=lambda a: (a.row, a.name))


def twin_score(attack: Attack, twin: str, context: Context, config) -> float:
    """Local-mode score of the honest twin: what an honest wrong answer scores. Only honest code
    (no attack in it) is ever run in this process."""
    from autograder.local import LocalRunner
    from autograder.runtime.outcome import score

    path = ATTACKS / (f"{attack.name}.py" if twin == "self" else twin)
    _, values = header(path.read_text())
    source = compose(path.read_text(), values["BASE"], context)
    module = impl.load_source(source, TOPIC, path)
    runner = LocalRunner(impl.load(impl.SOLUTIONS, TOPIC))
    outcomes = [runner.run(c, module) for c in config.checks(TOPIC)]
    return score(outcomes)[0]


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


def canaries() -> list[str]:
    """Strings that exist only in files the sandbox must not read: if one appears in feedback,
    something hidden leaked."""
    hidden = (impl.ROOT / "autograder/checks/hidden" / TOPIC.module_file).read_text()
    found = ['CheckSet("regularization", "hidden")', "[topics.regularization.points]"]
    found += re.findall(r"^F32_NORM = .*$", hidden, flags=re.M)
    for mutant in TOPIC.mutants()[:3]:
        found.append(ast.get_docstring(ast.parse(mutant.read_text())).splitlines()[0])
    return found
