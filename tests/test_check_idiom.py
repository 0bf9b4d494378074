"""The check idiom itself (autograder/runtime/check.py): what one declaration registers."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from autograder.runtime.check import REFERENCE, CheckSet, echo
from autograder.runtime.compare import EXACT, Close
from autograder.runtime.variants import CPU_CUDA, NUMPY_FLOATS, TORCH_F64


def test_a_declaration_registers_each_function_variant_and_device_in_order():
    checks = CheckSet("demo", "hidden")

    @checks.add(("relu", "tanh"), compare=EXACT, expect=REFERENCE, variants=NUMPY_FLOATS,
                devices=CPU_CUDA, hint=lambda function: f"see {function}'s docstring")
    def matches(impl, device, dtype, function):
        """x (3,) {dtype} on {device}, {function}"""
        return getattr(impl, function)(dtype)

    assert [c.name for c in checks.checks] == [
        "relu.matches[float32]", "relu.matches[float32-cuda]", "relu.matches[float64]",
        "relu.matches[float64-cuda]", "tanh.matches[float32]", "tanh.matches[float32-cuda]",
        "tanh.matches[float64]", "tanh.matches[float64-cuda]"]
    first, last = checks.checks[0], checks.checks[-1]
    assert first.case == "x (3,) float32 on cpu, relu"  # the docstring, formatted
    assert last.case == "x (3,) float64 on cuda, tanh"
    assert (first.hint, last.hint) == ("see relu's docstring", "see tanh's docstring")
    # the probe learns which function it checks; the expected side gets float64
    impl = SimpleNamespace(relu=lambda dtype: ("relu", np.dtype(dtype).name),
                           tanh=lambda dtype: ("tanh", np.dtype(dtype).name))
    assert first.run_probe(impl) == ("relu", "float32")
    assert last.run_expected_probe(impl) == ("tanh", "float64")


def test_defaults_are_shared_and_each_argument_can_still_be_given():
    checks = CheckSet("demo", "hidden")
    values = checks.defaults(expect=REFERENCE, compare=EXACT, variants=TORCH_F64,
                             hint="the shared hint", contract="returns")

    @values.add("relu")
    def one(impl, device, dtype):
        return None

    @values.add("relu", compare=Close(rtol=1e-9, atol=0.0), case="given", contract=())
    def two(impl, device, dtype):
        """not used: case= wins"""
        return None

    @values.add("tanh", name="one")  # the same check name for another function's own probe
    def tanh_one(impl, device, dtype):
        return None

    one_check, two_check, tanh_check = checks.checks  # all land in the one check set
    assert tanh_check.name == "tanh.one[float64]" and tanh_check.probe is tanh_one
    assert one_check.name == "relu.one[float64]" and one_check.contracts == ("returns",)
    assert one_check.hint == "the shared hint" and one_check.case == ""
    assert two_check.case == "given" and two_check.contracts == ()
    assert two_check.tolerance.rtol == 1e-9
    assert values.defaults(hint="other").settings["compare"] is EXACT


@pytest.mark.parametrize(("arguments", "says"), [
    ({"compare": EXACT}, "needs a compare and a hint"),
    ({"hint": "h"}, "needs a compare and a hint"),
    ({"compare": EXACT, "hint": " "}, "needs a hint"),
    ({"compare": EXACT, "hint": "h", "contract": "speed"}, "unknown contract kind"),
    ({"compare": EXACT, "hint": "h", "colour": "red"}, "unknown arguments"),
])
def test_a_declaration_missing_what_it_needs_is_refused(arguments, says):
    checks = CheckSet("demo", "hidden")
    with pytest.raises((TypeError, ValueError), match=says):
        checks.add("relu", **arguments)(lambda impl, device: None)


def test_public_checks_cannot_expect_the_reference_and_names_stay_unique():
    with pytest.raises(ValueError, match="not REFERENCE"):
        CheckSet("demo", "public").add("relu", compare=EXACT, hint="h", expect=REFERENCE)
    checks = CheckSet("demo", "hidden")

    def probe(impl, device):
        return None

    checks.add("relu", compare=EXACT, hint="h")(probe)
    with pytest.raises(ValueError, match=r"duplicate check name relu\.probe"):
        checks.add(("tanh", "relu"), compare=EXACT, hint="h")(probe)
    with pytest.raises(ValueError, match="no such setting"):
        checks.defaults(colour="red")


def test_echo_returns_the_chosen_argument_as_the_probe_passed_it():
    expect = echo("dropout", "sgd_step", argument=1)
    assert expect.kind == "oracle" and expect.label == "the inputs, untouched"
    assert expect.namespace.dropout("x", "kept", p=0.5) == "kept"
    assert expect.namespace.sgd_step("p", "g") == "g"


def test_a_library_use_check_is_marked_named_and_says_what_was_unavailable():
    checks = CheckSet("demo", "hidden")

    @checks.library_use(("sgd_step", "adam_step"), kernels="torch's fused optimizer kernels",
                        expect=REFERENCE, compare=EXACT, hint="write the update yourself")
    def steps(impl, device, function):
        """param (4,) float64, 2 steps"""
        return None

    checks.add("sgd_step", compare=EXACT, hint="h")(steps)  # an ordinary check of the probe
    assert [(c.name, c.library_use) for c in checks.checks] == [
        ("sgd_step.no_library_shortcut", True), ("sgd_step.steps", False),
        ("adam_step.no_library_shortcut", True)]
    assert checks.checks[0].case == ("param (4,) float64, 2 steps, torch's fused optimizer "
                                     "kernels unavailable")


def test_each_functions_checks_are_listed_together_in_declaration_order():
    checks = CheckSet("demo", "hidden")
    for name, functions in (("first", ("relu", "tanh")), ("second", "gelu"),
                            ("third", ("tanh", "relu"))):
        checks.add(functions, compare=EXACT, hint="h", name=name)(lambda impl, device: None)
    assert [c.name for c in checks.checks] == [
        "relu.first", "relu.third", "tanh.first", "tanh.third", "gelu.second"]
