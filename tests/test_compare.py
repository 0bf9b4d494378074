"""Tests of autograder.runtime.compare: `Close`, `EXACT`, `require`, `rate_within`,
`mean_within` and the statistics written out in place of scipy.stats (`binomial_interval`,
`ks_two_sample`)."""

from __future__ import annotations

import re

import numpy as np
import pytest
from scipy import stats

from autograder.runtime.compare import (
    EXACT,
    AnyOf,
    Close,
    Mismatch,
    binomial_interval,
    ks_two_sample,
    mean_within,
    rate_within,
    require,
)

TOL = Close(rtol=1e-5, atol=1e-8)
SECRET = 123.456  # a distinctive expected value that must never appear in a message


class AlwaysEqual:
    def __eq__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return 0


def mismatch(compare, got, want) -> Mismatch:
    with pytest.raises(Mismatch) as info:
        compare(got, want)
    return info.value


def secret_forms(value: float) -> list[str]:
    """The ways a message could leak `value`."""
    return [repr(value), str(value), f"{value:.5g}", f"{value:.4g}", f"{value:.3g}",
            f"{value:.2f}", f"{value:.1f}", f"{value:.3e}", f"{value:.2e}", f"{value:g}",
            str(np.float32(value)), repr(np.float64(value))]


# --------------------------------------------------------------------------------------------
# Mismatch and require


def test_mismatch_is_an_assertion_error_with_location():
    error = Mismatch("values differ", "state.running_var")
    assert isinstance(error, AssertionError)
    assert str(error) == "state.running_var: values differ"
    assert error.detail == "values differ"
    assert error.where == "state.running_var"
    plain = Mismatch("values differ")
    assert str(plain) == "values differ"
    assert plain.where == ""


def test_require_passes_when_condition_holds():
    assert require(True, "never shown") is None
    assert require(1 == 1, "never shown", "y") is None


def test_require_raises_mismatch_otherwise():
    with pytest.raises(Mismatch, match=r"^y: too small$") as info:
        require(False, "too small", "y")
    assert info.value.detail == "too small"
    assert info.value.where == "y"
    with pytest.raises(Mismatch, match=r"^too small$"):
        require(False, "too small")


# --------------------------------------------------------------------------------------------
# Close: tolerance


def test_close_passes_within_tolerance():
    want = np.array([1.0, -2.0, 0.0, 1e6])
    limit = 1e-8 + 1e-5 * np.abs(want)
    TOL(want + 0.9 * limit, want)
    TOL(want - 0.9 * limit, want)
    TOL({"y": want.copy()}, {"y": want})


def test_close_fails_just_outside_tolerance():
    want = np.array([1.0, -2.0, 0.0, 1e6])
    limit = 1e-8 + 1e-5 * np.abs(want)
    for index in range(want.size):
        got = want.copy()
        got[index] += 1.1 * limit[index]
        error = mismatch(TOL, got, want)
        assert f"at index ({index},)" in str(error)
        assert "1 of 4 values outside it" in str(error)


def test_close_atol_only_and_rtol_only():
    Close(rtol=0.0, atol=0.1)(np.array([1.05, 100.05]), np.array([1.0, 100.0]))
    mismatch(Close(rtol=0.0, atol=0.1), np.array([1.0, 100.2]), np.array([1.0, 100.0]))
    Close(rtol=1e-3, atol=0.0)(np.array([100.05]), np.array([100.0]))
    mismatch(Close(rtol=1e-3, atol=0.0), np.array([0.0005]), np.array([0.0]))


def test_close_message_names_path_error_tolerance_and_count():
    want = {"y": np.array([SECRET, 1.0, 2.0])}
    got = {"y": np.array([SECRET + 0.5, 1.0, 2.0 + 0.25])}
    error = mismatch(TOL, got, want)
    message = str(error)
    assert error.where == "y"
    assert message.startswith("y: ")
    assert "max |error| 0.5" in message
    assert "at index (0,)" in message
    assert TOL.describe() in message
    assert "atol 1e-08 + rtol 1e-05*|expected|" in message
    assert "2 of 3 values outside it" in message
    for form in secret_forms(SECRET):
        assert form not in message, form


def test_close_message_for_nested_state():
    want = {"y": np.zeros(2), "state": {"running_mean": np.zeros(3),
                                        "running_var": np.full(3, SECRET)}}
    got = {"y": np.zeros(2), "state": {"running_mean": np.zeros(3),
                                       "running_var": np.array([SECRET, SECRET + 1, SECRET])}}
    error = mismatch(TOL, got, want)
    assert error.where == "state.running_var"
    message = str(error)
    assert message.startswith("state.running_var: ")
    assert "max |error| 1 at index (1,)" in message
    assert "1 of 3 values outside it" in message
    for form in secret_forms(SECRET):
        assert form not in message, form


