"""Which contracts each graded function has, and whether the checks and mutants cover them.

A graded function's docstring states contracts of a few kinds (`CONTRACT_KINDS`: exact return
types, dtypes, arguments left unchanged, documented errors, edge cases, generator discipline,
restored modes, key sets). Each topic's hidden checks declare, per graded function, the kinds that
apply (`CONTRACTS`) and the ones that look as if they apply but do not, with the reason
(`NOT_APPLICABLE`). Here the kinds are also derived from the reference solution's own text (its
signature and docstring), so a table cannot quietly leave one out:

- every kind derived from the reference is declared or explained in NOT_APPLICABLE;
- every declared kind has a check tagged with it (`CHECKS.add(..., contract=kind)`);
- every kind declared in a topic has a hand-written mutant breaking it (`CONTRACT = kind` in the
  mutant file) whose CAUGHT_BY names a check of that kind; `verify` proves it caught.

`python -m autograder contracts` prints the table; tests/test_contracts.py enforces it.
"""

from __future__ import annotations

import ast
import importlib
import re
from dataclasses import dataclass
from pathlib import Path

from autograder import impl
from autograder.config import GradingConfig
from autograder.course import Topic
from autograder.runtime.check import CONTRACT_KINDS

# Annotations of arguments a function could modify (arrays, tensors, containers, modules, nodes).
MUTABLE = re.compile(r"ndarray|Tensor|dict|list|Sequence|Iterable|Module|Optimizer|Value|"
                     r"Mapping|Parameter|State|Linear|MLP")
ARRAY = re.compile(r"ndarray|Tensor|ArrayLike")
# Docstring wording that states a contract of each kind (a match makes the kind apply; a false
# match is answered in NOT_APPLICABLE with the reason).
WORDING = {
    "dtypes": re.compile(r"float32|float64|dtype", re.I),
    # "Raises:", "raise ValueError", "(ValueError otherwise)"
    "errors": re.compile(r"\b[Rr]aises?\b|\b[A-Z]\w*Error\b"),
    "edges": re.compile(r"\bempty\b|\bexactly at\b|\bboundary\b|\bat (?:0|zero)\b|\bties?\b|"
                        r"\bNaN\b|\binf\b|\bone row\b|\bsingle\b", re.I),
    "generator": re.compile(r"\bgenerator\b|\brng\b", re.I),
    "restores": re.compile(r"\brestor|\btrain mode|\beval mode|\bno_grad\b", re.I),
    "keys": re.compile(r"\bkeys?\b", re.I),
    "unchanged": re.compile(r"\bunchanged\b|\bin place\b|\bnot modif|\bcopy\b", re.I),
}


@dataclass(frozen=True)
class Definition:
    """A graded function or class of the reference: its text and its arguments' annotations."""

    name: str
    docstring: str
    arguments: dict[str, str]  # name -> annotation source ("" if none)
    returns: str


def definitions(topic: Topic) -> dict[str, Definition]:
    """The reference solution's top-level functions and classes (a class's text and arguments
    include its public methods' and __init__'s)."""
    source = impl.module_path(impl.SOLUTIONS, topic).read_text(encoding="utf-8")
    found = {}
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            functions = [node] if isinstance(node, ast.FunctionDef) else [
                n for n in node.body if isinstance(n, ast.FunctionDef)
                and (n.name == "__init__" or not n.name.startswith("_"))]
            texts = [ast.get_docstring(node) or ""] + (
                [] if isinstance(node, ast.FunctionDef) else
                [ast.get_docstring(f) or "" for f in functions])
            arguments = {a.arg: ast.unparse(a.annotation) if a.annotation else ""
                         for f in functions for a in f.args.args + f.args.kwonlyargs
                         if a.arg not in ("self", "cls")}
            returns = " ".join(ast.unparse(f.returns) for f in functions if f.returns)
            found[node.name] = Definition(node.name, "\n".join(texts), arguments, returns)
    return found


def derived(definition: Definition) -> dict[str, str]:
    """The kinds the reference's own text says apply, each with what in the text says so."""
    kinds = {"returns": "every graded function returns or holds something"}
    text, arguments = definition.docstring, definition.arguments
    arrays = [a for a, note in arguments.items() if ARRAY.search(note)]
    if arrays:
        kinds["dtypes"] = f"array arguments {arrays}"
    mutable = [a for a, note in arguments.items() if MUTABLE.search(note)]
    if mutable:
        kinds["unchanged"] = f"arguments it could modify {mutable}"
    if any(a in ("generator", "rng") or "Generator" in note for a, note in arguments.items()):
        kinds["generator"] = "takes a generator"
    if "dict" in definition.returns:
        kinds["keys"] = "returns a dict"
    for kind, wording in WORDING.items():
        match = wording.search(text)
        if match and kind not in kinds:
            kinds[kind] = f"the docstring says {match.group(0)!r}"
    return kinds


