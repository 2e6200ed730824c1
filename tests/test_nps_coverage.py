"""Exact coverage of the NPS intervals, by enumerating every possible sample.

``nps_coverage(n, promoters=, detractors=)`` sums the multinomial probabilities of all
(n + 1)(n + 2)/2 samples whose interval contains the true NPS. The default method
(Tango's score interval) must keep a coverage of at least 0.94 at the nominal 95 % on
the grid n ∈ {10, 30, 100} × four share scenarios; the enumeration itself is checked
against a brute-force loop over scipy.stats.multinomial.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy import stats

from cxkit.nps import NPS_METHODS, nps_coverage, nps_interval

SIZES = (10, 30, 100)
SHARES = ((0.5, 0.2), (0.8, 0.05), (0.3, 0.3), (0.95, 0.01))  # (promoters, detractors)


@pytest.mark.parametrize(("n", "shares"), list(itertools.product(SIZES, SHARES)))
def test_default_method_keeps_coverage_above_094(n, shares):
    promoters, detractors = shares
    coverage = nps_coverage(n, promoters=promoters, detractors=detractors)
    assert coverage == nps_coverage(n, promoters=promoters, detractors=detractors,
                                    method="tango")
    assert coverage >= 0.94, f"Tango coverage {coverage:.4f} at n={n}, shares={shares}"


def brute_force_coverage(n, promoters, detractors, method, **options):
    """One nps_interval call and one scipy pmf per sample: slow but independent."""
    dist = stats.multinomial(n, [detractors, 1 - promoters - detractors, promoters])
    truth = 100 * (promoters - detractors)
    total = 0.0
    for d in range(n + 1):
        for p in range(n + 1 - d):
            lo, hi = nps_interval(d, n - d - p, p, method=method, **options)
            if lo - 1e-9 <= truth <= hi + 1e-9:
                total += dist.pmf([d, n - d - p, p])
    return total


@pytest.mark.parametrize("method", [m for m in NPS_METHODS if m != "bootstrap"])
def test_enumeration_matches_brute_force(method):
    for n, (p, d) in ((7, (0.5, 0.2)), (5, (0.95, 0.01))):
        assert nps_coverage(n, promoters=p, detractors=d, method=method) == pytest.approx(
            brute_force_coverage(n, p, d, method), abs=1e-12)


def test_known_failure_of_wald_is_visible():
    # few detractors and nearly all promoters: the Wald interval collapses at n = 10
    assert nps_coverage(10, promoters=0.95, detractors=0.01, method="wald") < 0.5
    # every sample all passives: every interval contains 0
    assert nps_coverage(8, promoters=0, detractors=0, method="wald") == pytest.approx(1)


def test_coverage_depends_on_the_level_and_options():
    low = nps_coverage(30, promoters=0.5, detractors=0.2, confidence_level=0.8)
    high = nps_coverage(30, promoters=0.5, detractors=0.2, confidence_level=0.99)
    assert 0.75 < low < 0.85 and 0.985 < high <= 1
    jeffreys = nps_coverage(10, promoters=0.8, detractors=0.05, method="bayes")
    uniform = nps_coverage(10, promoters=0.8, detractors=0.05, method="bayes",
                           prior=(1, 1, 1))
    assert jeffreys != uniform


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"method": "bootstrap"}, "random given the sample"),
    ({"promoters": 0.8, "detractors": 0.3}, "add up to 1.1"),
    ({"n": 0}, "`n` must be an integer >= 1"),
    ({"n": 10**5}, "at most 5000"),
    ({"method": "exact"}, "`method` must be one of"),
    ({"n_boot": 3}, "unknown option"),
])
def test_bad_input(kwargs, match):
    args = {"n": 10, "promoters": 0.5, "detractors": 0.2, **kwargs}
    with pytest.raises((ValueError, TypeError), match=match):
        nps_coverage(**args)


def test_coverage_is_a_probability_for_every_method():
    for method in ("wald", "adjusted-wald", "bonett-price", "agresti-min", "tango"):
        values = [nps_coverage(n, promoters=p, detractors=d, method=method)
                  for n in (1, 2, 15) for p, d in SHARES + ((1.0, 0.0), (0.0, 1.0))]
        assert np.all((np.array(values) >= 0) & (np.array(values) <= 1 + 1e-12))
