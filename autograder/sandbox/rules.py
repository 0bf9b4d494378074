"""What a submitted module may contain: an allowlist, per topic, checked on the source text in the
trusted process before the module ever runs (graded mode), and by `make check` and `make submit`,
so a student sees a refusal, with its line and rule, before submitting.

Why: the probes and the library-use guard run in the same process as the student's code (they
must: they call it), so code that can reach them can rewrite them, forge their answers or undo the
guard. Every such route needs a way to reach another module's objects or the interpreter: an
import outside the task's libraries, a name resolved at run time (`pkgutil.resolve_name`,
`pydoc.locate`, a format string's `{0.__globals__}`, `typing.get_type_hints` on a string
annotation), a frame, a dunder attribute, a private attribute of a library, the library's loaders
of pickles and raw memory. The rules allow what exercise code needs and refuse the rest:

1. Imports: only the topic's modules (`Policy.modules`; some only for named members, such as
   `from scipy.special import erf` in 5-03), no star or relative imports.
2. Names: no `exec`, `eval`, `compile`, `__import__`, `globals`, `vars`, `open`, `input`,
   `breakpoint`, `help`; `getattr`/`setattr`/`delattr`/`hasattr` only with a literal attribute
   name, which must pass rule 3; no `__builtins__`, `__loader__`, `__spec__`.
3. Attributes: dunders only from a short list (`super().__init__`, `__name__`, operators...); a
   private `_name` only if the module itself gives that attribute a value (its own classes'
   fields, micrograd's `_prev`), never on a module it imported, and never a private module of
   the libraries (`torch._C`, `torch._refs`: `library_private_modules`); no attribute named like a
   module outside the allowlist (`torch.os`, `np.ctypeslib`, `torch.jit`); none of the loaders
   of raw memory or pickles (`fromfile`, `memmap`, `weights_only=False`); `.format` only on a
   string literal whose fields name no attribute; and the topic's forbidden library names
   (`torch.optim.Adam` where the task is to write Adam).
4. No assignment or deletion over an imported module's attributes (`torch.allclose = ...`).
5. String annotations are code (`typing` and `functools.singledispatch` evaluate them): they must
   parse and pass the same rules.

Ordinary code is untouched: helpers, classes, comprehensions, f-strings, `typing`, `dataclasses`,
`functools`, `itertools`, `collections`, `math`. `tests/test_source_rules.py` counts refusals of
the solutions, the mutants and a corpus of independent student-style code (none), and refusals of
the attack catalogue's spellings.

Residual risk (documented, not hidden): a static reading cannot follow every value through the
program. What it cannot see, the sandbox still bounds: no hidden data to find, no escape, verdicts
only in the parent, answers checked against their request's nonce, a seccomp filter that keeps the
answer pipe in place, the dispatcher guard in place of any report from the child.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import string
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

COMMON = frozenset({
    "__future__", "abc", "bisect", "cmath", "collections", "collections.abc", "contextlib", "copy",
    "dataclasses", "decimal", "enum", "fractions", "functools", "heapq", "itertools", "math",
    "numbers", "operator", "random", "statistics", "time", "typing", "warnings", "data",
    "data.progress"})
NUMPY = frozenset({"numpy", "numpy.linalg", "numpy.random", "numpy.typing"})
TORCH = frozenset({
    "torch", "torch.nn", "torch.nn.functional", "torch.nn.init", "torch.nn.utils", "torch.optim",
    "torch.utils", "torch.utils.data", "torch.linalg", "torch.special", "torch.fft",
    "torch.autograd", "torch.distributions", "torch.func", "torch.cuda", "torch.backends"})
# torch.optim's own optimizers and schedules, for topics whose task is to write them.
OPTIMIZERS = frozenset({
    "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "ASGD", "LBFGS", "NAdam",
    "RAdam", "Rprop", "SparseAdam", "Muon", "lr_scheduler", "swa_utils", "sgd", "adam", "adamw",
    "rmsprop", "adagrad", "adadelta", "adamax", "asgd", "nadam", "radam", "rprop", "lbfgs"})

# Builtins: refused at every use, and refused unless the module binds the name itself (a
# parameter called `input` is ordinary torch style).
REFUSED_CALLS = {"exec", "eval", "compile", "__import__", "globals", "vars", "breakpoint"}
REFUSED_BUILTINS = {"open", "input", "help", "memoryview"}
# What a student should do instead, said with the refusal.
INSTEAD = {
    "open": "a graded function reads and writes no files: take the data as arguments and "
            "return the result",
    "input": "a graded function runs without a keyboard: take the value as an argument",
    "help": "read the docstrings in the notebook or the README instead",
}
ATTRIBUTE_FUNCTIONS = {"getattr", "setattr", "delattr", "hasattr"}
REFUSED_NAMES = {"__builtins__", "__import__", "__loader__", "__spec__"}
DUNDERS = {
    "__init__", "__name__", "__qualname__", "__doc__", "__class__", "__call__", "__len__",
    "__iter__", "__next__", "__getitem__", "__setitem__", "__contains__", "__repr__", "__str__",
    "__format__", "__hash__", "__bool__", "__float__", "__int__", "__index__", "__enter__",
    "__exit__", "__post_init__", "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__",
    "__neg__", "__pos__", "__abs__", "__invert__", "__add__", "__radd__", "__iadd__", "__sub__",
    "__rsub__", "__isub__", "__mul__", "__rmul__", "__imul__", "__truediv__", "__rtruediv__",
    "__itruediv__", "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__", "__pow__",
    "__rpow__", "__ipow__", "__matmul__", "__rmatmul__"}
# Attribute names that lead to the interpreter's machinery, to modules that resolve names, run
# code or reach processes, files and memory, or to raw memory and pickles. Those reachable from a
# module a topic may import are proven closed by `tests/test_source_rules.py`, which walks every
# public attribute chain from the allowed modules (`enum.bltns` is `builtins`, `dataloader.dist`
# is torch.distributed) and fails if one ends in such a module.
REFUSED_ATTRIBUTES = frozenset({
    # the interpreter, processes, files, memory
    "sys", "os", "gc", "io", "ctypes", "ctypeslib", "mmap", "resource", "signal", "socket",
    "subprocess", "multiprocessing", "threading", "concurrent", "asyncio", "queue", "posix",
    "nt", "pty", "fcntl", "shutil", "tempfile", "pathlib", "glob", "fnmatch",
    "fileinput", "zipfile", "tarfile", "gzip", "bz2", "lzma", "zlib", "atexit", "faulthandler",
    "tracemalloc", "platform", "sysconfig", "site", "getpass", "uuid", "ssl", "urllib", "http",
    "html", "hashlib", "base64",
    # names resolved, code built or run, frames walked
    "builtins", "importlib", "inspect", "types", "code", "codeop", "dis", "ast", "traceback",
    "linecache", "tokenize", "token", "keyword", "symtable", "runpy", "pkgutil", "pydoc",
    "logging", "string", "timeit", "doctest", "unittest", "pdb", "bdb", "cProfile",
    "profile", "pstats", "trace", "copyreg", "pickle", "pickletools", "marshal", "shelve", "dill",
    "cloudpickle", "weakref", "contextvars", "codecs", "reprlib", "argparse", "shlex",
    "sympy", "jinja2", "triton", "PIL", "scipy", "sklearn", "joblib", "threadpoolctl", "einops",
    "typing_extensions", "opt_einsum", "dlpack", "autoray", "bltns", "dist", "mp",
    "python_multiprocessing",
    "f_back", "f_globals", "f_locals", "f_code", "f_builtins", "tb_frame", "tb_next", "gi_frame",
    "gi_code", "cr_frame", "ag_frame", "co_code", "setprofile", "settrace", "Formatter",
    "attrgetter", "methodcaller", "get_type_hints", "ForwardRef", "format_map",
    # torch and NumPy machinery outside the public numerical API
    "ops", "jit", "library", "compile", "compiler", "export", "fx", "hub", "onnx", "package",
    "distributed", "cpp_extension", "serialization", "overrides", "profiler", "testing",
    "model_zoo", "monitor", "f2py", "distutils", "lib", "core", "fromfile", "tofile", "memmap",
    "from_file", "frombuffer", "dump", "dumps", "loads", "untyped_storage", "storage",
    "set_per_process_memory_fraction", "cudart",
})
LOADERS = {"load": {"weights_only": True, "allow_pickle": False, "mmap": None,
                    "pickle_module": "refused"}}  # torch.load / np.load: only the safe forms


@dataclass(frozen=True)
class Policy:
    """What one topic's module may use."""

    modules: frozenset[str]  # importable by exact name
    members: dict[str, frozenset[str]] = field(default_factory=dict)  # `from M import <these>`
    forbidden: frozenset[str] = frozenset()  # library names the topic's tasks forbid
    summary: str = ""  # for students: what this topic may import

    def allows(self, module: str) -> bool:
        return module in self.modules


