"""The compare half of a check: decide pass or fail from plain data, never from student objects.

A compare is any callable `compare(got, want)` that returns None on a pass and raises `Mismatch` on
a fail. `want` is None for property checks (the probe's own data carry everything needed).
Messages state where the data disagree, shapes, dtypes and the size of the error, never the
expected values themselves, so they are safe to show for hidden checks.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

import numpy as np

from autograder.runtime.plain import Plain


class Mismatch(AssertionError):
    """The implementation's data disagree with what was expected."""

    def __init__(self, detail: str, where: str = ""):
        super().__init__(f"{where}: {detail}" if where else detail)
        self.detail, self.where = detail, where


def require(condition: bool, detail: str, where: str = "") -> None:
    """Raise Mismatch(detail) unless condition holds: the building block of property compares."""
    if not condition:
        raise Mismatch(detail, where)


@dataclass(frozen=True)
class AnyOf:
    """For `any_of` checks: `want` is a list of alternatives (the docstring's main formulation
    first); the answer passes if `compare` accepts it against any one, and a mismatch is the main
    formulation's."""

    compare: object  # the compare of each alternative

    def __call__(self, got: Plain, want: list[Plain]) -> None:
        mismatches = []
        for alternative in want:
            try:
                self.compare(got, alternative)
                return
            except Mismatch as mismatch:
                mismatches.append(mismatch)
        raise mismatches[0]

    def describe(self) -> str:
        inner = getattr(self.compare, "describe", None)
        return (inner() if inner else "property") + ", against any accepted formulation"


@dataclass(frozen=True)
class Close:
    """Every leaf agrees: arrays of equal shape and dtype with |got - want| <= atol + rtol*|want|
    elementwise (NaN only where NaN is expected), floats likewise, everything else exactly."""

    rtol: float
    atol: float

    def __call__(self, got: Plain, want: Plain) -> None:
        self._walk(got, want, "")

    @property
    def exact(self) -> bool:
        return self.rtol == 0 and self.atol == 0

    def describe(self) -> str:
        if self.exact:
            return "exact match"
        return f"atol {self.atol:.0e} + rtol {self.rtol:.0e}*|expected|"

    def _walk(self, got: Plain, want: Plain, where: str) -> None:
        here = where or "output"
        if type(want) is dict:
            require(type(got) is dict, f"expected a dict, got {_kind(got)}", here)
            missing = [key for key in want if key not in got]
            require(not missing, f"missing entries {missing}", here)
            for key, value in want.items():
                self._walk(got[key], value, f"{where}.{key}" if where else key)
        elif type(want) is list:
            require(type(got) is list, f"expected a list, got {_kind(got)}", here)
            require(len(got) == len(want), f"length {len(got)}, expected {len(want)}", here)
            for index, (item, expected) in enumerate(zip(got, want, strict=True)):
                self._walk(item, expected, f"{here}[{index}]")
        elif type(want) is np.ndarray:
            self._arrays(got, want, here)
        elif type(want) is float or (type(want) is int and self.atol + self.rtol > 0):
            numeric = type(got) in (int, float)
            require(numeric, f"expected a number, got {_kind(got)}", here)
            self._arrays(np.array(float(got)), np.array(float(want)), here)
        else:
            require(type(got) is type(want) and got == want, _value_hint(got, want), here)

    def _arrays(self, got: Plain, want: np.ndarray, where: str) -> None:
        require(type(got) is np.ndarray, f"expected an array, got {_kind(got)}", where)
        require(got.shape == want.shape, f"shape {got.shape}, expected {want.shape}", where)
        require(got.dtype == want.dtype, f"dtype {got.dtype}, expected {want.dtype}", where)
        if want.dtype.kind in "biu" or self.exact:
            same = got == want
            if want.dtype.kind == "f":
                same |= np.isnan(got) & np.isnan(want)
            wrong = int(np.count_nonzero(~same))
            require(wrong == 0, f"{wrong} of {want.size} elements differ (exact match required)",
                    where)
            return
        got64, want64 = got.astype(np.float64), want.astype(np.float64)
        broken = int(np.count_nonzero(~np.isfinite(got64) & np.isfinite(want64)))
        require(broken == 0, f"{broken} of {want.size} values are NaN or inf where finite values "
                             "were expected", where)
        special = ~np.isfinite(want64)  # NaN or inf expected: only the same value will do
        same = (got64 == want64) | (np.isnan(got64) & np.isnan(want64))
        wrong = int(np.count_nonzero(special & ~same))
        require(wrong == 0, f"{wrong} values differ where NaN or inf was expected", where)
        with np.errstate(invalid="ignore"):  # inf - inf where inf was expected: masked out
            error = np.where(special, 0.0, np.abs(got64 - want64))
        limit = self.atol + self.rtol * np.abs(np.where(special, 0.0, want64))
        if np.all(error <= limit):
            return
        worst = np.unravel_index(int(np.argmax(error - limit)), want.shape)
        at = f" at index {tuple(int(i) for i in worst)}" if want.ndim else ""
        raise Mismatch(f"max |error| {float(error.max()):.3g}{at} exceeds the tolerance "
                       f"({self.describe()}); {int(np.count_nonzero(error > limit))} of "
                       f"{want.size} values outside it", where)


