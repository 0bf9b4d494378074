"""The names the grader calls, with their parameters, and what a submitted module lacks of them.

Every public top-level function and class of a stub is graded, by its name, and the checks pass
its arguments by the stub's parameter names. `make submit` reads each module's source (it never
runs it for this) and refuses a module where one is missing or its parameters differ:

    losses.py: kl_div is missing; did you mean kl_divergence?
    losses.py: huber_loss(pred, target, d=1.0, reduction="mean"): the stub's parameters are
        (pred, target, delta=1.0, reduction="mean")

The expected names come from the reference solutions where they exist (this repository) and from
`autograder/interface.json`, written into the student release from them, elsewhere.
"""

from __future__ import annotations

import ast
import difflib
import json
from pathlib import Path

from autograder.course import ROOT, TOPICS

SHIPPED = Path("autograder/interface.json")  # in the student release: {topic: {name: spec}}

# A parameter is [name, kind, has a default], kind "positional", "keyword", "*" or "**".
Parameter = list


def parameters(node: ast.FunctionDef | ast.AsyncFunctionDef, method: bool) -> list[Parameter]:
    args = node.args
    positional = [*args.posonlyargs, *args.args][1 if method else 0:]
    defaults = len(args.defaults)
    found = [[a.arg, "positional", i >= len(positional) - defaults]
             for i, a in enumerate(positional)]
    if args.vararg:
        found.append([args.vararg.arg, "*", False])
    found += [[a.arg, "keyword", d is not None] for a, d in zip(args.kwonlyargs, args.kw_defaults,
                                                                  strict=True)]
    if args.kwarg:
        found.append([args.kwarg.arg, "**", False])
    return found


def _top_level(body: list[ast.stmt]) -> list[ast.stmt]:
    """Statements at module level, also inside top-level if/try/with blocks."""
    found = []
    for node in body:
        found.append(node)
        if isinstance(node, ast.If | ast.Try | ast.With):
            blocks = [node.body, getattr(node, "orelse", []), getattr(node, "finalbody", []),
                      *(h.body for h in getattr(node, "handlers", []))]
            for block in blocks:
                found += _top_level(block)
    return found


def _assigned(nodes: list[ast.stmt]) -> set[str]:
    """Names bound by assignment or import (their parameters cannot be read from the source)."""
    names = set()
    for node in nodes:
        if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return names


def spec(source: str) -> dict[str, dict]:
    """{name: {"parameters": [...]}} for each public function, {name: {"methods": {...}}} for each
    public class (its methods, the first parameter left out), of a module's source."""
    found: dict[str, dict] = {}
    for node in ast.parse(source).body:
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) \
                or node.name.startswith("_"):
            continue
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found[node.name] = {"parameters": parameters(node, method=False)}
        elif isinstance(node, ast.ClassDef):
            found[node.name] = {"methods": {
                m.name: parameters(m, method=True) for m in node.body
                if isinstance(m, ast.FunctionDef | ast.AsyncFunctionDef)
                and (not m.name.startswith("_") or m.name.startswith("__"))}}
    return found


def expected(root: Path = ROOT) -> dict[str, dict[str, dict]]:
    """{topic: spec} of the graded names: from the reference solutions, or the shipped copy."""
    solutions = root / "solutions"
    if all((solutions / t.module_file).is_file() for t in TOPICS.values()):
        return {t.name: spec((solutions / t.module_file).read_text(encoding="utf-8"))
                for t in TOPICS.values()}
    return json.loads((root / SHIPPED).read_text(encoding="utf-8"))


def _render(name: str, params: list[Parameter]) -> str:
    def one(p: Parameter) -> str:
        prefix = {"*": "*", "**": "**"}.get(p[1], "")
        return prefix + p[0] + ("=..." if p[2] else "")
    shown, keyword_only = [], False
    for p in params:
        if p[1] == "keyword" and not keyword_only:
            shown.append("*")
        keyword_only = keyword_only or p[1] in ("keyword", "*")
        shown.append(one(p))
    return f"{name}({', '.join(shown)})"


def _compatible(want: list[Parameter], have: list[Parameter]) -> bool:
    """Every call the checks can make to the stub's signature also works with `have`: the same
    positional names in the same order, defaults kept, extra parameters optional."""
    if any(p[1] in ("*", "**") for p in have):
        return True  # takes whatever it is given: only the checks can tell
    positional = [p for p in have if p[1] == "positional"]
    wanted = [p for p in want if p[1] == "positional"]
    if [p[0] for p in positional[:len(wanted)]] != [p[0] for p in wanted]:
        return False
    by_name = {p[0]: p for p in have}
    for p in want:
        if p[0] not in by_name or (p[2] and not by_name[p[0]][2]):
            return False
    extra = [p for p in have if p[0] not in {w[0] for w in want}]
    return all(p[2] for p in extra)


def problems(source: str, want: dict[str, dict]) -> list[str]:
    """What the module lacks of the graded names `want` (from `spec`), one line each; nothing
    for a syntax error (the import check reports it)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []
    have = spec(source)
    nodes = _top_level(tree.body)
    assigned = _assigned(nodes)
    defined = set(have) | assigned | {n.name for n in nodes if isinstance(
        n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)}
    classes = {n.name: n for n in nodes if isinstance(n, ast.ClassDef)}
    found = []
    for name, expected_spec in want.items():
        if name not in defined:
            close = difflib.get_close_matches(name, sorted(defined), n=1, cutoff=0.6)
            found.append(f"{name} is missing" + (f"; did you mean {close[0]}?" if close else
                                                 " (every function and class of the stub is "
                                                 "graded, by its name)"))
        elif name in assigned or name not in have:
            continue  # bound some other way: only the checks can tell
        elif "parameters" in expected_spec:
            if "parameters" not in have[name]:
                found.append(f"{name} is a class; the stub's {name} is a function")
            elif not _compatible(expected_spec["parameters"], have[name]["parameters"]):
                found.append(f"{_render(name, have[name]['parameters'])}: the stub's parameters "
                             f"are {_render(name, expected_spec['parameters'])[len(name):]}")
        elif "methods" not in have[name]:
            found.append(f"{name} is a function; the stub's {name} is a class")
        else:
            found += _method_problems(name, expected_spec["methods"], classes)
    return found


def _methods(name: str, classes: dict[str, ast.ClassDef], seen: frozenset = frozenset()) -> dict:
    """A class's methods (parameters, or None when bound by assignment), its own first, then
    those of its bases defined in the same module."""
    node = classes[name]
    own: dict[str, list | None] = {n: None for n in _assigned(node.body)}
    own.update({m.name: parameters(m, method=True) for m in node.body
                if isinstance(m, ast.FunctionDef | ast.AsyncFunctionDef)})
    for base in node.bases:
        if isinstance(base, ast.Name) and base.id in classes and base.id not in seen:
            for method, params in _methods(base.id, classes, seen | {name}).items():
                own.setdefault(method, params)
    return own


def _method_problems(name: str, want: dict[str, list], classes: dict[str, ast.ClassDef]
                     ) -> list[str]:
    have = _methods(name, classes)
    found = []
    for method, params in want.items():
        if method not in have:
            found.append(f"{name}.{method} is missing (the stub's {name} defines it)")
        elif have[method] is not None and not _compatible(params, have[method]):
            found.append(f"{_render(f'{name}.{method}', have[method])}: the stub's parameters "
                         f"are {_render('', params)}")
    return found
