"""Make the student stub of a topic from its reference solution, so the two never drift apart.

Every public function and method keeps its signature and docstring; its body becomes
`raise NotImplementedError("<module>.<name> ...")`. Private helpers (a leading underscore,
functions or methods) are removed, since they are the reference's own way of solving the task;
dunder methods such as `__init__` are kept and stubbed. Comments, imports and constants stay as
written.

    python -m autograder stubs            # rewrite exercises/ from solutions/
    python -m autograder stubs --check    # exit 1 if exercises/ is out of date (used by make test)
"""

from __future__ import annotations

import ast
from pathlib import Path

from autograder.topics import Topic

HEADER = ("# Student stub generated from the reference solution by `python -m autograder stubs`.\n"
          "# Replace each `raise NotImplementedError(...)` with your implementation.\n")


def make_stub(source: str, topic: Topic) -> str:
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    edits: list[tuple[int, int, list[str]]] = []  # (first line, last line), 1-based, inclusive

    def stub_body(node: ast.FunctionDef, qualname: str) -> None:
        body = node.body[1:] if ast.get_docstring(node) is not None else node.body
        if not body:
            return
        indent = " " * body[0].col_offset
        message = f"{topic.name}.{qualname} is not implemented yet"
        edits.append((body[0].lineno, node.end_lineno,
                      [f'{indent}raise NotImplementedError("{message}")\n']))

    def remove(node: ast.FunctionDef) -> None:
        first = min([node.lineno] + [d.lineno for d in node.decorator_list])
        edits.append((first - _blank_lines_before(lines, first), node.end_lineno, []))

    def visit(node: ast.FunctionDef, qualname: str) -> None:
        if _private(node.name):
            remove(node)
        else:
            stub_body(node, qualname)

    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            visit(node, node.name)
        elif isinstance(node, ast.ClassDef) and not _private(node.name):
            for item in node.body:
                if isinstance(item, ast.FunctionDef):
                    visit(item, f"{node.name}.{item.name}")
    for first, last, replacement in sorted(edits, reverse=True):
        lines[first - 1:last] = replacement
    return HEADER + "".join(lines)


def _private(name: str) -> bool:
    """A helper of the reference's own (`_adam`), not a dunder the student writes (`__init__`)."""
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _blank_lines_before(lines: list[str], first: int) -> int:
    count = 0
    while first - 2 - count >= 0 and not lines[first - 2 - count].strip():
        count += 1
    return count


def stub_path(exercises: Path, topic: Topic) -> Path:
    return exercises / topic.module_file


def write_stubs(solutions: Path, exercises: Path, topics: list[Topic], check: bool) -> list[Path]:
    """Write (or, with check, compare) each topic's stub; return the stubs that differ."""
    stale = []
    for topic in topics:
        reference = solutions / topic.module_file
        stub = make_stub(reference.read_text(encoding="utf-8"), topic)
        target = stub_path(exercises, topic)
        if not target.is_file() or target.read_text(encoding="utf-8") != stub:
            stale.append(target)
            if not check:
                target.write_text(stub, encoding="utf-8")
    return stale
