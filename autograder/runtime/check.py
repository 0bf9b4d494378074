"""The check idiom: a probe that exercises an implementation and returns plain data, and a compare
that judges that data.

    CHECKS = CheckSet("regularization", "public")
    NORMS = CHECKS.defaults(expect=TORCH, compare=Close(rtol=1e-12, atol=1e-12),  # measured: ...
                            variants=TORCH_F64)

    @NORMS.add("layer_norm", hint="normalise over the last len(normalized_shape) dimensions")
    def matches_F(impl, device, dtype):
        '''x (8, 5, 6) {dtype}'''
        x = ...
        return {"y": to_plain(impl.layer_norm(x, (5, 6)))}

`impl` is the module under test (or an oracle namespace, or the reference solution when the
expected data are computed). The probe gets the device to run on and the variant's parameters.
The case a student reads is the probe's docstring (or `case=`), formatted with the variant's
parameters, `device` and `function`. One declaration serves several functions: give a tuple of
names, and the probe gets the one it is checking as `function` (a hint or case may then be a
function of that name). Variants and devices every topic shares are in `runtime/variants.py`.
Where the expected data come from is part of the declaration:
- `NOTHING`: a property check; the compare sees only the probe's data (`want` is None).
- `oracle(...)`: library code standing in for the implementation (`F.layer_norm`, `torch.optim`).
- `REFERENCE`: the reference solution; hidden checks only, since solutions never ship.
- `literal(value)`: a worked example written out in a public check.
- `any_of(label, main, *others)`: where the docstring accepts several correct formulations (Adam's
  eps placement, where AdamW's decay is applied), one oracle per formulation; an answer passes if
  it matches any of them, and a mismatch is reported against `main`.
Expected data are computed on the CPU and in float64 (a `dtype` parameter is replaced by float64),
so CUDA and float32 variants are judged against float64 truth.

Graded mode runs the probe in an untrusted process, so a probe returns only what the implementation
produced. Whatever the compare needs to know about the inputs comes from the expected side, computed
in the trusted process (for property checks: an oracle that echoes the inputs), never from the
implementation's side.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from types import SimpleNamespace
from typing import Any

from autograder.runtime.compare import AnyOf, Close
from autograder.runtime.plain import Plain

VISIBILITIES = ("public", "hidden")

# The kinds of contract a graded function's docstring can state, each tested by checks tagged with
# it (`contract=` below). A topic's CONTRACTS table (in its hidden checks) says which kinds apply to
# each function; tests/test_contracts.py fails when a kind that applies has no check.
CONTRACT_KINDS = {
    "returns": "the exact type of what comes back, reported as type(x).__name__ (a NumPy scalar "
               "or a 0-d tensor is not the promised Python float)",
    "dtypes": "the dtype (and device) of every result for each input dtype the docstring allows",
    "unchanged": "no argument and no cached state modified, also when the function raises",
    "errors": "every documented error, with its exact type, in every mode",
    "edges": "every edge case the docstring defines (empty, zero, a boundary, a single row)",
    "generator": "draws only from the given generator, as the docstring says, never the global "
                 "random state and never re-seeded",
    "restores": "modes and state put back as documented (train/eval, grad mode, parameters), "
                "also when the function raises",
    "keys": "exactly the documented keys of a returned dict or of saved state",
}
# Kinds a function can satisfy without computing anything right (the right types, arguments left
# alone, an error raised, keys present): a check of these alone is a property check (see
# Check.is_property). An edge case is a value the docstring defines.
PROPERTY_KINDS = frozenset(CONTRACT_KINDS) - {"edges"}


class ProbeError(Exception):
    """The implementation returned something the probe cannot use (a list where a tensor was
    expected, a missing attribute); the message says what, in the student's terms."""


@dataclass(frozen=True)
class Expect:
    """Where a check's expected data come from."""

    kind: str  # "nothing" | "oracle" | "reference" | "literal"
    namespace: Any = None
    label: str = ""


NOTHING = Expect("nothing", label="a property of the output")
REFERENCE = Expect("reference", label="the reference solution")


def oracle(label: str, **functions: Callable[..., Any]) -> Expect:
    """Expected data from library functions that stand in for the implementation's names."""
    return Expect("oracle", SimpleNamespace(**functions), label)


def literal(value: Plain, label: str = "a worked example") -> Expect:
    """Expected data written out in the check (public checks: the docstring's example)."""
    return Expect("literal", value, label)


def any_of(label: str, main: Expect, *others: Expect) -> Expect:
    """Expected data from several oracles, each a formulation the docstring accepts. An oracle
    in `others` may define only some of the names (its formulation of those); the rest come from
    `main`. Only the alternatives that change a name the probe uses are computed."""
    if any(e.kind != "oracle" for e in (main, *others)):
        raise ValueError("any_of combines oracles")
    return Expect("any", (main, *others), label)