def test_close_message_for_list_item_and_scalar():
    error = mismatch(TOL, {"h": [1.0, SECRET + 2]}, {"h": [1.0, SECRET]})
    assert error.where == "h[1]"
    assert "max |error| 2" in str(error)
    assert "1 of 1 values outside it" in str(error)
    assert "at index" not in str(error)  # a scalar has no index
    for form in secret_forms(SECRET):
        assert form not in str(error), form
    error = mismatch(TOL, [np.zeros(1), np.ones(1)], [np.zeros(1), np.zeros(1)])
    assert error.where == "output[1]"
    error = mismatch(TOL, np.ones(2), np.zeros(2))
    assert error.where == "output"


def test_close_multi_dimensional_index():
    want = np.zeros((3, 4))
    got = want.copy()
    got[2, 1] = 1.0
    got[0, 0] = 0.5
    error = mismatch(TOL, got, want)
    assert "max |error| 1 at index (2, 1)" in str(error)
    assert "2 of 12 values outside it" in str(error)


def test_close_shape_mismatch():
    error = mismatch(TOL, np.zeros((2, 3)), np.zeros((3, 2)))
    assert "shape (2, 3), expected (3, 2)" in str(error)
    error = mismatch(TOL, np.zeros(1), np.array(0.0))
    assert "shape (1,), expected ()" in str(error)


def test_close_dtype_mismatch():
    error = mismatch(TOL, np.zeros(3, dtype=np.float32), np.zeros(3))
    assert "dtype float32, expected float64" in str(error)
    error = mismatch(EXACT, np.zeros(3, dtype=np.int32), np.zeros(3, dtype=np.int64))
    assert "dtype int32, expected int64" in str(error)
    mismatch(TOL, np.zeros(3), np.zeros(3, dtype=bool))


def test_close_missing_dict_key():
    error = mismatch(TOL, {"y": np.zeros(2)}, {"y": np.zeros(2), "state": {}})
    assert "missing entries ['state']" in str(error)
    error = mismatch(TOL, {"state": {"a": 1.0}}, {"state": {"a": 1.0, "b": 2.0}})
    assert error.where == "state"
    assert "missing entries ['b']" in str(error)


def test_close_extra_dict_keys_are_ignored():
    TOL({"y": 1.0, "debug": "anything"}, {"y": 1.0})


def test_close_expected_dict_got_other():
    error = mismatch(TOL, [1.0], {"y": 1.0})
    assert "expected a dict, got a list" in str(error)
    error = mismatch(TOL, None, {"y": 1.0})
    assert "expected a dict, got None" in str(error)


def test_close_list_length_and_type():
    error = mismatch(TOL, [1.0], [1.0, 2.0])
    assert "length 1, expected 2" in str(error)
    error = mismatch(TOL, [1.0, 2.0, 3.0], [1.0, 2.0])
    assert "length 3, expected 2" in str(error)
    error = mismatch(TOL, np.array([1.0, 2.0]), [1.0, 2.0])
    assert "expected a list, got an array of shape (2,)" in str(error)


@pytest.mark.parametrize(("got", "kind"), [
    ([1.0, 2.0], "a list"),
    (1.0, "a float"),
    (None, "None"),
    ({"a": 1}, "a dict"),
    ("text", "a str"),
])
def test_close_non_array_where_array_expected(got, kind):
    error = mismatch(TOL, got, np.array([1.0, 2.0]))
    assert f"expected an array, got {kind}" in str(error)


def test_close_nan_or_inf_where_finite_expected():
    want = np.array([1.0, 2.0, 3.0])
    for bad in (np.nan, np.inf, -np.inf):
        got = want.copy()
        got[1] = bad
        error = mismatch(TOL, got, want)
        assert "1 of 3 values are NaN or inf where finite values were expected" in str(error)
    error = mismatch(TOL, np.array([np.nan, np.inf, 3.0]), want)
    assert "2 of 3 values" in str(error)
    # A huge tolerance does not let NaN through.
    mismatch(Close(rtol=1e9, atol=1e9), np.array([np.nan]), np.array([0.0]))
    mismatch(Close(rtol=1e9, atol=1e9), float("nan"), 0.0)