# CPython 3.11's parser is not thread-safe: two threads parsing at once (verify and grade-all grade
# topics in threads) can raise "SystemError: AST constructor recursion depth mismatch".
_PARSING = threading.Lock()


def violations(source: str, topic=None, filename: str = "<submission>") -> list[str]:
    """`line N: <what>` for each construct the topic's policy refuses (empty for a syntax error:
    the import then reports it with its line). `topic`: an `autograder.course.Topic` (its
    `policy`), or None for the loosest policy (every topic's modules)."""
    try:
        with _PARSING:
            tree = ast.parse(source, filename)
    except (SyntaxError, ValueError):
        return []
    policy = topic.policy if topic is not None else _any_topic()
    found: list[tuple[int, str]] = []
    _Reader(policy, found, _own_attributes(tree), _module_names(tree), _bound(tree)).visit(tree)
    return [f"line {line}: {what}" for line, what in sorted(set(found))]


def refusal(topic, found: list[str]) -> str:
    """The message every check of a refused module gets."""
    more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
    return (f"not graded: {topic.module_file} {found[0]}{more}. Graded code may use only the "
            "topic's libraries and may not reach into the interpreter or the grader (see "
            "README, 'What a submission may contain').")


@cache
def _any_topic() -> Policy:
    from autograder.course import TOPICS

    policies = [t.policy for t in TOPICS.values()]
    members: dict[str, frozenset[str]] = {}
    for policy in policies:
        for module, names in policy.members.items():
            members[module] = members.get(module, frozenset()) | names
    return Policy(frozenset().union(*(p.modules for p in policies)), members,
                  frozenset.intersection(*(p.forbidden for p in policies)))