def float64_like(dtype: Any) -> Any:
    """float64 of the same library as `dtype` (torch or NumPy)."""
    if type(dtype).__module__.startswith("torch"):
        import torch

        return torch.float64
    import numpy as np

    return np.float64


@dataclass(frozen=True)
class Check:
    topic: str
    function: str  # the graded function or class this check exercises
    name: str  # "<function>.<probe>[<variant>]", unique within the topic
    visibility: str
    probe: Callable[..., Plain]
    compare: Callable[[Plain, Plain], None]
    expect: Expect
    hint: str
    case: str = ""
    device: str = "cpu"
    weight: float = 1.0  # share of the function's points, relative to its other checks
    params: Mapping[str, Any] = field(default_factory=dict)
    points: float = 0.0  # set from the grading configuration
    contracts: tuple[str, ...] = ()  # the CONTRACT_KINDS this check tests
    library_use: bool = False  # a library-use check (CheckSet.library_use)

    @property
    def id(self) -> str:
        return f"{self.topic}.{self.name}"

    @property
    def needs_gpu(self) -> bool:
        return self.device == "cuda"

    @property
    def is_property(self) -> bool:
        """Whether passing this check can show nothing computed: it has no expected data, or it
        tests only PROPERTY_KINDS contracts without comparing numbers within a tolerance. Such a
        check earns its points only beside a passing check of the function's values
        (outcome.credit)."""
        if self.expect.kind == "nothing":
            return True
        tolerance = self.tolerance
        within_a_tolerance = tolerance is not None and not tolerance.exact
        return bool(self.contracts) and set(self.contracts) <= PROPERTY_KINDS \
            and not within_a_tolerance

    @property
    def tolerance(self) -> Close | None:
        compare = self.compare.compare if isinstance(self.compare, AnyOf) else self.compare
        return compare if isinstance(compare, Close) else None

    def run_probe(self, impl: Any) -> Plain:
        """The probe on the implementation under test, with this check's device and parameters."""
        return self.probe(impl, self.device, **self.params)

    def run_expected_probe(self, source: Any) -> Plain:
        """The probe on the expected side (oracle or reference): CPU, float64."""
        params = dict(self.params)
        if "dtype" in params:
            params["dtype"] = float64_like(params["dtype"])
        return self.probe(source, "cpu", **params)

    def with_tolerance(self, tolerance: Close) -> Check:
        return replace(self, compare=AnyOf(tolerance) if isinstance(self.compare, AnyOf)
                       else tolerance)