def declared(topic: Topic) -> tuple[dict[str, tuple[str, ...]], dict[str, dict[str, str]]]:
    """The topic's CONTRACTS and NOT_APPLICABLE tables (empty if its hidden checks are absent)."""
    try:
        module = importlib.import_module(topic.check_module("hidden"))
    except ModuleNotFoundError:
        return {}, {}
    return (dict(getattr(module, "CONTRACTS", {})), dict(getattr(module, "NOT_APPLICABLE", {})))


def mutant_contract(path: Path) -> str | None:
    """The contract kind a hand-written mutant breaks (its CONTRACT string), if it names one."""
    for node in ast.parse(Path(path).read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "CONTRACT" for t in node.targets):
            return ast.literal_eval(node.value)
    return None


def problems(topic: Topic, config: GradingConfig) -> list[str]:
    """Everything the contract rule finds wrong in one topic, each a sentence naming the fix."""
    contracts, waived = declared(topic)
    graded = set(config.topics[topic.name].points)
    found, where = [], f"autograder/topics/{topic.name}/hidden/checks.py"
    for name in sorted(graded - set(contracts)):
        found.append(f"{name}: no CONTRACTS entry in {where}")
    for name in sorted(set(contracts) - graded):
        found.append(f"{name}: in CONTRACTS but not a graded function")
    for name in sorted(set(waived) - graded):
        found.append(f"{name}: in NOT_APPLICABLE but not a graded function")
    references = definitions(topic)
    tagged: dict[tuple[str, str], list[str]] = {}
    for check in topic.all_checks():
        for kind in check.contracts:
            tagged.setdefault((check.function, kind), []).append(check.name)
    for name, kinds in sorted(contracts.items()):
        unknown = [k for k in (*kinds, *waived.get(name, {})) if k not in CONTRACT_KINDS]
        if unknown:
            found.append(f"{name}: unknown contract kinds {unknown}")
        for kind in sorted(set(kinds) & set(waived.get(name, {}))):
            found.append(f"{name}: {kind!r} both declared and in NOT_APPLICABLE")
        if name in references:
            for kind, why in derived(references[name]).items():
                if kind not in kinds and kind not in waived.get(name, {}):
                    found.append(f"{name}: {kind!r} applies ({why}): add it to CONTRACTS with a "
                                 f"check, or say in NOT_APPLICABLE why it does not")
        for kind in kinds:
            if (name, kind) not in tagged:
                found.append(f"{name}: {kind!r} is declared but no check has contract={kind!r}")
    for (name, kind), checks in sorted(tagged.items()):
        if kind not in contracts.get(name, ()):
            found.append(f"{name}: checks {checks} test {kind!r}, which CONTRACTS does not list")
    found += _mutant_problems(topic, contracts, tagged)
    return found


def _mutant_problems(topic: Topic, contracts: dict[str, tuple[str, ...]],
                     tagged: dict[tuple[str, str], list[str]]) -> list[str]:
    kinds_used = {kind for kinds in contracts.values() for kind in kinds}
    broken: dict[str, list[str]] = {}
    found = []
    for path in topic.mutants():
        kind = mutant_contract(path)
        if kind is None:
            continue
        if kind not in CONTRACT_KINDS:
            found.append(f"mutant {path.stem}: unknown CONTRACT {kind!r}")
            continue
        caught_by = impl.mutant_caught_by(path)
        kind_checks = {n for (_, k), names in tagged.items() if k == kind for n in names}
        if not set(caught_by) & kind_checks:
            found.append(f"mutant {path.stem}: breaks {kind!r} but none of its CAUGHT_BY is a "
                         f"check with contract={kind!r}")
            continue
        broken.setdefault(kind, []).append(path.stem)
    for kind in sorted(kinds_used - set(broken)):
        found.append(f"no mutant with CONTRACT = {kind!r} in "
                     f"autograder/topics/{topic.name}/hidden/mutants/")
    return found


def table(topic: Topic) -> list[str]:
    """Markdown rows: each graded function, its declared kinds and the checks of each."""
    contracts, waived = declared(topic)
    checks = topic.all_checks()
    rows = []
    for name, kinds in sorted(contracts.items()):
        cells = []
        for kind in CONTRACT_KINDS:
            count = sum(1 for c in checks if c.function == name and kind in c.contracts)
            cells.append(str(count) if kind in kinds else
                         ("n/a" if kind in waived.get(name, {}) else ""))
        rows.append(f"| {topic.number} `{name}` | " + " | ".join(cells) + " |")
    return rows
