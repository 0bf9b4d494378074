"""The source rules (autograder/sandbox/rules.py): an allowlist per topic. What they refuse (every
door into the interpreter, the grader or the library's own version of a task, in the spellings the
attack catalogue knows), what they allow (ordinary student code of every kind, every solution, stub
and mutant: false refusals are counted, and must be none), and that local mode applies them."""

from __future__ import annotations

import contextlib
import importlib
import types
import warnings

import pytest

from autograder import impl
from autograder.course import TOPICS
from autograder.local import LocalRunner
from autograder.runtime.outcome import Status
from autograder.sandbox.rules import REFUSED_ATTRIBUTES, violations

T = TOPICS  # short: TOPICS["regularization"] reads T["regularization"]

# (topic, source, what the refusal says). Mechanism 2 of issue 16 first: names resolved at run
# time, frames, dunders; then the library's internals, loaders, forbidden tasks, topic imports.
REFUSED = [
    ("regularization", "import sys", "imports sys"),
    ("regularization", "from importlib import import_module", "imports from importlib"),
    ("regularization", "import gc", "imports gc"),
    ("regularization", "import pkgutil\npkgutil.resolve_name('os:dup2')", "imports pkgutil"),
    ("regularization", "import pydoc\npydoc.locate('os.dup2')", "imports pydoc"),
    ("regularization", "import string\nstring.Formatter().get_field('0.__globals__', [f], {})",
     "imports string"),
    ("regularization", "import logging\nf = logging.currentframe()", "imports logging"),
    ("regularization", "import traceback\nlist(traceback.walk_stack(None))",
     "imports traceback"),
    ("regularization", "import threading", "imports threading"),
    ("regularization", "import mmap", "imports mmap"),
    ("regularization", "import ctypes", "imports ctypes"),
    ("regularization", "import os", "imports os"),
    ("regularization", "import autograder.runtime.guard", "imports autograder"),
    ("regularization", "from . import x", "relative import"),
    ("regularization", "from numpy import *", "imports *"),
    ("regularization", "def f(g):\n    return '{0.__globals__}'.format(g)", "format field"),
    ("regularization", "def f(s, g):\n    return s.format(g)", ".format() on a string built"),
    ("regularization", "def f(g):\n    return str.format('{}', g)", ".format() on a string"),
    ("regularization", "import typing\nh = typing.get_type_hints", "get_type_hints"),
    ("regularization", "import functools\n@functools.singledispatch\ndef f(x): pass\n"
     "@f.register\ndef _(x: \"__import__('os').system('x')\"): pass", "__import__"),
    ("regularization", "def f(x: '(lambda: 0).__code__'): pass", "uses .__code__"),
    ("regularization", "def f(x: 'not python('): pass", "string annotation"),
    ("regularization", "f = lambda g: g.__code__", "uses .__code__"),
    ("regularization", "def f(e):\n    return e.__traceback__.tb_frame", "uses .__traceback__"),
    ("regularization", "t = type(1).__subclasses__()", "uses .__subclasses__"),
    ("regularization", "d = print.__self__", "uses .__self__"),
    ("regularization", "import torch\nt = torch.__dict__", "uses .__dict__"),
    ("regularization", "import torch\nm = torch.sys", "uses .sys"),
    ("regularization", "import torch\nm = torch.os.dup2", "uses .os"),
    ("regularization", "import torch\nc = torch._C", "private name"),
    ("regularization", "import torch\nr = torch._refs.nn.functional.layer_norm", "private name"),
    ("regularization", "import torch\nclass A:\n    _C = 1\nc = torch._C", "private name"),
    ("regularization", "import torch\nclass A:\n    _dynamo = 1\nt = torch\nd = t._dynamo",
     "private name"),
    ("regularization", "import torch\ntorch.ops.aten.native_batch_norm", "uses .ops"),
    ("regularization", "import torch\ns = torch.jit.script", "uses .jit"),
    ("regularization", "import torch\nl = torch.library.Library", "uses .library"),
    ("regularization", "import torch\nc = torch.compile", "uses .compile"),
    ("regularization", "import torch\ne = torch.export", "uses .export"),
    ("regularization", "from torch import jit", "torch.jit"),
    ("regularization", "import numpy as np\nc = np.ctypeslib", "uses .ctypeslib"),
    ("regularization", "import numpy as np\na = np.fromfile('/proc/self/mem')",
     "uses .fromfile"),
    ("regularization", "import torch\nx = torch.load('f', weights_only=False)",
     "weights_only=False"),
    ("regularization", "import numpy as np\nx = np.load('f', allow_pickle=True)",
     "allow_pickle=True"),
    ("regularization", "x = open('/proc/self/fd/3', 'wb')", "uses open()"),
    ("regularization", "x = input()", "uses input()"),
    ("regularization", "y = eval('1')", "uses eval()"),
    ("regularization", "def f(eval):\n    return eval('1')", "uses eval()"),
    ("regularization", "b = __builtins__", "uses __builtins__"),
    ("regularization", "x = vars()", "uses vars()"),
    ("regularization", "import torch\nx = getattr(torch, 's' + 'ys')", "computed attribute"),
    ("regularization", "class A:\n    def get(self, name):\n        return getattr(self, name)",
     "computed attribute"),
    ("regularization", "import torch\nx = getattr(torch, '_C')", "private name"),
    ("regularization", "from functools import reduce\nf = reduce(getattr, ['a'], 1)",
     "passes getattr around"),
    ("regularization", "import torch\ntorch.allclose = lambda *a: True", "assigns over"),
    ("regularization", "import torch\nT = torch.Tensor\nT.to = lambda *a: 0", "assigns over"),
    ("regularization", "import numpy as np\nsetattr(np, 'allclose', print)", "setattr() on"),
    ("regularization", "import torch\nA = torch.optim.Adam", "uses .Adam"),
    ("regularization", "from torch.optim import AdamW", "torch.optim.AdamW"),
    ("adaptive_optimizers", "import torch\ns = torch.optim.lr_scheduler.LambdaLR",
     "uses .lr_scheduler"),
    ("adaptive_optimizers", "from torch.optim.adam import adam", "torch.optim.adam"),
    ("sgd_optimizers", "import torch\nclass SGD(torch.optim.SGD):\n    pass", "uses .SGD"),
    # mechanism 5: the NumPy and pure-Python topics cannot reach torch, autograd or scipy
    ("activations", "import torch", "imports torch"),
    ("activations", "from scipy.special import expit", "only erf, erfc"),
    ("activations", "import scipy.special", "imports scipy.special"),
    ("two_layer_net", "import torch", "imports torch"),
    ("two_layer_net", "from torch import autograd", "imports from torch"),
    ("backprop", "from torch.nn.utils import clip_grad_norm_", "imports from torch.nn.utils"),
    ("autograd_engine", "import numpy as np", "imports numpy"),
    ("autograd_engine", "import torch", "imports torch"),
    ("two_layer_net", "import sklearn.neural_network", "imports sklearn"),
    ("perceptron_mlp", "from torch import nn\ng = nn.init.calculate_gain('relu')", "uses .init"),
    ("torch_fundamentals", "from data.fashion_mnist import fashion_mnist_loaders",
     "fashion_mnist_loaders"),
]


