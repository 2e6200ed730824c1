"""Adversarial arguments to simulate_cx_programme: only ValueError/TypeError naming the
argument, and results finite (NaN only with a UserWarning)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxkit.datasets import simulate_cx_programme
from tests.adversarial import check_outcome, hostile_scalars, qualified

COVERED = qualified(simulate_cx_programme)

HOSTILE_SCALARS = hostile_scalars()  # the shared set (tests/adversarial.py)
ARGUMENTS = ("n", "n_regions", "n_branches", "start", "weeks", "rng")
SMALL = {"n": 60, "n_regions": 2, "n_branches": 4, "weeks": 2, "rng": 0}


@pytest.mark.parametrize("argument", ARGUMENTS)
@pytest.mark.parametrize("value", HOSTILE_SCALARS, ids=repr)
def test_hostile_argument_raises_named_error_or_gives_a_finite_programme(argument, value):
    """Every hostile scalar in every argument (exhaustive)."""
    kwargs = {**SMALL, argument: value}
    result = check_outcome(lambda: simulate_cx_programme(**kwargs), [f"`{argument}`"],
                           context=f"{argument}={value!r}")
    if result is not None:
        assert result.data.shape[1] == 13
        assert np.isfinite(result.truth.nps)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(2, 400), n_regions=st.integers(1, 4), extra=st.integers(0, 12),
       weeks=st.integers(2, 60), seed=st.integers(0, 2**32 - 1))
def test_any_valid_sizes_give_a_consistent_programme(n, n_regions, extra, weeks, seed):
    sim = simulate_cx_programme(n, n_regions=n_regions, n_branches=n_regions + extra,
                                weeks=weeks, rng=seed)
    assert sim.data.shape == (n, 13)
    truth = sim.truth
    assert len(truth.nps_by_branch) == n_regions + extra and len(truth.nps_by_week) == weeks
    assert -100 < truth.nps < 100 and np.isfinite(truth.trend_per_week)
    assert truth.trend_per_week > 0
    assert set(sim.data["branch"].astype(str)) <= set(truth.nps_by_branch["branch"])
    assert sim.data["ltr"].dropna().between(0, 10).all()


@pytest.mark.parametrize(("argument", "value"), [
    ("n", 2_000_001), ("n", 10**20), ("weeks", 10**6), ("n_branches", 10**9),
])
def test_sizes_beyond_sense_are_refused_before_any_work(argument, value):
    with pytest.raises(ValueError, match=f"`{argument}` must be at most"):
        simulate_cx_programme(**{**SMALL, argument: value})


def test_one_week_has_no_trend_and_says_so():
    with pytest.warns(UserWarning, match="one week has no trend"):
        sim = simulate_cx_programme(**{**SMALL, "weeks": 1})
    assert math.isnan(sim.truth.trend_per_week)
    assert len(sim.truth.nps_by_week) == 1 and np.isfinite(sim.truth.nps)


def test_smallest_programme_is_valid():
    with pytest.warns(UserWarning, match="one week"):
        sim = simulate_cx_programme(2, n_regions=1, n_branches=1, weeks=1, rng=0)
    assert sim.data.shape == (2, 13)
    assert sim.data["branch"].cat.categories.tolist() == ["NA-01"]
    assert sim.truth.nps_by_branch["share"].tolist() == [1.0]


def test_numpy_timedelta_is_not_taken_for_a_number():
    """numpy registers timedelta64 as an integer type; the shared checks refuse it by name."""
    from cxkit._validation import check_positive_int, check_real, check_rng

    delta = np.timedelta64(3, "D")
    with pytest.raises(TypeError, match="`n_resamples` must be an integer >= 1; got numpy"):
        check_positive_int(delta, "n_resamples")
    with pytest.raises(TypeError, match="`margin` must be a real number; got numpy"):
        check_real(delta, "margin")
    with pytest.raises(TypeError, match="`rng` must be None, an int seed"):
        check_rng(delta)