def test_close_nan_expected():
    want = np.array([np.nan, 1.0, np.nan])
    TOL(np.array([np.nan, 1.0 + 1e-9, np.nan]), want)
    error = mismatch(TOL, np.array([0.0, 1.0, np.nan]), want)
    assert re.search(r"where NaN (or inf )?was expected", str(error)), str(error)
    mismatch(TOL, np.array([np.inf, 1.0, np.nan]), want)
    TOL(float("nan"), float("nan"))
    mismatch(TOL, 0.0, float("nan"))
    EXACT(np.array([np.nan, 1.0]), np.array([np.nan, 1.0]))
    mismatch(EXACT, np.array([0.0, 1.0]), np.array([np.nan, 1.0]))
    mismatch(EXACT, np.array([np.nan, 1.0]), np.array([0.0, 1.0]))


def test_close_infinite_expected_is_matched_by_the_same_infinity():
    # An infinite expected value is met exactly by the same infinity (as np.isclose does).
    want = np.array([np.inf, -np.inf, 1.0])
    TOL(want.copy(), want)
    TOL(float("inf"), float("inf"))
    EXACT(want.copy(), want)


def test_close_infinite_expected_is_not_matched_by_other_values():
    for got in (5.0, 1e300, -np.inf, np.nan):
        with pytest.raises(Mismatch):
            TOL(np.array([got]), np.array([np.inf]))
    with pytest.raises(Mismatch):
        TOL(0.0, float("-inf"))


def test_close_float_scalars():
    TOL(2.0, 2.0)
    TOL(2.0 + 1e-6, 2.0)
    TOL(2, 2.0)  # an int is a number too
    error = mismatch(TOL, 2.1, 2.0)
    assert error.where == "output"
    assert "max |error| 0.1" in str(error)
    error = mismatch(TOL, "2.0", 2.0)
    assert "expected a number, got a str" in str(error)
    error = mismatch(TOL, None, 2.0)
    assert "expected a number, got None" in str(error)
    error = mismatch(TOL, True, 1.0)
    assert "expected a number, got a bool" in str(error)
    mismatch(TOL, np.array(2.0), 2.0)


def test_close_int_scalars():
    TOL(3, 3)
    TOL(3.0, 3)  # with a tolerance an int is judged as a number
    TOL(3 + 1e-6, 3)
    mismatch(TOL, 4, 3)
    mismatch(TOL, True, 1)
    EXACT(3, 3)
    error = mismatch(EXACT, 3.0, 3)
    assert "expected an int, got a float" in str(error)
    error = mismatch(EXACT, 4, 3)
    assert "off by 1 (exact integer match required)" in str(error)
    assert "3" not in str(error).replace("output", "")
    error = mismatch(EXACT, 1, 3)
    assert "off by 2" in str(error) and "3" not in str(error).replace("output", "")
    mismatch(EXACT, True, 1)
    mismatch(EXACT, 1, True)


@pytest.mark.parametrize("compare", [TOL, EXACT], ids=["tolerance", "exact"])
def test_close_exact_bool_str_none(compare):
    compare(True, True)
    compare(False, False)
    compare("relu", "relu")
    compare(None, None)
    error = mismatch(compare, False, True)
    assert "is False, expected True" in str(error)  # a yes/no fact: saying which is no leak
    error = mismatch(compare, "Relu", "relu")
    assert "the text differs from the expected one" in str(error)
    assert "relu" not in str(error).lower()
    error = mismatch(compare, 1, True)
    assert "expected a bool, got an int" in str(error)
    error = mismatch(compare, 0, None)
    assert "expected None, got an int" in str(error)
    mismatch(compare, None, False)
    mismatch(compare, "", None)


@pytest.mark.parametrize("want", [True, 1, "a", None, 1.0, [1], {"a": 1}, np.zeros(1)])
def test_close_rejects_object_that_equals_everything(want):
    mismatch(TOL, AlwaysEqual(), want)
    mismatch(EXACT, AlwaysEqual(), want)


def test_close_int_arrays_are_exact_even_with_tolerance():
    want = np.array([1, 2, 3], dtype=np.int64)
    Close(rtol=0.5, atol=10.0)(want.copy(), want)
    error = mismatch(Close(rtol=0.5, atol=10.0), np.array([1, 2, 4]), want)
    assert "1 of 3 elements differ (exact match required)" in str(error)
    error = mismatch(TOL, np.array([True, True]), np.array([True, False]))
    assert "1 of 2 elements differ" in str(error)
    mismatch(TOL, np.array([1, 2, 3], dtype=np.uint8), np.array([1, 2, 3], dtype=np.int64))


