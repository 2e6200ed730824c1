"""The revenue Monte Carlo's fast paths: inverse-CDF truncated normals, quantiles from one
sort, the Shapley split collected by path, the range check from the minimum and maximum."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from cxkit._montecarlo import (
    sorted_median,
    sorted_quantiles,
    truncnorm_draws,
    truncnorm_parameters,
)
from cxkit.revenue import (
    _BOUNDS,
    INPUTS,
    _inside,
    _outside,
    _paths,
    _shapley,
    _totals,
    cx_revenue_scenario,
)

INF = math.inf
# standardized bounds: central, one-sided, both far in one tail (the log-space branch
# below about -37), narrow, reflected (a + b > 0), the whole line
BOUNDS = [(-2.0, 3.0), (0.0, INF), (-INF, 0.5), (8.0, 9.0), (-INF, -30.0), (30.0, INF),
          (-40.0, -39.5), (-60.0, -50.0), (50.0, 60.0), (-0.3, -0.2999), (1.0, 1.001),
          (-INF, INF), (-1.0, 12.0), (-12.0, 1.0)]


@pytest.mark.parametrize(("a", "b"), BOUNDS)
def test_truncnorm_draws_are_the_inverse_cdf_of_uniforms(a, b):
    # exact method: F(x) of each draw is its uniform V = 1 − U (scipy's cdf, computed in
    # log space, is the reference); the draws stay within the bounds
    n, loc, scale = 20_000, 3.0, 2.0
    x = truncnorm_draws(a, b, loc, scale, n, np.random.default_rng(5))
    v = 1.0 - np.random.default_rng(5).random(n)
    dist = stats.truncnorm(a, b, loc=loc, scale=scale)
    f = dist.sf(x) if a + b > 0 else dist.cdf(x)  # a reflected interval runs downwards
    assert np.max(np.abs(f - v)) < 1e-7
    assert x.min() >= loc + a * scale and x.max() <= loc + b * scale
    assert np.isfinite(x).all()


@pytest.mark.parametrize(("seed", "a", "b"), [(i, a, b) for i, (a, b) in enumerate(BOUNDS)])
def test_truncnorm_draws_follow_the_truncated_normal(seed, a, b):
    # KS test against scipy's cdf, and the first two moments against the analytical
    # truncated-normal moments (scipy.stats.truncnorm.stats), within 5 standard errors
    n, loc, scale = 200_000, -1.0, 0.5
    x = truncnorm_draws(a, b, loc, scale, n, np.random.default_rng(100 + seed))
    dist = stats.truncnorm(a, b, loc=loc, scale=scale)
    assert stats.kstest(x, dist.cdf).pvalue > 1e-3
    mean, var = (float(m) for m in dist.stats("mv"))
    centred = x - x.mean()
    m4 = float(np.mean(centred ** 4))
    assert abs(x.mean() - mean) < 5 * math.sqrt(var / n)
    assert abs(x.var() - var) < 5 * math.sqrt(max(m4 - var ** 2, 0.0) / n)


def test_truncnorm_draws_are_reproducible_and_seed_dependent():
    one = truncnorm_draws(-1.0, 2.0, 0.0, 1.0, 1000, np.random.default_rng(1))
    again = truncnorm_draws(-1.0, 2.0, 0.0, 1.0, 1000, np.random.default_rng(1))
    other = truncnorm_draws(-1.0, 2.0, 0.0, 1.0, 1000, np.random.default_rng(2))
    assert np.array_equal(one, again) and not np.array_equal(one, other)


def test_truncnorm_parameters_are_read_only_from_scalar_frozen_truncnorms():
    assert truncnorm_parameters(stats.truncnorm(-1, 2, loc=5, scale=3)) == (-1, 2, 5, 3)
    assert truncnorm_parameters(stats.truncnorm(-1, 2, 5, 3)) == (-1, 2, 5, 3)
    assert truncnorm_parameters(stats.truncnorm(a=-1, b=2)) == (-1, 2, 0, 1)
    # anything else is drawn by its own rvs
    for other in [stats.norm(0, 1), stats.uniform(0, 1), stats.beta(2, 3), 0.5,
                  stats.truncnorm([-1, 0], 2), stats.truncnorm(2, 1), stats.truncnorm(0, 1, 0, -1)]:
        assert truncnorm_parameters(other) is None


def test_scenario_draws_truncnorm_inputs_by_inverse_cdf_reproducibly():
    lift = stats.truncnorm(-3, 3, loc=0.05, scale=0.01)
    kw = dict(customers=1000, revenue_per_customer=1000, retention=0.8, retention_lift=lift,
              n_draws=4000)
    a, b = cx_revenue_scenario(**kw, rng=3), cx_revenue_scenario(**kw, rng=3)
    assert np.array_equal(a.draws["retention_lift"], b.draws["retention_lift"])
    assert tuple(a.interval) == tuple(b.interval)
    expected = truncnorm_draws(-3, 3, 0.05, 0.01, 4000, np.random.default_rng(3))
    assert np.array_equal(a.draws["retention_lift"].to_numpy(), expected)
    assert not np.array_equal(cx_revenue_scenario(**kw, rng=4).draws["retention_lift"],
                              expected)


@settings(max_examples=80, deadline=None)
@given(values=st.lists(st.floats(-1e12, 1e12), min_size=1, max_size=60),
       ties=st.booleans(), level=st.floats(0.0, 1.0))
def test_property_quantiles_from_one_sort_equal_numpy(values, ties, level):
    x = np.round(np.array(values), -11) if ties else np.array(values)
    q = [(1 - level) / 2, (1 + level) / 2, 0.0, 1.0, 0.5, level]
    s = np.sort(x)
    # identical values (0.0 and -0.0 compare equal: sort and partition may order them
    # differently, so the sign of a zero quantile may differ)
    assert np.array_equal(sorted_quantiles(s, q), np.quantile(x, q))
    assert sorted_median(s) == float(np.median(x))
    distinct = np.unique(np.abs(x))  # no signed zeros, no ties: the same bits
    s = np.sort(distinct)
    assert sorted_quantiles(s, q).tobytes() == np.quantile(distinct, q).tobytes()


def test_quantiles_from_one_sort_on_monte_carlo_draws():
    x = np.random.default_rng(0).lognormal(10, 2, 100_001)
    for n in (100_000, 100_001):
        s = np.sort(x[:n])
        q = (0.05, 0.95, 0.025, 0.975, 0.5)
        assert sorted_quantiles(s, q).tobytes() == np.quantile(x[:n], q).tobytes()
        assert sorted_median(s) == float(np.median(x[:n]))


# Every subset of levers (retention, enrichment, advocacy) switched on.
SUBSETS = tuple((bool(s & 1), bool(s & 2), bool(s & 4)) for s in range(8))


def subset_values(v, horizon, per_year):
    """Discounted impact with each subset of levers on, from the model's paths."""
    paths, m, _, scale = _paths(v, horizon, per_year)
    base = paths[(False, False)]
    return {s: scale * ((m * paths[(s[0], s[2])] if s[1] else paths[(s[0], s[2])]) - base)
            for s in SUBSETS}


