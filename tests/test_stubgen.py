"""Tests of autograder.stubgen: student stubs made from reference solutions."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from autograder.course import ROOT, TOPICS, Topic
from autograder.stubgen import HEADER, make_stub, stub_path, write_stubs

DEMO = Topic("5-99", "demo", "Demo")

SOURCE = '''\
"""Demo topic: the module docstring stays."""

from __future__ import annotations

import functools
import math  # a comment on an import

# A module-level comment that stays.
SCALE = 2.0  # a constant
_PRIVATE_CONSTANT = 3
LIMITS = {"low": 0, "high": 10}


def _helper(x):
    return x * SCALE * 7919


@functools.lru_cache(maxsize=None)
def _cached_helper(x):
    return x + 104729


def area(radius: float, *, exact: bool = False) -> float:
    """Area of a circle.

    Args:
        radius: the radius.
    """
    value = _helper(radius)
    # a comment inside the reference body
    return math.pi * radius**2 if exact else 3.14159 * value


def no_doc(a, b=1, *args, key: str = "k", **kwargs) -> int:
    total = a + b + 271828
    return total


@functools.cache
def decorated(n: int) -> int:
    """A public function with a decorator."""
    return n * 314159


class Counter:
    """Counts things."""

    LIMIT = 10

    def __init__(self, start: int = 0):
        self.value = start + 161803

    def increment(self, by: int = 1) -> int:
        """Add `by` and return the new value."""
        self.value = self._clip(self.value + by)
        return self.value

    @staticmethod
    def _clip(value):
        return min(value, Counter.LIMIT + 141421)

    def _secret(self):
        return 173205

    @property
    def doubled(self) -> int:
        return 2 * self.value * 223606

    def __repr__(self) -> str:
        return f"Counter({self.value})"
'''

SECRETS = ["7919", "104729", "3.14159", "271828", "314159", "161803", "141421", "173205",
           "223606", "a comment inside the reference body", "_helper", "_cached_helper",
           "_clip", "_secret", "@staticmethod", "@functools.lru_cache", "self.value = ",
           'f"Counter(']


@pytest.fixture(scope="module")
def stub() -> str:
    return make_stub(SOURCE, DEMO)


@pytest.fixture(scope="module")
def namespace(stub: str) -> dict[str, object]:
    names: dict[str, object] = {}
    exec(compile(stub, "demo.py", "exec"), names)
    return names


def stub_of(source: str) -> str:
    return make_stub(textwrap.dedent(source), DEMO)


def raises_named(call, name: str) -> None:
    with pytest.raises(NotImplementedError) as info:
        call()
    assert str(info.value) == f"demo.{name} is not implemented yet"


def function_defs(source: str) -> dict[str, ast.FunctionDef]:
    """Every function and method of `source` by qualified name."""
    found: dict[str, ast.FunctionDef] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef):
            found[node.name] = node
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef):
                    found[f"{node.name}.{item.name}"] = item
    return found


def signature(node: ast.FunctionDef) -> tuple[str, str | None]:
    return ast.dump(node.args), None if node.returns is None else ast.dump(node.returns)


# --------------------------------------------------------------------------------------------
# make_stub on a synthetic module


def test_stub_starts_with_header(stub):
    assert stub.startswith(HEADER)
    assert HEADER.startswith("# ")
    assert all(line.startswith("#") for line in HEADER.splitlines())


def test_stub_compiles(stub):
    compile(stub, "demo.py", "exec")


def test_stub_removes_the_reference_code(stub):
    for secret in SECRETS:
        assert secret not in stub, secret


def test_public_functions_keep_signature_and_docstring(stub):
    assert "def area(radius: float, *, exact: bool = False) -> float:\n" in stub
    assert '    """Area of a circle.\n\n    Args:\n        radius: the radius.\n    """\n' in stub
    assert "def no_doc(a, b=1, *args, key: str = \"k\", **kwargs) -> int:\n" in stub
    original = function_defs(SOURCE)
    stubbed = function_defs(stub)
    for name in ("area", "no_doc", "decorated", "Counter.__init__", "Counter.increment",
                 "Counter.doubled", "Counter.__repr__"):
        assert signature(stubbed[name]) == signature(original[name]), name
        assert ast.get_docstring(stubbed[name]) == ast.get_docstring(original[name]), name
        assert [ast.dump(d) for d in stubbed[name].decorator_list] == \
            [ast.dump(d) for d in original[name].decorator_list], name


def test_stubbed_bodies_are_a_single_raise(stub):
    stubbed = function_defs(stub)
    expected = {"area": "area", "no_doc": "no_doc", "decorated": "decorated",
                "Counter.__init__": "Counter.__init__", "Counter.increment": "Counter.increment",
                "Counter.doubled": "Counter.doubled", "Counter.__repr__": "Counter.__repr__"}
    assert set(stubbed) == set(expected)
    for qualname, node in stubbed.items():
        body = node.body[1:] if ast.get_docstring(node) is not None else node.body
        assert len(body) == 1, qualname
        assert ast.unparse(body[0]) == (
            f"raise NotImplementedError('demo.{expected[qualname]} is not implemented yet')")


def test_stub_raise_lines_are_indented_like_the_body(stub):
    assert '\n    raise NotImplementedError("demo.area is not implemented yet")\n' in stub
    assert '\n    raise NotImplementedError("demo.no_doc is not implemented yet")\n' in stub
    assert ('\n        raise NotImplementedError("demo.Counter.increment is not implemented yet")'
            '\n') in stub


def test_function_without_docstring(stub):
    assert ("def no_doc(a, b=1, *args, key: str = \"k\", **kwargs) -> int:\n"
            '    raise NotImplementedError("demo.no_doc is not implemented yet")\n') in stub


def test_private_helpers_and_their_decorators_are_removed(stub, namespace):
    assert "def _helper" not in stub
    assert "def _cached_helper" not in stub
    assert "lru_cache" not in stub
    assert "_helper" not in namespace
    assert "_cached_helper" not in namespace
    counter = namespace["Counter"]
    assert not hasattr(counter, "_clip")
    assert not hasattr(counter, "_secret")
    assert "staticmethod" not in stub


def test_public_decorators_are_kept(stub, namespace):
    assert "@functools.cache\ndef decorated(n: int) -> int:\n" in stub
    assert "    @property\n    def doubled(self) -> int:\n" in stub
    assert isinstance(vars(namespace["Counter"])["doubled"], property)


def test_dunder_methods_are_kept_and_stubbed(stub, namespace):
    assert "    def __init__(self, start: int = 0):\n" in stub
    assert "    def __repr__(self) -> str:\n" in stub
    counter = namespace["Counter"]
    raises_named(lambda: counter(), "Counter.__init__")
    raises_named(lambda: counter(5), "Counter.__init__")
    raises_named(lambda: repr(object.__new__(counter)), "Counter.__repr__")


def test_comments_imports_and_constants_survive(stub, namespace):
    for line in ('"""Demo topic: the module docstring stays."""\n',
                 "from __future__ import annotations\n",
                 "import functools\n",
                 "import math  # a comment on an import\n",
                 "# A module-level comment that stays.\n",
                 "SCALE = 2.0  # a constant\n",
                 "_PRIVATE_CONSTANT = 3\n",
                 'LIMITS = {"low": 0, "high": 10}\n',
                 '    """Counts things."""\n',
                 "    LIMIT = 10\n"):
        assert line in stub, line
    assert namespace["SCALE"] == 2.0
    assert namespace["_PRIVATE_CONSTANT"] == 3
    assert namespace["LIMITS"] == {"low": 0, "high": 10}
    assert namespace["Counter"].LIMIT == 10
    assert namespace["Counter"].__doc__ == "Counts things."
    assert namespace["area"].__doc__.startswith("Area of a circle.")
    # The module docstring is still the first statement (the header is only comments).
    assert ast.get_docstring(ast.parse(stub)) == "Demo topic: the module docstring stays."


def test_calling_any_stubbed_function_raises_naming_it(namespace):
    raises_named(lambda: namespace["area"](1.0), "area")
    raises_named(lambda: namespace["area"](1.0, exact=True), "area")
    raises_named(lambda: namespace["no_doc"](1), "no_doc")
    raises_named(lambda: namespace["decorated"](3), "decorated")
    counter = namespace["Counter"]
    instance = object.__new__(counter)
    raises_named(lambda: instance.increment(), "Counter.increment")
    raises_named(lambda: counter.increment(instance, 2), "Counter.increment")
    raises_named(lambda: instance.doubled, "Counter.doubled")


def test_stub_spacing_stays_tidy(stub):
    assert "\n\n\n\n" not in stub  # removing helpers leaves no runs of blank lines
    assert stub.endswith("\n")
    assert not stub.endswith("\n\n")
    assert "import math  # a comment on an import\n\n# A module-level" in stub
    # Two blank lines between top-level definitions, one between methods.
    assert "LIMITS = {\"low\": 0, \"high\": 10}\n\n\ndef area(" in stub
    assert 'is not implemented yet")\n\n    @property\n' in stub


def test_stub_is_idempotent_on_its_own_output(stub):
    # The stub's functions are already stubs: stubbing again only adds a second header.
    again = make_stub(stub, DEMO)
    assert again == HEADER + stub


def test_exact_output_for_a_small_module():
    source = textwrap.dedent('''\
        import torch


        def _mask(x):
            return x > 0


        def relu(x):
            """max(x, 0)."""
            return x * _mask(x)


        class Layer:
            def __init__(self, n):
                self.n = n

            def _private(self):
                return 1

            def forward(self, x):
                """Apply."""
                return relu(x)
        ''')
    expected = HEADER + textwrap.dedent('''\
        import torch


        def relu(x):
            """max(x, 0)."""
            raise NotImplementedError("demo.relu is not implemented yet")


        class Layer:
            def __init__(self, n):
                raise NotImplementedError("demo.Layer.__init__ is not implemented yet")

            def forward(self, x):
                """Apply."""
                raise NotImplementedError("demo.Layer.forward is not implemented yet")
        ''')
    assert make_stub(source, DEMO) == expected


def test_topic_name_is_used_in_messages():
    other = Topic("5-98", "other_topic", "Other")
    out = make_stub("def f():\n    return 1\n", other)
    assert 'raise NotImplementedError("other_topic.f is not implemented yet")' in out


def test_multiline_signature_and_body():
    out = stub_of('''\
        def long(
            a: int,
            b: int = (
                1 + 2
            ),
        ) -> int:
            """Doc
            on two lines."""
            if a:
                return (a
                        + b)
            return b
        ''')
    assert "def long(\n    a: int,\n    b: int = (\n        1 + 2\n    ),\n) -> int:\n" in out
    assert '    """Doc\n    on two lines."""\n' in out
    assert "return" not in out
    names: dict[str, object] = {}
    exec(compile(out, "demo.py", "exec"), names)
    raises_named(lambda: names["long"](1), "long")


def test_nested_functions_go_with_the_body():
    out = stub_of('''\
        def outer(x):
            """Doc."""
            def inner(y):
                return y + 99991
            return inner(x)
        ''')
    assert "inner" not in out
    assert "99991" not in out
    names: dict[str, object] = {}
    exec(compile(out, "demo.py", "exec"), names)
    raises_named(lambda: names["outer"](1), "outer")


def test_one_line_function_keeps_its_signature():
    out = stub_of("def f(x): return x + 1\n")
    assert "def f(x):" in out
    names: dict[str, object] = {}
    exec(compile(out, "demo.py", "exec"), names)
    raises_named(lambda: names["f"](1), "f")


def test_one_line_method_keeps_its_signature():
    out = stub_of('''\
        class A:
            def forward(self, x): return x
        ''')
    assert "def forward(self, x):" in out
    names: dict[str, object] = {}
    exec(compile(out, "demo.py", "exec"), names)  # defining the class must not raise
    raises_named(lambda: names["A"]().forward(1), "A.forward")


def test_decorated_nested_function_first_in_body():
    out = stub_of('''\
        import functools


        def f():
            """Doc."""
            @functools.cache
            def inner():
                return 1
            return inner()
        ''')
    assert "@functools.cache" not in out
    names: dict[str, object] = {}
    exec(compile(out, "demo.py", "exec"), names)
    raises_named(lambda: names["f"](), "f")


def test_class_with_only_private_methods_still_compiles():
    out = stub_of('''\
        class Holder:
            def _helper(self):
                return 42
        ''')
    assert "42" not in out
    names: dict[str, object] = {}
    exec(compile(out, "demo.py", "exec"), names)
    assert isinstance(names["Holder"], type)


# --------------------------------------------------------------------------------------------
# write_stubs and the real topic


def test_stub_path():
    assert stub_path(Path("exercises"), DEMO) == Path("exercises") / "demo.py"


def test_write_stubs_writes_then_reports_up_to_date(tmp_path):
    solutions, exercises = tmp_path / "solutions", tmp_path / "exercises"
    solutions.mkdir()
    exercises.mkdir()
    (solutions / "demo.py").write_text(SOURCE, encoding="utf-8")
    target = exercises / "demo.py"

    assert write_stubs(solutions, exercises, [DEMO], check=True) == [target]
    assert not target.exists()  # check mode never writes

    assert write_stubs(solutions, exercises, [DEMO], check=False) == [target]
    assert target.read_text(encoding="utf-8") == make_stub(SOURCE, DEMO)
    assert write_stubs(solutions, exercises, [DEMO], check=True) == []
    assert write_stubs(solutions, exercises, [DEMO], check=False) == []

    target.write_text(target.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    edited = target.read_text(encoding="utf-8")
    assert write_stubs(solutions, exercises, [DEMO], check=True) == [target]
    assert target.read_text(encoding="utf-8") == edited
    assert write_stubs(solutions, exercises, [DEMO], check=False) == [target]
    assert target.read_text(encoding="utf-8") == make_stub(SOURCE, DEMO)


@pytest.mark.parametrize("topic", list(TOPICS.values()), ids=lambda t: t.name)
def test_exercises_are_up_to_date_with_solutions(topic):
    stale = write_stubs(ROOT / "solutions", ROOT / "exercises", [topic], check=True)
    assert stale == [], "exercises/ is stale: run `python -m autograder stubs`"


@pytest.mark.parametrize("topic", list(TOPICS.values()), ids=lambda t: t.name)
def test_real_stub_compiles_and_hides_private_helpers(topic):
    source = (ROOT / "solutions" / topic.module_file).read_text(encoding="utf-8")
    stub = make_stub(source, topic)
    compile(stub, topic.module_file, "exec")
    private = [name for name in function_defs(source) if name.split(".")[-1].startswith("_")
               and not name.split(".")[-1].startswith("__")]
    assert private  # the reference does have helpers of its own
    stubbed = function_defs(stub)
    for name in private:
        assert name not in stubbed
    for name, node in stubbed.items():
        body = node.body[1:] if ast.get_docstring(node) is not None else node.body
        assert len(body) == 1, name
        assert ast.unparse(body[0]) == (
            f"raise NotImplementedError('{topic.name}.{name} is not implemented yet')")