EXACT = Close(rtol=0.0, atol=0.0)


def rate_within(count: int, n: int, p: float, alpha: float, what: str, where: str = "") -> None:
    """A Binomial(n, p) count: fail only if it falls outside the central 1 - alpha interval,
    so a correct implementation fails with probability at most alpha."""
    low, high = binomial_interval(n, p, alpha)
    require(low <= count <= high,
            f"{what}: {count} of {n} ({count / n:.4f}); with probability {p:g} a correct "
            f"implementation gives between {low} and {high} (false-failure rate "
            f"{alpha:g})", where)


def binomial_interval(n: int, p: float, alpha: float) -> tuple[int, int]:
    """The central 1 - alpha interval of Binomial(n, p), as scipy.stats.binom.interval gives it
    (the alpha/2 and 1 - alpha/2 quantiles: the smallest k whose CDF reaches each), from the
    exact probabilities (scipy.stats would cost 0.5 s of a `make check`; tests/test_compare.py
    holds the two equal)."""
    if p <= 0.0 or p >= 1.0:
        return (0, 0) if p <= 0.0 else (n, n)
    k = np.arange(n, dtype=np.float64)  # log P(k + 1) - log P(k) = log((n - k) p / ((k + 1) q))
    steps = np.log((n - k) / (k + 1)) + math.log(p) - math.log1p(-p)
    log_pmf = np.concatenate([[0.0], np.cumsum(steps)])  # up to the constant log P(0)
    pmf = np.exp(log_pmf - log_pmf.max())
    cdf = np.cumsum(pmf) / pmf.sum()
    low = int(np.searchsorted(cdf, alpha / 2 * (1 - 1e-12)))
    high = int(np.searchsorted(cdf, (1 - alpha / 2) * (1 - 1e-12)))
    return low, min(high, n)