@pytest.mark.parametrize(("topic", "source", "what"), REFUSED, ids=range(len(REFUSED)))
def test_refuses(topic, source, what):
    found = violations(source, T[topic])
    assert any(what in line for line in found), found


# Ordinary student code, every kind a good student writes: each must pass its topic's rules.
ALLOWED = [
    ("regularization", "import torch\nclass M(torch.nn.Module):\n    def __init__(self):\n"
     "        super().__init__()\n        self._cache = None\n    def forward(self, x):\n"
     "        self._cache = x\n        return self._cache * 2"),
    ("regularization", "import math\nx = getattr(math, 'pi')"),
    ("regularization", "import numpy as np\nx = np.zeros(3)\nx[0] = 1"),
    ("regularization", "def f(:\n"),  # a syntax error is reported by the import, with its line
    ("regularization", "import torch\nimport torch.nn.functional as F\n"
     "def f(input, weight=None):\n    return F.relu(input) if weight is None else input"),
    ("regularization", "from __future__ import annotations\nfrom dataclasses import dataclass, "
     "field\nfrom typing import Optional\n@dataclass\nclass Stop:\n    patience: int = 3\n"
     "    best: Optional[float] = None\n    history: list[float] = field(default_factory=list)"),
    ("regularization", "x = 3.14159\nprint(f'{x:.3f} {x!r}')\nprint('{:.2f}'.format(x))\n"
     "print('%d items' % 3)"),
    ("regularization", "import itertools, functools, collections, math\n"
     "pairs = list(itertools.product(range(2), repeat=2))\n"
     "c = collections.Counter(pairs)\nf = functools.partial(max, 0)"),
    ("regularization", "import torch\ndef step(p, g, state):\n    state.setdefault('step', 0)\n"
     "    state['step'] += 1\n    with torch.no_grad():\n        p.mul_(0.9).add_(g)\n"
     "    return p"),
    ("regularization", "import torch\nfrom torch import nn\nclass BN(nn.Module):\n"
     "    def __init__(self, n):\n        super().__init__()\n"
     "        self.register_buffer('running_mean', torch.zeros(n))\n"
     "    def extra_repr(self):\n        return f'{self.running_mean.shape[0]}'"),
    ("regularization", "import torch\ndef aug(x, g):\n    flip = torch.rand(x.shape[0], "
     "generator=g) < 0.5\n    return torch.where(flip[:, None, None], x.flip(-1), x)"),
    ("regularization", "class A:\n    def __repr__(self):\n        return type(self).__name__"),
    ("regularization", "import torch\nx = torch.ones(3)\nprint(x.__class__.__name__, len(x), "
     "x.shape, x.dtype, x.device)"),
    ("autograd_engine", "import math\nclass Value:\n    def __init__(self, data, _children=(), "
     "_op=''):\n        self.data = data\n        self._prev = set(_children)\n"
     "        self._op = _op\n        self._backward = lambda: None\n"
     "    def __add__(self, other):\n        out = Value(self.data + other.data, (self, other), "
     "'+')\n        def _backward():\n            self.grad += out.grad\n"
     "        out._backward = _backward\n        return out\n"
     "def topo(v):\n    order, seen, stack = [], set(), [v]\n    while stack:\n"
     "        n = stack.pop()\n        for c in n._prev:\n            stack.append(c)\n"
     "    return order"),
    ("activations", "import numpy as np\nfrom scipy.special import erf\n"
     "def gelu(x):\n    return 0.5 * x * (1 + erf(x / np.sqrt(2)))"),
    ("activations", "import math\nimport numpy as np\nERF = np.vectorize(math.erf)"),
    ("torch_fundamentals", "from pathlib import Path\nimport torch\n"
     "def save(path, model):\n    torch.save(model.state_dict(), Path(path))\n"
     "def load(path):\n    return torch.load(path, weights_only=True)"),
    ("torch_fundamentals", "import torch\ndef get_device():\n    if torch.cuda.is_available():\n"
     "        return torch.device('cuda')\n    if torch.backends.mps.is_available():\n"
     "        return torch.device('mps')\n    return torch.device('cpu')"),
    ("sgd_optimizers", "import torch\nclass SGD(torch.optim.Optimizer):\n"
     "    def __init__(self, params, lr=0.1):\n        super().__init__(params, dict(lr=lr))\n"
     "    @torch.no_grad()\n    def step(self, closure=None):\n"
     "        for group in self.param_groups:\n            for p in group['params']:\n"
     "                self.state[p].setdefault('momentum_buffer', None)"),
    ("two_layer_net", "import numpy as np\nfrom data.progress import progress_bar\n"
     "def train(X, rng: np.random.Generator):\n    W = rng.standard_normal((2, 3)) / np.sqrt(2)\n"
     "    return np.einsum('ij,jk->ik', X, W)"),
]