def test_exact_float_arrays():
    assert EXACT.exact
    assert not TOL.exact
    assert EXACT.describe() == "exact match"
    want = np.array([[0.1, 0.2], [0.3, 1e-300]])
    EXACT(want.copy(), want)
    error = mismatch(EXACT, want + np.array([[0.0, 0.0], [np.spacing(0.3), 0.0]]), want)
    assert "1 of 4 elements differ (exact match required)" in str(error)
    EXACT(np.array(-0.0), np.array(0.0))  # -0.0 == 0.0
    mismatch(EXACT, 0.1 + 0.2, 0.3)
    EXACT(0.5, 0.5)


def test_close_empty_and_zero_dim_arrays():
    TOL(np.zeros((0, 3)), np.zeros((0, 3)))
    EXACT(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    TOL(np.array(1.0), np.array(1.0 + 1e-9))
    error = mismatch(TOL, np.array(2.0), np.array(1.0))
    assert "max |error| 1 exceeds" in str(error)
    assert "1 of 1 values outside it" in str(error)


def test_close_float32_arrays():
    want = np.array([1.0, 2.0], dtype=np.float32)
    Close(rtol=1e-6, atol=0.0)(want + np.float32(1e-7), want)
    mismatch(Close(rtol=1e-6, atol=0.0), want + np.float32(1e-4), want)


def test_close_describe():
    assert Close(rtol=1e-5, atol=1e-8).describe() == "atol 1e-08 + rtol 1e-05*|expected|"
    assert Close(rtol=0.0, atol=1e-3).describe() == "atol 1e-03 + rtol 0e+00*|expected|"
    assert Close(rtol=0.0, atol=0.0).describe() == "exact match"


def test_close_is_frozen():
    with pytest.raises(AttributeError):
        TOL.rtol = 1.0  # type: ignore[misc]


# --------------------------------------------------------------------------------------------
# rate_within


def test_rate_within_passes_in_the_central_interval():
    n, p, alpha = 10_000, 0.3, 0.01
    low, high = stats.binom.interval(1 - alpha, n, p)
    for count in (3000, int(low), int(high), 2950, 3050):
        assert rate_within(count, n, p, alpha, "kept elements") is None


def test_rate_within_fails_far_away_and_states_the_rate():
    n, p, alpha = 10_000, 0.3, 0.01
    low, high = stats.binom.interval(1 - alpha, n, p)
    for count in (int(low) - 1, int(high) + 1, 2500, 0, n):
        with pytest.raises(Mismatch):
            rate_within(count, n, p, alpha, "kept elements")
    with pytest.raises(Mismatch) as info:
        rate_within(2500, n, p, alpha, "kept elements", "mask")
    message = str(info.value)
    assert info.value.where == "mask"
    assert message.startswith("mask: kept elements: 2500 of 10000 (0.2500)")
    assert "false-failure rate 0.01" in message
    assert f"between {int(low)} and {int(high)}" in message
    assert "with probability 0.3" in message


def test_rate_within_states_other_rates():
    with pytest.raises(Mismatch, match=r"false-failure rate 1e-06"):
        rate_within(10, 1000, 0.5, 1e-6, "heads")


def test_rate_within_false_failure_rate_is_honest():
    n, p, alpha, draws = 10_000, 0.3, 0.01, 2000
    rng = np.random.default_rng(0)
    counts = rng.binomial(n, p, size=draws)
    failures = 0
    for count in counts:
        try:
            rate_within(int(count), n, p, alpha, "kept")
        except Mismatch:
            failures += 1
    assert failures / draws <= 2 * alpha
    # And it is a real test, not one that never fails: a 1% shift is caught almost always.
    shifted = rng.binomial(n, p + 0.03, size=200)
    caught = 0
    for count in shifted:
        try:
            rate_within(int(count), n, p, alpha, "kept")
        except Mismatch:
            caught += 1
    assert caught >= 190


def test_rate_within_edge_probabilities():
    rate_within(0, 100, 0.0, 0.01, "dropped")
    with pytest.raises(Mismatch):
        rate_within(1, 100, 0.0, 0.01, "dropped")
    rate_within(100, 100, 1.0, 0.01, "dropped")
    with pytest.raises(Mismatch):
        rate_within(99, 100, 1.0, 0.01, "dropped")


# --------------------------------------------------------------------------------------------
# mean_within


def test_mean_within_passes_for_correct_samples():
    rng = np.random.default_rng(1)
    values = rng.normal(0.5, 2.0, size=10_000)
    assert abs(values.mean() - 0.5) < 0.02 * 2  # sanity check of the sample itself
    assert mean_within(values, 0.5, 2.0, 0.01, "output mean") is None


def test_mean_within_fails_far_away_and_states_the_rate():
    values = np.full(100, 1.0)
    with pytest.raises(Mismatch) as info:
        mean_within(values, 0.0, 1.0, 0.01, "output mean", "y")
    message = str(info.value)
    assert info.value.where == "y"
    assert message.startswith("y: output mean: sample mean 1 is 10.0 standard errors from 0")
    assert "allowed 2.6" in message
    assert "false-failure rate 0.01" in message
    rng = np.random.default_rng(2)
    with pytest.raises(Mismatch):
        mean_within(rng.normal(0.6, 2.0, size=10_000), 0.5, 2.0, 0.01, "output mean")


def test_mean_within_boundary():
    z = float(stats.norm.isf(0.005))
    n = 400
    inside = np.full(n, 0.99 * z * 1.0 / np.sqrt(n))
    outside = np.full(n, 1.01 * z * 1.0 / np.sqrt(n))
    mean_within(inside, 0.0, 1.0, 0.01, "m")
    mean_within(-inside, 0.0, 1.0, 0.01, "m")
    with pytest.raises(Mismatch):
        mean_within(outside, 0.0, 1.0, 0.01, "m")
    with pytest.raises(Mismatch):
        mean_within(-outside, 0.0, 1.0, 0.01, "m")


def test_mean_within_uses_all_elements_of_multi_dimensional_arrays():
    values = np.full((20, 20), 0.2)  # 400 values: standard error 1/20
    with pytest.raises(Mismatch, match=r"4\.0 standard errors"):
        mean_within(values, 0.0, 1.0, 0.01, "m")


def test_mean_within_false_failure_rate_is_honest():
    alpha, draws, size = 0.01, 2000, 1000
    rng = np.random.default_rng(0)
    samples = rng.normal(0.5, 2.0, size=(draws, size))
    failures = 0
    for row in samples:
        try:
            mean_within(row, 0.5, 2.0, alpha, "mean")
        except Mismatch:
            failures += 1
    assert failures / draws <= 2 * alpha
    shifted = rng.normal(0.5 + 0.4, 2.0, size=(200, size))
    caught = 0
    for row in shifted:
        try:
            mean_within(row, 0.5, 2.0, alpha, "mean")
        except Mismatch:
            caught += 1
    assert caught >= 190


def test_any_of_passes_on_any_accepted_formulation_and_reports_the_main_one():
    """An any_of check passes if the answer matches one of the formulations, and its failure
    message is measured against the first (the docstring's main form)."""
    compare = AnyOf(Close(rtol=0.0, atol=1e-9))
    main, other = np.array([1.0, 2.0]), np.array([1.0, 2.5])
    compare(np.array([1.0, 2.5]), [main, other])
    compare(np.array([1.0, 2.0]), [main, other])
    failure = mismatch(compare, np.array([1.0, 3.0]), [main, other])
    assert "max |error| 1 at" in str(failure)  # |3 - 2|, not |3 - 2.5| = 0.5
    assert AnyOf(EXACT).describe().endswith("against any accepted formulation")


@pytest.mark.parametrize("n", [1, 2, 10, 37, 1000, 4096, 65536, 1_000_000])
def test_binomial_interval_is_scipys(n):
    """rate_within's interval, written out (scipy.stats costs 0.5 s of `make check`), equals
    scipy.stats.binom.interval exactly."""
    for p in (0.001, 0.1, 0.25, 0.5, 0.9, 0.999):
        for alpha in (1e-6, 1e-3, 0.05):
            low, high = stats.binom.interval(1 - alpha, n, p)
            assert binomial_interval(n, p, alpha) == (int(low), int(high)), (n, p, alpha)


@pytest.mark.parametrize("sizes", [(16384, 16384), (16384, 4096), (20000, 15000)])
def test_ks_two_sample_agrees_with_scipy(sizes):
    """5-02's Kolmogorov-Smirnov test, written out: the same D as scipy.stats.ks_2samp to the
    last bit, its p-value within 5 % (measured 4.6 % at most; scipy's asymptotic form is the
    one-sample distribution at n_e, ours Stephens' correction of the limit), and the same verdict
    at 5-02's false-failure rate, 1e-6, from equal samples to clearly different ones."""
    rng = np.random.default_rng(0)
    for shift in (0.0, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1):
        for scale in (1.0, 1.02, 1.05):
            x, y = rng.normal(size=sizes[0]), rng.normal(shift, scale, size=sizes[1])
            theirs = stats.ks_2samp(x, y)
            d, p_value = ks_two_sample(x, y)
            assert d == pytest.approx(theirs.statistic, abs=1e-15)
            assert (p_value >= 1e-6) == (theirs.pvalue >= 1e-6)
            if theirs.pvalue > 1e-12:
                assert p_value == pytest.approx(theirs.pvalue, rel=0.05)