class CheckSet:
    """The checks of one topic at one visibility, in declaration order."""

    def __init__(self, topic: str, visibility: str):
        if visibility not in VISIBILITIES:
            raise ValueError(f"visibility must be one of {VISIBILITIES}, not {visibility!r}")
        self.topic, self.visibility = topic, visibility
        self.checks: list[Check] = []
        self.settings: dict[str, Any] = {}

    def defaults(self, **settings: Any) -> CheckSet:
        """The same check set with defaults for `add`'s arguments (what a group of checks shares:
        expect, compare, variants, devices, hint, contract...); `add` can still override each."""
        unknown = set(settings) - set(ADD_DEFAULTS)
        if unknown:
            raise ValueError(f"no such setting {sorted(unknown)}: one of {list(ADD_DEFAULTS)}")
        view = copy.copy(self)  # shares `checks`
        view.settings = {**self.settings, **settings}
        return view

    def add(self, functions: str | tuple[str, ...], **arguments: Any
            ) -> Callable[[Callable[..., Plain]], Callable]:
        """Register the decorated probe once per function, variant and device (listed with the
        function's other checks, see `_append`). Arguments, each
        defaulting to `defaults(...)`'s and then to ADD_DEFAULTS: `compare` and `hint` (both
        required), `expect`, `case`, `weight`, `variants`, `devices`, `contract` (the
        CONTRACT_KINDS the check tests: one kind or a tuple), `name` (the check's name after the
        function's, where the probe's own name must differ: `Linear.batch_of_one` and
        `MLP.batch_of_one` are two probes). `functions`: one name, or a tuple whose probe takes
        the name as `function`; `hint` and `case` may then be callables of it."""
        unknown = set(arguments) - set(ADD_DEFAULTS)
        if unknown:
            raise TypeError(f"add() got unknown arguments {sorted(unknown)}")
        settings = {**ADD_DEFAULTS, **self.settings, **arguments}
        if settings["compare"] is None or settings["hint"] is None:
            raise TypeError(f"a check of {functions} needs a compare and a hint")
        contract = settings["contract"]
        contracts = (contract,) if isinstance(contract, str) else tuple(contract)
        unknown = [kind for kind in contracts if kind not in CONTRACT_KINDS]
        if unknown:
            raise ValueError(f"unknown contract kind {unknown}: one of {list(CONTRACT_KINDS)}")
        expect = settings["expect"]
        if expect.kind == "reference" and self.visibility == "public":
            raise ValueError("public checks ship to students without the solutions: expect an "
                             "oracle or a property, not REFERENCE")
        compare = AnyOf(settings["compare"]) if expect.kind == "any" else settings["compare"]
        several = not isinstance(functions, str)
        names = tuple(functions) if several else (functions,)

        def register(probe: Callable[..., Plain]) -> Callable[..., Plain]:
            for function in names:
                hint = _for(settings["hint"], function)
                if not hint.strip():
                    raise ValueError(f"a check of {function} needs a hint")
                case = _for(settings["case"], function)
                if case is None:  # the probe's docstring, on one line
                    case = " ".join((probe.__doc__ or "").split())
                for label, variant in (settings["variants"] or {"": {}}).items():
                    params = {**variant, "function": function} if several else dict(variant)
                    for device in settings["devices"]:
                        self._append(Check(
                            topic=self.topic, function=function,
                            name=_check_name(function, settings["name"] or probe.__name__,
                                             label, device),
                            visibility=self.visibility, probe=probe, compare=compare,
                            expect=expect, hint=hint, device=device,
                            case=case.format(**{**params, "device": device, "function": function}),
                            weight=settings["weight"], params=params, contracts=contracts))
            return probe

        return register

    def library_use(self, functions: str | tuple[str, ...], *, kernels: str | None = None,
                    **arguments: Any) -> Callable[[Callable[..., Plain]], Callable]:
        """A library-use check, `<function>.no_library_shortcut` unless `name=` says otherwise:
        a check of values like any other, but declared as the one whose failure means "the
        library's own version was used". The topic's forbidden operators (`Topic.forbidden_ops`)
        raise inside the student's code whenever it is graded, so an answer that calls them fails
        here with a hint that names them (`hint=`), and the case says which kernels were gone
        (`kernels`, appended as ", <kernels> unavailable"). A mutant the source rules refuse may
        name only these checks (tests/test_pack_rules.py)."""
        arguments.setdefault("name", "no_library_shortcut")
        case = arguments.pop("case", None)

        def register(probe: Callable[..., Plain]) -> Callable[..., Plain]:
            def case_of(function: str) -> str:
                text = _for(case, function)
                text = " ".join((probe.__doc__ or "").split()) if text is None else text
                return f"{text}, {kernels} unavailable" if kernels else text

            before = {c.name for c in self.checks}
            self.add(functions, case=case_of, **arguments)(probe)
            self.checks[:] = [c if c.name in before else replace(c, library_use=True)
                              for c in self.checks]
            return probe

        return register

    def _append(self, check: Check) -> None:
        """Keep each function's checks together, in the order they were declared (the report
        lists them so), whatever order several-function declarations register them in."""
        if any(c.name == check.name for c in self.checks):
            raise ValueError(f"duplicate check name {check.name}")
        same = [k for k, c in enumerate(self.checks) if c.function == check.function]
        self.checks.insert(same[-1] + 1 if same else len(self.checks), check)


# What `CheckSet.add` takes, and its defaults (None: required; for `case` the probe's docstring, for
# `name` the probe's name).
ADD_DEFAULTS: dict[str, Any] = {
    "compare": None, "hint": None, "expect": NOTHING, "case": None, "weight": 1.0,
    "variants": None, "devices": ("cpu",), "contract": (), "name": None,
}


def _for(value: Any, function: str) -> Any:
    """A hint or case given for every function (a string) or per function (a callable)."""
    return value(function) if callable(value) else value


def _check_name(function: str, probe: str, label: str, device: str) -> str:
    tags = "-".join(t for t in (label, "" if device == "cpu" else device) if t)
    return f"{function}.{probe}" + (f"[{tags}]" if tags else "")


def echo(*functions: str, argument: int = 0, label: str = "the inputs, untouched") -> Expect:
    """Expected data for a property check: each named function "returns" its `argument`-th
    argument as the probe passed it, computed in the trusted process (an argument left unchanged,
    the input a statistic is judged against), so the compare never trusts the child's inputs."""
    def returns_it(*args: Any, **kwargs: Any) -> Any:
        return args[argument]

    return oracle(label, **dict.fromkeys(functions, returns_it))