@pytest.mark.parametrize(("topic", "source"), ALLOWED, ids=range(len(ALLOWED)))
def test_allows_ordinary_code(topic, source):
    assert violations(source, T[topic]) == []


@pytest.mark.parametrize("topic", TOPICS.values(), ids=list(TOPICS))
def test_pack_code_passes_the_rules(topic):
    """No false refusal of the pack's own code: every solution and stub, and every mutant but
    the few that use the library's own version of the task (the rules are what catches them)."""
    refused = []
    paths = [impl.module_path(impl.SOLUTIONS, topic), impl.module_path(impl.EXERCISES, topic)]
    for path in paths:
        assert violations(path.read_text(), topic) == [], path
    for path in topic.mutants():
        if violations(impl.mutant_source(path, topic), topic):
            refused.append(path.stem)
    assert set(refused) == {"sgd_subclasses_torch_sgd", "adam_calls_library",
                            "lr_finder_uses_lr_scheduler"} & {p.stem for p in topic.mutants()}


# Modules that resolve names, run code, walk frames, reach processes, files or raw memory, or
# undo the library-use guard: none may be reachable from a module a topic may import.
DANGEROUS = {
    "builtins", "sys", "os", "posix", "nt", "gc", "ctypes", "importlib", "inspect", "types",
    "threading", "_thread", "subprocess", "multiprocessing", "mmap", "pickle", "marshal",
    "pkgutil", "pydoc", "traceback", "logging", "string", "io", "socket", "signal", "code",
    "codeop", "runpy", "timeit", "doctest", "pdb", "bdb", "cProfile", "profile", "trace",
    "sympy", "jinja2", "asyncio", "concurrent", "shutil", "tempfile", "resource", "fcntl", "pty",
    "select", "weakref", "atexit", "faulthandler", "sysconfig", "site", "linecache",
    "tokenize", "dis", "ast", "copyreg", "dill", "cloudpickle", "urllib", "http", "ssl",
    "torch._C", "torch.library", "torch.jit", "torch._dynamo", "torch.fx", "torch.export",
    "torch.compiler", "torch.utils.cpp_extension", "torch.multiprocessing", "torch.distributed",
    "torch.hub", "torch.serialization", "torch.overrides", "torch._ops", "torch._refs",
    "torch._decomp", "numpy.ctypeslib"}


