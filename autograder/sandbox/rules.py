"""What a submitted module may not contain: the constructs that reach into the interpreter or the
grader instead of computing an answer. Checked on the source text, in the trusted process, before
the module ever runs.

Why: probes and the library-call watch run in the same process as the student's code (they must:
they call it). Code that can reach them can rewrite them: swap the call watch for one that sees
nothing, or hand a probe the library's function instead of the student's (ATTACKS.md rows 8, 13,
17, 18, 20; both were demonstrated by the red-team suite). Every such route goes through one of a
few doors: the grader's own modules, the module table, frames, code objects, the garbage
collector, dynamic imports and evaluation, or assigning over a library's attributes. Exercise code
never needs any of them, so a module that opens one is not graded, with a message naming the line.

Attribute access by computed name (`getattr(x, name)`) is refused too, except on `self`/`cls`:
strings built at run time are how every door above is reached without naming it.

Residual risk (documented, not hidden): a static reading cannot follow everything (writing the
process's own memory through /proc/self/mem, say). The sandbox keeps its guarantees regardless:
no hidden data to find, no escape, verdicts only in the parent; what such code could still do is
defeat the in-process library-call watch.
"""

from __future__ import annotations

import ast

FORBIDDEN_MODULES = {"autograder", "builtins", "cffi", "cloudpickle", "copyreg", "ctypes", "dill",
                     "gc", "importlib", "inspect", "marshal", "pickle", "sys", "_thread"}
# Attributes that lead to frames, code, globals, the module table or the profiler/tracer.
FORBIDDEN_ATTRIBUTES = {"__code__", "__globals__", "__builtins__", "__subclasses__", "__closure__",
                        "f_back", "f_globals", "f_locals", "f_code", "f_builtins", "tb_frame",
                        "gi_frame", "cr_frame", "ag_frame", "setprofile", "settrace", "_getframe",
                        "meta_path", "path_hooks", "path_importer_cache", "addaudithook",
                        "setprofile_all_threads", "settrace_all_threads", "__dict__",
                        "__getattribute__", "attrgetter", "methodcaller"}
FORBIDDEN_CALLS = {"exec", "eval", "compile", "__import__", "globals", "vars", "breakpoint"}
ATTRIBUTE_FUNCTIONS = {"getattr", "setattr", "delattr"}
FORBIDDEN_NAMES = {"__builtins__", "__import__", "__loader__", "__spec__"}


def violations(source: str, filename: str = "<submission>") -> list[str]:
    """`line N: <what>` for each forbidden construct (empty for a syntax error: the import then
    reports it with its line)."""
    try:
        tree = ast.parse(source, filename)
    except (SyntaxError, ValueError):
        return []
    imported = _imported_names(tree)
    called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    found = []

    def flag(node: ast.AST, what: str) -> None:
        found.append(f"line {node.lineno}: {what}")

    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) \
                else [node.module or ""]
            for module in modules:
                if module.split(".")[0] in FORBIDDEN_MODULES:
                    flag(node, f"imports {module}")
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    if alias.name in FORBIDDEN_ATTRIBUTES | FORBIDDEN_MODULES | FORBIDDEN_CALLS:
                        flag(node, f"imports {alias.name}")
        elif isinstance(node, ast.Attribute):
            if node.attr in FORBIDDEN_ATTRIBUTES or node.attr in FORBIDDEN_MODULES:
                flag(node, f"uses .{node.attr}")
            elif node.attr == "modules" and id(node) not in called:
                flag(node, "uses the module table (.modules)")
        elif isinstance(node, ast.Name) and node.id in FORBIDDEN_NAMES:
            flag(node, f"uses {node.id}")
        elif isinstance(node, ast.Name) and node.id in ATTRIBUTE_FUNCTIONS \
                and id(node) not in called:
            flag(node, f"passes {node.id} around instead of calling it")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            name = node.func.id
            if name in FORBIDDEN_CALLS:
                flag(node, f"calls {name}()")
            elif name in ATTRIBUTE_FUNCTIONS and len(node.args) >= 2 \
                    and not isinstance(node.args[1], ast.Constant) \
                    and _root(node.args[0]) not in ("self", "cls"):
                flag(node, f"{name}() with a computed attribute name (use a dict of the options)")
            elif name in ("setattr", "delattr") and node.args and _root(node.args[0]) in imported:
                flag(node, f"{name}() on the imported module {_root(node.args[0])}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and (
                node.value in FORBIDDEN_ATTRIBUTES or node.value in FORBIDDEN_MODULES
                or node.value == "modules"):
            flag(node, f"names {node.value!r}")
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) \
                else [node.target]
            for target in targets:
                if isinstance(target, ast.Attribute) and _root(target) in imported:
                    flag(node, f"assigns over {ast.unparse(target)}, part of the imported "
                               f"module {_root(target)}")
    return sorted(set(found), key=lambda line: int(line.split(":")[0].split()[1]))


def _imported_names(tree: ast.Module) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            names |= {a.asname or a.name for a in node.names}
    return names


def _root(node: ast.AST) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def refusal(topic, found: list[str]) -> str:
    """The message every check of a refused module gets."""
    more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
    return (f"not graded: {topic.module_file} {found[0]}{more}. Graded code may not reach into "
            "the interpreter or the grader (see README, 'What a submission may not contain').")