@cache
def library_private_modules() -> frozenset[str]:
    """Names of the private modules that an attribute chain from the libraries can reach
    (`torch._C`, `torch._refs`, `torch.nn._reduction`, `numpy._core`...): the private children
    of every package reachable through public, not refused, subpackages. Read from the installed
    files without importing anything."""
    names = {"_C", "_VF"}
    for package in ("torch", "numpy", "torchvision", "scipy"):
        spec = importlib.util.find_spec(package)
        pending = [Path(f) for f in (spec.submodule_search_locations or [])] if spec else []
        while pending:
            for path in pending.pop().iterdir():
                name = path.name.split(".")[0]
                is_package = (path / "__init__.py").is_file()
                if not (is_package or path.suffix in (".py", ".so")) or name.startswith("__"):
                    continue
                if name.startswith("_"):
                    names.add(name)
                elif is_package and name not in REFUSED_ATTRIBUTES:
                    pending.append(path)
    return frozenset(names)


def _own_attributes(tree: ast.AST) -> set[str]:
    """Private attribute names the module itself gives a value: assignment targets `x._n = ...`
    (also augmented, annotated, `for x._n in`, `with ... as x._n`) and names bound in a class
    body (methods, class attributes, dataclass fields)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    names.add(item.name)
                elif isinstance(item, (ast.Assign, ast.AnnAssign)):
                    targets = item.targets if isinstance(item, ast.Assign) else [item.target]
                    names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return {n for n in names if n.startswith("_") and not n.endswith("__")}


def _module_names(tree: ast.AST) -> set[str]:
    """Names bound to an imported module or to something reached from one by attributes alone
    (`import torch as t`, `F = torch.nn.functional`, `T = torch.Tensor`), at any depth."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            names |= {a.asname or a.name for a in node.names}
    changed = True
    while changed:
        changed = False
        for node in ast.walk(tree):
            if isinstance(node, (ast.Assign, ast.AnnAssign, ast.NamedExpr)) and node.value \
                    and _root(node.value) in names and _is_chain(node.value):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name) and target.id not in names:
                        names.add(target.id)
                        changed = True
    return names


