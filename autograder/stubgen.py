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

from autograder.course import Topic

HEADER = ("# Student stub generated from the reference solution by `python -m autograder stubs`.\n"
          "# Replace each `raise NotImplementedError(...)` with your implementation.\n")


def make_stub(source: str, topic: Topic) -> str:
    lines = source.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    edits: list[tuple[int, int, str]] = []  # (start, end) character offsets, replacement

    def at(lineno: int, col: int = 0) -> int:
        return starts[lineno - 1] + col

    def first_line(node: ast.stmt) -> int:
        return min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])

    def stub_body(node: ast.FunctionDef, qualname: str) -> None:
        body = node.body[1:] if ast.get_docstring(node) is not None else node.body
        if not body:
            return
        raise_ = f'raise NotImplementedError("{topic.name}.{qualname} is not implemented yet")'
        begin = first_line(body[0])
        before = lines[begin - 1][:body[0].col_offset]
        if before.strip():  # `def f(x): return x`: the body shares the header's line
            edits.append((at(body[0].lineno, body[0].col_offset),
                          at(node.end_lineno, node.end_col_offset), raise_))
        else:
            indent = lines[begin - 1][:len(lines[begin - 1]) - len(lines[begin - 1].lstrip())]
            edits.append((at(begin), at(node.end_lineno + 1), f"{indent}{raise_}\n"))

    def remove(node: ast.stmt, keep: str = "") -> None:
        begin = first_line(node)
        edits.append((at(begin - _blank_lines_before(lines, begin)), at(node.end_lineno + 1),
                      keep))

    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and _private(node.name):
            remove(node)
        elif isinstance(node, ast.FunctionDef):
            stub_body(node, node.name)
        elif isinstance(node, ast.ClassDef):
            methods = [m for m in node.body if isinstance(m, ast.FunctionDef)]
            emptied = ast.get_docstring(node) is None and all(
                m in methods and _private(m.name) for m in node.body)
            for method in methods:
                if _private(method.name):
                    indent = " " * method.col_offset
                    remove(method, f"\n{indent}pass\n" if emptied and method is methods[-1]
                           else "")
                else:
                    stub_body(method, f"{node.name}.{method.name}")
    text = source + ("" if source.endswith("\n") else "\n")
    starts[-1] = len(text)
    for begin, end, replacement in sorted(edits, reverse=True):
        text = text[:begin] + replacement + text[end:]
    return HEADER + text


def _private(name: str) -> bool:
    """A helper of the reference's own (`_adam`), not a dunder the student writes (`__init__`)."""
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _blank_lines_before(lines: list[str], first: int) -> int:
    """Blank lines just above line `first` (1-based): removed with the definition below them."""
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