def straightforward_shapley(v, horizon, per_year):
    """The Shapley value over the 8 subset values, lever by lever, as first written."""
    weights = {0: 1 / 3, 1: 1 / 6, 2: 1 / 3}
    value = subset_values(v, horizon, per_year)
    full = value[SUBSETS[7]]
    contrib = np.zeros((3,) + full.shape)
    for j in range(3):
        for s in SUBSETS:
            if not s[j]:
                with_j = tuple(True if i == j else s[i] for i in range(3))
                contrib[j] += weights[sum(s)] * (value[with_j] - value[s])
    return contrib, full, value


lift = st.floats(-0.3, 0.3) | st.just(0.0)


@settings(max_examples=60, deadline=None)
@given(draws=st.lists(st.tuples(st.floats(1, 1e7), st.floats(1, 1e4), st.floats(0.3, 0.95),
                                lift, lift, st.floats(0, 2), lift, st.floats(0, 5),
                                st.floats(0, 1), st.floats(0, 1), st.floats(0, 0.3)),
                      min_size=1, max_size=8),
       horizon=st.integers(1, 8))
def test_property_shapley_by_path_equals_the_subset_sum(draws, horizon):
    columns = list(zip(*draws, strict=True))
    v = {k: np.array(col, dtype=float) for k, col in zip(INPUTS, columns, strict=True)}
    for per_year in (False, True):
        contrib, full = _shapley(v, horizon, per_year)
        ref, ref_full, _ = straightforward_shapley(v, horizon, per_year)
        assert np.array_equal(full, ref_full)  # the total is v(all levers), bit for bit
        # both carry rounding of the size of the revenues the subset values subtract
        paths, m, _, scale = _paths(v, horizon, per_year)
        size = scale * np.maximum(m, 1.0) * np.max([p for p in paths.values()], axis=0)
        assert np.all(np.abs(contrib - ref) <= 1e-12 * size)
        # a lever with no effect contributes exactly zero
        kappa = v["intent_to_behaviour"]
        off = [kappa * v["retention_lift"] == 0,
               kappa * v["buy_more_lift"] * v["spend_uplift"] == 0,
               kappa * v["recommend_lift"] * v["referrals_per_recommender"]
               * v["referral_conversion"] == 0]
        for j in range(3):
            mask = off[j][:, None] if per_year else off[j]
            assert np.all(np.where(mask, contrib[j], 0.0) == 0.0)
    assert np.array_equal(_totals(v, horizon), straightforward_shapley(v, horizon, False)[1])


@settings(max_examples=60, deadline=None)
@given(name=st.sampled_from(INPUTS),
       values=st.lists(st.floats(-2, 2) | st.sampled_from([-1.0, 0.0, 1.0, INF, -INF, math.nan]),
                       min_size=1, max_size=20))
def test_property_range_check_from_min_and_max_equals_the_elementwise_check(name, values):
    x = np.array(values)
    assert _inside(name, x) == (not _outside(name, x).any())
    assert name in _BOUNDS