def _bound(tree: ast.AST) -> set[str]:
    """Every name the module binds anywhere: assigned, a parameter, defined, imported, a loop,
    `with` or `except` target."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
    return names


def _is_chain(node: ast.AST) -> bool:
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name)


def _root(node: ast.AST) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


class _Reader(ast.NodeVisitor):
    def __init__(self, policy: Policy, found: list, own: set[str], modules: set[str],
                 bound: set[str]):
        self.policy, self.found, self.own, self.modules = policy, found, own, modules
        self.bound = bound

    def flag(self, node: ast.AST, what: str) -> None:
        self.found.append((getattr(node, "lineno", 0), what))

    # ---- imports -------------------------------------------------------------------------------

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if not self.policy.allows(alias.name):
                self.flag(node, f"imports {alias.name}, which this topic does not use "
                                f"({self.policy.summary})")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        if node.level:
            self.flag(node, "uses a relative import")
            return
        members = self.policy.members.get(module)
        for alias in node.names:
            if alias.name == "*":
                self.flag(node, f"imports * from {module} (name what you use)")
            elif members is not None:
                if alias.name not in members:
                    self.flag(node, f"imports {alias.name} from {module}: only "
                                    f"{', '.join(sorted(members))} may be imported from it")
            elif not self.policy.allows(module):
                self.flag(node, f"imports from {module}, which this topic does not use "
                                f"({self.policy.summary})")
                return
            elif f"{module}.{alias.name}" not in self.policy.modules:
                self.attribute_name(node, alias.name, from_module=module)

    # ---- names and calls -----------------------------------------------------------------------

    def visit_Name(self, node: ast.Name) -> None:
        if node.id in REFUSED_NAMES:
            self.flag(node, f"uses {node.id}")
        elif node.id in REFUSED_CALLS or (node.id in REFUSED_BUILTINS
                                          and node.id not in self.bound):
            instead = INSTEAD.get(node.id)
            self.flag(node, f"uses {node.id}()" + (f" ({instead})" if instead else ""))
        elif node.id in ATTRIBUTE_FUNCTIONS and not getattr(node, "_called", False):
            self.flag(node, f"passes {node.id} around instead of calling it")

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Name) and node.func.id in ATTRIBUTE_FUNCTIONS:
            node.func._called = True
            name = node.args[1] if len(node.args) >= 2 else None
            if not (isinstance(name, ast.Constant) and isinstance(name.value, str)):
                self.flag(node, f"{node.func.id}() with a computed attribute name (choose "
                                "between options with a dict)")
            else:
                self.attribute_name(node, name.value, receiver=node.args[0])
                if node.func.id in ("setattr", "delattr") and _root(node.args[0]) in self.modules:
                    self.flag(node, f"{node.func.id}() on the imported module "
                                    f"{_root(node.args[0])}")
        if isinstance(node.func, ast.Attribute) and node.func.attr == "format":
            node.func._format_call = True
            self.format_call(node)
        if isinstance(node.func, ast.Attribute) and node.func.attr in LOADERS:
            self.loader_call(node, LOADERS[node.func.attr])
        self.generic_visit(node)

    def format_call(self, node: ast.Call) -> None:
        receiver = node.func.value
        if not (isinstance(receiver, ast.Constant) and isinstance(receiver.value, str)):
            self.flag(node, ".format() on a string built at run time (use an f-string)")
            return
        for _, field_name, _, _ in string.Formatter().parse(receiver.value):
            if field_name and re.search(r"[.\[]", field_name):
                self.flag(node, f"a format field that reads an attribute or item "
                                f"({{{field_name}}}); use an f-string")

    def loader_call(self, node: ast.Call, safe: dict) -> None:
        for keyword in node.keywords:
            if keyword.arg in safe and safe[keyword.arg] is not None and not (
                    isinstance(keyword.value, ast.Constant)
                    and keyword.value.value is safe[keyword.arg]):
                self.flag(node, f"loads with {keyword.arg}={ast.unparse(keyword.value)}: only "
                                "plain tensors and arrays may be loaded")
            if keyword.arg is None:
                self.flag(node, "passes **options to a loader")

    # ---- attributes ----------------------------------------------------------------------------

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr == "format" and not getattr(node, "_format_call", False):
            self.flag(node, "uses .format without calling it on a string literal")
        else:
            self.attribute_name(node, node.attr, receiver=node.value)
        if isinstance(node.ctx, (ast.Store, ast.Del)) and _root(node) in self.modules:
            self.flag(node, f"assigns over {ast.unparse(node)}, part of the imported module "
                            f"{_root(node)}")
        self.generic_visit(node)

    def attribute_name(self, node: ast.AST, name: str, receiver: ast.AST | None = None,
                       from_module: str = "") -> None:
        shown = f"{from_module}.{name}" if from_module else f".{name}"
        if name.startswith("__") and name.endswith("__"):
            if name not in DUNDERS:
                self.flag(node, f"uses {shown}")
        elif name.startswith("_"):
            if from_module or name not in self.own or name in library_private_modules() or (
                    receiver is not None and _root(receiver) in self.modules):
                self.flag(node, f"uses {shown}, a private name of the library")
        elif name in REFUSED_ATTRIBUTES:
            self.flag(node, f"uses {shown}")
        elif name in self.policy.forbidden:
            self.flag(node, f"uses {shown}: the library's own version of what this topic asks "
                            "you to write")

    # ---- annotations ---------------------------------------------------------------------------

    def visit_arg(self, node: ast.arg) -> None:
        self.annotation(node.annotation)
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.annotation(node.returns)
        self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef  # noqa: N815 (ast.NodeVisitor's naming)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self.annotation(node.annotation)
        self.generic_visit(node)

    def annotation(self, node: ast.AST | None) -> None:
        """A string annotation is code that `typing` may evaluate: it must pass the rules."""
        for constant in ast.walk(node) if node is not None else ():
            if isinstance(constant, ast.Constant) and isinstance(constant.value, str):
                try:
                    inner = ast.parse(constant.value, mode="eval")
                except SyntaxError:
                    self.flag(node, "a string annotation that is not a Python expression")
                    continue
                for sub in ast.walk(inner):
                    if hasattr(sub, "lineno"):
                        sub.lineno = node.lineno
                self.visit(inner)


def summary(modules: Iterable[str]) -> str:
    return ", ".join(sorted(m for m in modules if "." not in m and m not in COMMON)) or "Python"