def ks_two_sample(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """The two-sample Kolmogorov-Smirnov statistic D = max |F_x - F_y| and its two-sided p-value
    from Kolmogorov's limiting distribution with Stephens' finite-sample correction,
    Q((sqrt(n_e) + 0.12 + 0.11 / sqrt(n_e)) D), n_e = n m / (n + m): what
    scipy.stats.ks_2samp computes for samples over 10,000 (its own asymptotic form), within a
    few percent where it matters (tests/test_compare.py); scipy.stats would cost 0.5 s of a
    `make check`."""
    x, y = np.sort(np.ravel(x)), np.sort(np.ravel(y))
    both = np.concatenate([x, y])
    d = float(np.max(np.abs(np.searchsorted(x, both, side="right") / x.size
                            - np.searchsorted(y, both, side="right") / y.size)))
    root = math.sqrt(x.size * y.size / (x.size + y.size))
    lam = (root + 0.12 + 0.11 / root) * d
    if lam < 0.2:  # the series converges slowly here, and Q is 1 to 15 digits
        return d, 1.0
    terms = [(-1) ** (j - 1) * math.exp(-2 * j * j * lam * lam) for j in range(1, 101)]
    return d, min(1.0, max(0.0, 2 * sum(terms)))


def mean_within(values: np.ndarray, mean: float, std: float, alpha: float, what: str,
                where: str = "") -> None:
    """The sample mean of i.i.d. values with known mean and std: fail only outside the two-sided
    normal interval of level 1 - alpha (CLT; the sample sizes used make the approximation tight).
    The quantile is the standard library's (scipy.stats would cost 1.4 s of a `make check`)."""
    z = -statistics.NormalDist().inv_cdf(alpha / 2)  # the lower tail: exact for tiny alpha
    bound = z * std / np.sqrt(values.size)
    observed = float(np.mean(values))
    require(abs(observed - mean) <= bound,
            f"{what}: sample mean {observed:.5g} is {abs(observed - mean) / bound * z:.1f} "
            f"standard errors from {mean:.5g} (allowed {z:.1f}; false-failure rate {alpha:g})",
            where)


# Speed checks run on CUDA only, against a library op on the same input in the same run. Measured
# on an NVIDIA H200 (make gpu-check, 2026-12-04, torch 2.11, 3 runs of 3 repetitions, as graded):
# the references take 3.1-3.6 times the library (cross_entropy), 2.2-2.7 (batch_norm), 1.2-1.4
# (momentum_step), 0.75-0.88 (adam_step); a loop over rows takes 3,140-3,920 (cross_entropy) and
# 1,370-1,560 (momentum_step) times. Kept at 25: the slowest reference keeps a 6.9x margin for a
# correct formulation slower than ours (more temporaries, no fused kernel), and a loop over rows
# is still caught by a factor of 55 or more. (On CPU a row loop is only 1.5 to 23 times the
# library, each row being vectorised itself: these checks are CUDA-only for that reason.)
SPEED_FACTOR = 25


def at_most_slower(library: str, factor: float = SPEED_FACTOR):
    """A speed check: the implementation's median time on a large input is at most `factor` times
    that of `library` doing the same work, both measured in the same process, same run."""
    def compare(got: dict, want: None) -> None:
        require(got["implementation_s"] > 0 and got["library_s"] > 0,
                "the timing could not be measured", "time")
        ratio = got["implementation_s"] / got["library_s"]
        require(ratio <= factor, f"took {ratio:.0f} times as long as {library} on the same input "
                f"(at most {factor:g} times allowed): use whole-tensor operations, no Python loop "
                "over elements or rows", "time")
    return compare


def no_warnings_and(tolerance: Close):
    """A compare for probe data with a "warnings" entry (`probing.floating_point_warnings`): no
    NumPy floating-point warning during the call, then every other entry within tolerance."""
    def compare(got: dict, want: dict) -> None:
        warned = sorted(set(got["warnings"]))
        require(not warned, f"{len(got['warnings'])} NumPy warning(s) during the call: "
                            f"{'; '.join(warned)}", "warnings")
        tolerance({k: v for k, v in got.items() if k != "warnings"},
                  {k: v for k, v in want.items() if k != "warnings"})
    return compare


def _kind(value: Plain) -> str:
    if type(value) is np.ndarray:
        return f"an array of shape {value.shape}"
    return "None" if value is None else _article(type(value).__name__)


def _article(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def _value_hint(got: Plain, want: Plain) -> str:
    if type(got) is not type(want):
        expected = "None" if want is None else _article(type(want).__name__)
        return f"expected {expected}, got {_kind(got)}"
    if type(want) is bool:  # a yes/no fact (dtype kept, error raised): saying which is no leak
        return f"is {got}, expected {want}"
    if type(want) is int:  # the size of the error, as for floats; never the expected value
        return f"off by {abs(got - want)} (exact integer match required)"
    if type(want) is str:
        return "the text differs from the expected one (exact match required)"
    return f"{_kind(got)} that differs from the expected value (exact match required)"
