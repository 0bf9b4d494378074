"""The source rules: what they refuse (each door into the interpreter or the grader), and that no
reference solution, stub or mutant trips them."""

from __future__ import annotations

import pytest

from autograder import impl
from autograder.local import LocalRunner
from autograder.runtime.outcome import Status
from autograder.sandbox.rules import violations
from autograder.topics import TOPICS

REFUSED = {
    "import sys": "imports sys",
    "from importlib import import_module": "imports importlib",
    "import gc": "imports gc",
    "import autograder.runtime.shortcuts": "imports autograder.runtime.shortcuts",
    "f = lambda g: g.__code__": "uses .__code__",
    "def f(e):\n    return e.__traceback__.tb_frame": "uses .tb_frame",
    "import torch\ntorch.allclose = lambda *a: True": "assigns over torch.allclose",
    "import numpy as np\nsetattr(np, 'allclose', print)": "setattr() on the imported module np",
    "import torch\nx = getattr(torch, 's' + 'ys')": "getattr() with a computed attribute name",
    "import torch\nm = torch.sys": "uses .sys",
    "y = eval('1')": "calls eval()",
    "b = __builtins__": "uses __builtins__",
    "x = vars()": "calls vars()",
    "import numpy\nt = numpy.__dict__": "uses .__dict__",
    "import torch\nm = torch.nn.Module\nd = m.modules": "uses the module table (.modules)",
    "name = 'modules'": "names 'modules'",
    "from functools import reduce\nf = reduce(getattr, ['a'], 1)": "passes getattr around",
}


@pytest.mark.parametrize("source", REFUSED, ids=range(len(REFUSED)))
def test_refuses(source):
    found = violations(source)
    assert any(REFUSED[source] in line for line in found), found


@pytest.mark.parametrize("source", [
    "import torch\nclass M(torch.nn.Module):\n    def f(self):\n"
    "        return list(self.modules())",
    "class A:\n    def get(self, name):\n        return getattr(self, name)",
    "import math\nx = getattr(math, 'pi')",
    "import numpy as np\nx = np.zeros(3)\nx[0] = 1",
    "def f(:\n",  # a syntax error is reported by the import, with its line
])
def test_allows(source):
    assert violations(source) == []


@pytest.mark.parametrize("topic", TOPICS.values(), ids=list(TOPICS))
def test_pack_code_passes_the_rules(topic):
    paths = [impl.module_path(impl.SOLUTIONS, topic), impl.module_path(impl.EXERCISES, topic),
             *topic.mutants()]
    for path in paths:
        assert violations(path.read_text()) == [], path


def test_local_mode_refuses_too(tmp_path, regularization):
    """`make check` refuses what graded mode refuses, so a student meets the rule first."""
    path = tmp_path / "regularization.py"
    path.write_text(impl.module_path(impl.SOLUTIONS, regularization).read_text()
                    + "\nimport gc\n")
    module = impl.load(path, regularization)
    check = regularization.checks("public")[0]
    outcome = LocalRunner().run(check, module)
    assert outcome.status is Status.ERROR and "imports gc" in outcome.message