def test_no_dangerous_module_is_reachable_through_allowed_attributes():
    """Every public attribute chain from every module a topic may import (through modules and
    the attributes of their classes), skipping the names the rules refuse, ends in harmless
    modules only: the attribute rule closes every path this version of the libraries opens."""
    allowed = sorted(m for t in TOPICS.values() for m in t.policy.modules if m != "__future__")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in ("torch._dynamo", "torchvision", "scipy.special", "tqdm"):  # as the sandbox
            importlib.import_module(name)
        pending = [(importlib.import_module(m), m) for m in allowed]
        seen, reached = set(), []
        while pending:
            module, path = pending.pop()
            if module.__name__ in seen:
                continue
            seen.add(module.__name__)
            if module.__name__ in DANGEROUS or module.__name__.split(".")[0] in DANGEROUS:
                reached.append(path)
                continue
            for name, value in list(vars(module).items()):
                values = [(name, value)]
                if isinstance(value, type):
                    with contextlib.suppress(TypeError):  # a class without a __dict__
                        values += [(f"{name}.{n}", v) for n, v in vars(value).items()]
                for dotted, target in values:
                    if isinstance(target, types.ModuleType) and not any(
                            part.startswith("_") or part in REFUSED_ATTRIBUTES
                            for part in dotted.split(".")):
                        pending.append((target, f"{path}.{dotted}"))
    assert len(seen) > 300  # the walk went through torch, NumPy and torchvision
    assert not reached, reached


def test_local_mode_refuses_too(tmp_path, regularization):
    """`make check` refuses what graded mode refuses, so a student meets the rule first."""
    path = tmp_path / "regularization.py"
    path.write_text(impl.module_path(impl.SOLUTIONS, regularization).read_text()
                    + "\nimport gc\n")
    module = impl.load(path, regularization)
    check = regularization.checks("public")[0]
    outcome = LocalRunner().run(check, module)
    assert outcome.status is Status.ERROR and "imports gc" in outcome.message
