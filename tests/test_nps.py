"""cxkit.nps: reference values, input forms, methods, comparisons, sample sizes, errors.

Reference values
----------------
* R package NPS (``nps.se``): counts (362, 176, 462) → NPS 10, SE 2.853068524 points.
* Apples (83, 47, 120) vs Oranges (91, 49, 110), the worked comparison of two NPS
  (MeasuringU / Rocks 2016): Wald and adjusted-Wald difference, interval and p-value to
  8–10 digits.
* Fagerland, Lydersen & Laake (2017), *Statistical Analysis of Contingency Tables*,
  ch. 8: the paired 2×2 table with discordant cells 6 and 16 out of 161, read as
  (detractors, passives, promoters) = (16, 139, 6). Its Wald, Bonett–Price,
  Agresti–Min and Tango intervals are given in points to 4 decimals, so we require
  |ours − printed| ≤ 5e-5 points: half a unit in the last printed digit, i.e. our value
  rounds to the printed one.

Where a source gives more digits the tolerance is 1e-6 points.
"""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy import stats

import cxkit
from cxkit._results import ConfidenceInterval
from cxkit.nps import (
    CATEGORIES,
    NPS_METHODS,
    NPSComparison,
    NPSResult,
    _compare_independent,
    classify_nps,
    compare_nps,
    nps,
    nps_interval,
    nps_sample_size,
    nps_sample_size_difference,
)

PRINTED_4DP = 5e-5 + 1e-12  # half a unit in the 4th decimal (points)
DETERMINISTIC = [m for m in NPS_METHODS if m != "bootstrap"]
WALD_TYPE = ("wald", "adjusted-wald", "bonett-price", "agresti-min")


# --------------------------------------------------------------------------------------
# Reference values
# --------------------------------------------------------------------------------------


def test_r_nps_package_standard_error():
    res = nps(counts=(362, 176, 462), method="wald")
    assert res.estimate == pytest.approx(10.0, abs=1e-9)
    assert res.se == pytest.approx(2.853068524, abs=1e-6)
    z = stats.norm.ppf(0.975)
    assert tuple(res.ci) == pytest.approx((10 - z * res.se, 10 + z * res.se), abs=1e-9)


def test_apples_oranges_wald():
    res = compare_nps((83, 47, 120), (91, 49, 110), method="wald")
    assert res.difference == pytest.approx(7.2, abs=1e-6)
    assert res.ci.low == pytest.approx(-8.42237610, abs=1e-6)
    assert res.ci.high == pytest.approx(22.82237610, abs=1e-6)
    assert res.p_value == pytest.approx(0.3663650541, abs=1e-6)
    assert (res.estimate_a, res.estimate_b) == pytest.approx((14.8, 7.6))
    assert (res.n_a, res.n_b, res.paired) == (250, 250, False)


def test_apples_oranges_adjusted_wald():
    res = compare_nps((83, 47, 120), (91, 49, 110))  # adjusted-Wald is the default
    assert res.method == "adjusted-wald"
    assert res.difference == pytest.approx(7.11462451, abs=1e-6)
    assert res.ci.low == pytest.approx(-8.38230018, abs=1e-6)
    assert res.ci.high == pytest.approx(22.61154919, abs=1e-6)
    assert res.p_value == pytest.approx(0.3682172504, abs=1e-6)
    assert any("adjusted NPS" in note for note in res.notes)


@pytest.mark.parametrize(("method", "low", "high"), [
    ("wald", -11.8400, -0.5824),
    ("bonett-price", -11.9499, -0.3201),
    ("agresti-min", -11.8242, -0.4457),
    ("tango", -12.4023, -0.5433),
])
def test_fagerland_paired_table(method, low, high):
    lo, hi = nps_interval(16, 139, 6, method=method)
    assert abs(float(lo) - low) <= PRINTED_4DP
    assert abs(float(hi) - high) <= PRINTED_4DP


def test_tango_all_promoters_of_three():
    lo, hi = nps_interval(0, 0, 3, method="tango")
    assert float(lo) == pytest.approx(-12.3, abs=0.05)
    assert float(hi) == 100.0


def test_tango_solves_its_score_equation():
    from cxkit.nps import _tango_statistic

    z = stats.norm.ppf(0.975)
    lo, hi = nps_interval(16, 139, 6)
    assert _tango_statistic(lo / 100, 6, 16, 161) == pytest.approx(z, abs=1e-9)
    assert _tango_statistic(hi / 100, 6, 16, 161) == pytest.approx(-z, abs=1e-9)


def test_bundled_bank_loy3_matches_data_card():
    res = nps(data=cxkit.load_dataset("bank_satisfaction"), column="loy3")
    # data card: 0:14 1:3 2:4 3:11 4:8 5:25 6:21 7:44 8:55 9:25 10:40
    assert res.score_counts.tolist() == [14, 3, 4, 11, 8, 25, 21, 44, 55, 25, 40]
    assert res.counts == {"detractors": 86, "passives": 99, "promoters": 65}
    assert res.estimate == pytest.approx(-8.4)


# --------------------------------------------------------------------------------------
# Input forms and the result object
# --------------------------------------------------------------------------------------


SCORES = [10, 9, 9, 8, 7, 6, 0, 3, np.nan, 10, 5, None]


@pytest.mark.parametrize("form", ["list", "array", "series", "int64", "frame"])
def test_input_forms_agree(form):
    values = {"list": SCORES,
              "array": np.array(SCORES, dtype=float),
              "series": pd.Series(SCORES, dtype=float, name="ltr"),
              "int64": pd.Series(SCORES, dtype="Int64"),
              "frame": None}[form]
    if form == "frame":
        res = nps(data=pd.DataFrame({"ltr": SCORES}), column="ltr")
    else:
        res = nps(values)
    assert res.counts == {"detractors": 4, "passives": 2, "promoters": 4}
    assert (res.n, res.n_missing) == (10, 2)
    assert res.estimate == pytest.approx(0.0, abs=1e-12)
    assert res.notes == ("2 missing scores excluded",)
    assert list(res.score_counts.index) == list(range(11))
    assert res.score_counts.tolist() == [1, 0, 0, 1, 0, 1, 1, 1, 1, 2, 2]
    same = nps(counts=(4, 2, 4))
    assert tuple(res.ci) == tuple(same.ci)
    assert same.score_counts is None and same.n_missing == 0


@pytest.mark.parametrize("counts", [(4, 2, 4), [4, 2, 4],
                                    {"promoters": 4, "detractors": 4, "passives": 2},
                                    pd.Series({"detractors": 4, "passives": 2,
                                               "promoters": 4})])
def test_counts_forms(counts):
    res = nps(counts=counts)
    assert tuple(res.counts.values()) == (4, 2, 4)
    assert list(res.counts) == list(CATEGORIES)
    assert res.proportions == {"detractors": 0.4, "passives": 0.2, "promoters": 0.4}


def test_custom_thresholds_and_scale():
    scores = [1, 2, 5, 6, 7, 8, 9, 10]
    res = nps(scores, scale=(1, 10), promoter_min=8, detractor_max=5)
    assert res.counts == {"detractors": 3, "passives": 2, "promoters": 3}
    assert res.scale == (1, 10) and (res.promoter_min, res.detractor_max) == (8, 5)
    assert list(res.score_counts.index) == list(range(1, 11))
    cat = classify_nps(scores, scale=(1, 10), promoter_min=8, detractor_max=5)
    assert cat.tolist() == ["detractor"] * 3 + ["passive"] * 2 + ["promoter"] * 3


def test_classify_nps():
    cat = classify_nps(pd.Series([0, 6, 7, 8, 9, 10, None], dtype="Int64"))
    assert isinstance(cat, pd.Categorical) and cat.ordered
    assert list(cat.categories) == ["detractor", "passive", "promoter"]
    assert cat.tolist()[:6] == ["detractor", "detractor", "passive", "passive", "promoter",
                                "promoter"]
    assert pd.isna(cat[6])
    assert cat.min() == "detractor"


def test_result_object():
    res = nps(counts=(362, 176, 462))
    assert isinstance(res, NPSResult)
    assert isinstance(res.ci, ConfidenceInterval) and res.ci.method == "tango"
    text = repr(res)
    assert text.startswith("Net Promoter Score") and "(95% tango)" in text
    row = res.to_frame()
    assert {"estimate", "ci_low", "ci_high", "se", "n", "n_missing", "method"} <= set(row)
    assert "_options" not in res.to_dict()
    assert "<div" in res._repr_html_()


@pytest.mark.parametrize("method", NPS_METHODS)
def test_confidence_interval_recomputes_from_counts(method):
    base = nps(SCORES, rng=3)
    direct = nps(SCORES, method=method, confidence_level=0.9, rng=3, n_resamples=999)
    again = base.confidence_interval(method, confidence_level=0.9, rng=3, n_resamples=999)
    assert again == direct.ci
    assert again.method == method and again.confidence_level == 0.9


def test_confidence_interval_keeps_the_results_options():
    res = nps(counts=(30, 40, 50), method="bootstrap", rng=7, n_resamples=500)
    assert res.confidence_interval() == res.ci  # same int seed → same draws
    bayes = nps(counts=(30, 40, 50), method="bayes", prior=(1, 1, 1))
    assert bayes.confidence_interval() == bayes.ci
    assert bayes.confidence_interval(prior=(0.5, 0.5, 0.5)) != bayes.ci
    with pytest.raises(TypeError, match="n_boot"):
        res.confidence_interval(n_boot=10)


# --------------------------------------------------------------------------------------
# Methods: bounds, clipping, edge cases
# --------------------------------------------------------------------------------------


def test_wald_type_intervals_clip_and_say_so():
    for method in WALD_TYPE:
        res = nps(counts=(1, 0, 4), method=method)
        assert -100 <= res.ci.low <= res.ci.high <= 100
    res = nps(counts=(1, 0, 4), method="wald")
    assert res.ci.high == 100.0 and "clipped to [-100, 100]" in res.ci.note
    assert any("clipped" in n for n in res._notes())
    unclipped = nps(counts=(362, 176, 462), method="wald")
    assert unclipped.ci.note is None


@pytest.mark.parametrize("method", NPS_METHODS)
@pytest.mark.parametrize("counts", [(0, 0, 7), (7, 0, 0), (0, 7, 0), (0, 0, 1), (1, 0, 0),
                                    (0, 1, 0), (10**9, 2 * 10**9, 3 * 10**9)])
def test_edge_cases_give_valid_intervals(method, counts):
    lo, hi = nps_interval(*counts, method=method, rng=0, n_resamples=500)
    assert np.isfinite(lo) and np.isfinite(hi)
    assert -100 <= lo <= hi <= 100


def test_plain_wald_degenerates_with_a_note():
    res = nps(counts=(0, 0, 5), method="wald")
    assert tuple(res.ci) == (100.0, 100.0)
    assert any("zero width" in n for n in res.notes)


def test_documented_exclusions_of_the_estimate():
    # the equal-tailed Bayes interval never reaches ±100
    lo, hi = nps_interval(0, 0, 12, method="bayes")
    assert hi < 100
    lo, hi = nps_interval(12, 0, 0, method="bayes")
    assert lo > -100
    # adjusted-Wald is centred on a shrunken estimate: one promoter is excluded at 95 %
    lo, hi = nps_interval(0, 0, 1, method="adjusted-wald")
    assert hi < 100
    lo, hi = nps_interval(0, 0, 2, method="adjusted-wald")
    assert hi == 100


def test_vectorised_shapes():
    d = np.array([[16, 0], [1, 362]])
    lo, hi = nps_interval(d, 139, 6)
    assert lo.shape == hi.shape == (2, 2)
    lo0, hi0 = nps_interval(16, 139, 6)
    assert lo0.shape == () and float(lo[0, 0]) == float(lo0)


def test_bootstrap_reproducible_and_sensible():
    counts = (362, 176, 462)
    a = nps_interval(*counts, method="bootstrap", rng=12)
    b = nps_interval(*counts, method="bootstrap", rng=np.random.default_rng(12))
    assert a == b
    wald = nps_interval(*counts, method="wald")
    for kind in ("bca", "percentile"):
        lo, hi = nps_interval(*counts, method="bootstrap", bootstrap=kind, rng=1)
        assert lo < 10 < hi
        assert lo == pytest.approx(float(wald[0]), abs=0.5)
        assert hi == pytest.approx(float(wald[1]), abs=0.5)
    # a skewed case: BCa corrects the percentile interval towards the skew
    bca = nps_interval(1, 3, 36, method="bootstrap", rng=2)
    pct = nps_interval(1, 3, 36, method="bootstrap", bootstrap="percentile", rng=2)
    assert bca != pct
    for lo, hi in (bca, pct):
        assert lo < 87.5 <= hi <= 100


def test_bootstrap_draws_do_not_scale_with_n():
    # 10¹² responses resample as fast as 10³ (no timing here: see benchmarks/)
    lo, hi = nps_interval(3e11, 3e11, 4e11, method="bootstrap", rng=0, n_resamples=200)
    assert 9.99 < lo < 10 < hi < 10.01


def test_bca_acceleration_from_counts_matches_the_jackknife_of_raw_scores():
    from cxkit.nps import _bca_levels

    d, m, p = 3.0, 5.0, 12.0
    raw = np.repeat([-1.0, 0.0, 1.0], [3, 5, 12])
    loo = np.array([np.delete(raw, i).mean() for i in range(raw.size)])
    u = loo.mean() - loo
    accel = (u ** 3).sum() / (6 * ((u ** 2).sum()) ** 1.5)
    stats_ = np.array([[0.45], [0.45]])  # ties at the estimate: z0 = 0
    levels = _bca_levels(np.array([d]), np.array([m]), np.array([p]), np.array([20.0]),
                         np.array([0.45]), 0.05, stats_)
    z = stats.norm.ppf(0.975)
    expected = stats.norm.cdf(z / (1 - accel * z))
    assert levels[0, 1] == pytest.approx(expected, abs=1e-12)


# --------------------------------------------------------------------------------------
# Bayes: quadrature against Monte Carlo
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("counts", [(362, 176, 462), (16, 139, 6), (0, 0, 3)])
def test_bayes_quadrature_agrees_with_monte_carlo(counts):
    from cxkit.nps import _bayes_cdf, _bayes_support

    rng = np.random.default_rng(20240601)
    draws = rng.dirichlet(np.add(counts, 0.5), size=10**6)
    delta = draws[:, 2] - draws[:, 0]
    lo, hi = nps_interval(*counts, method="bayes")
    a = [np.array([v]) for v in np.add(counts, 0.5)]
    args = [*a, *_bayes_support(*a)]
    for bound, level in ((float(lo), 0.025), (float(hi), 0.975)):
        mc = 100 * np.quantile(delta, level)
        # Monte-Carlo SE of a quantile: sqrt(p(1-p)/N) / density, density from the CDF
        h = 1e-4
        dens = (_bayes_cdf(np.array([bound / 100 + h]), *args)
                - _bayes_cdf(np.array([bound / 100 - h]), *args))[0] / (2 * h)
        se = 100 * math.sqrt(level * (1 - level) / delta.size) / dens
        assert abs(bound - mc) <= max(4 * se, 1e-2)
    # and the CDF itself, within 4 binomial SE of the empirical CDF
    for t in np.quantile(delta, [0.01, 0.2, 0.5, 0.8, 0.99]):
        exact = _bayes_cdf(np.array([t]), *args)[0]
        empirical = (delta <= t).mean()
        assert abs(exact - empirical) <= 4 * math.sqrt(0.25 / delta.size)


def test_bayes_cdf_limits():
    from cxkit.nps import _bayes_cdf, _bayes_support

    a = [np.array([v]) for v in (3.5, 2.5, 6.5)]
    a = [*a, *_bayes_support(*a)]
    values = _bayes_cdf(np.array([-1.0, -0.5, 0.0, 0.5, 1.0]), *a)
    assert values[0] == pytest.approx(0, abs=1e-12) and values[-1] == pytest.approx(1)
    assert np.all(np.diff(values) > 0)
    # at 0: P(θP ≤ θD) = P(R ≤ 1/2), R ~ Beta(aP, aD)
    assert values[2] == pytest.approx(stats.beta.cdf(0.5, 6.5, 3.5), abs=1e-10)


# --------------------------------------------------------------------------------------
# compare_nps
# --------------------------------------------------------------------------------------


def test_compare_accepts_scores_counts_and_results():
    a_scores = [10] * 12 + [8] * 5 + [3] * 4 + [np.nan]
    b_scores = [9] * 7 + [7] * 8 + [2] * 9
    ref = compare_nps((4, 5, 12), (9, 8, 7), method="wald")
    for a, b in [(a_scores, b_scores), (nps(a_scores), nps(b_scores)),
                 ({"detractors": 4, "passives": 5, "promoters": 12}, pd.Series(b_scores))]:
        res = compare_nps(a, b, method="wald")
        assert isinstance(res, NPSComparison)
        assert (res.difference, res.ci.low, res.ci.high, res.p_value) == pytest.approx(
            (ref.difference, ref.ci.low, ref.ci.high, ref.p_value), abs=1e-12)
    assert compare_nps(a_scores, b_scores).n_missing == 1


def test_compare_wald_by_hand():
    res = compare_nps((4, 5, 12), (9, 8, 7), method="wald", confidence_level=0.9)
    pa, da, pb, db = 12 / 21, 4 / 21, 7 / 24, 9 / 24
    diff = (pa - da) - (pb - db)
    se = math.sqrt((pa + da - (pa - da) ** 2) / 21 + (pb + db - (pb - db) ** 2) / 24)
    z = stats.norm.ppf(0.95)
    assert res.difference == pytest.approx(100 * diff)
    assert res.se == pytest.approx(100 * se)
    assert tuple(res.ci) == pytest.approx((100 * (diff - z * se), 100 * (diff + z * se)))
    assert res.z == pytest.approx(diff / se)
    assert res.p_value == pytest.approx(2 * stats.norm.sf(abs(diff / se)))


def test_compare_independent_is_vectorised():
    a = np.array([[83, 47, 120], [4, 5, 12], [0, 0, 3]])
    b = np.array([[91, 49, 110], [9, 8, 7], [0, 0, 5]])
    for method in ("wald", "adjusted-wald"):
        out = _compare_independent(a, b, method, 0.95)
        assert all(v.shape == (3,) for v in out)
        for i in range(3):
            ref = compare_nps(tuple(a[i]), tuple(b[i]), method=method)
            assert (out[0][i], out[1][i], out[2][i], out[3][i], out[5][i]) == pytest.approx(
                (ref.difference, ref.ci.low, ref.ci.high, ref.se, ref.p_value), abs=1e-12)


def test_compare_degenerate_standard_error():
    res = compare_nps((0, 0, 5), (0, 0, 9), method="wald")
    assert (res.difference, res.se, res.z, res.p_value) == (0, 0, 0, 1)
    with pytest.warns(UserWarning, match="z and p are undefined"):
        res = compare_nps((0, 0, 5), (9, 0, 0), method="wald")
    assert math.isnan(res.p_value) and math.isnan(res.z)
    assert res.ci.high <= 200 and any("standard error is 0" in n for n in res.notes)


def test_compare_paired_by_hand():
    rng = np.random.default_rng(5)
    a = rng.integers(0, 11, 200).astype(float)
    b = np.clip(a + rng.integers(-3, 3, 200), 0, 10)
    a[[3, 50]] = np.nan
    b[[50, 70, 71]] = np.nan
    res = compare_nps(a, b, paired=True, confidence_level=0.9)
    keep = ~np.isnan(a) & ~np.isnan(b)

    def score(x):
        return np.select([x <= 6, x >= 9], [-1.0, 1.0], 0.0)

    x = score(a[keep]) - score(b[keep])
    se = x.std(ddof=1) / math.sqrt(x.size)
    z = stats.norm.ppf(0.95)
    assert (res.n_a, res.n_b, res.n_missing, res.paired) == (196, 196, 4, True)
    assert res.method == "paired-wald" and res.ci.method == "paired-wald"
    assert res.difference == pytest.approx(100 * x.mean())
    assert res.difference == pytest.approx(res.estimate_a - res.estimate_b)
    assert res.estimate_a == pytest.approx(nps(a[keep]).estimate)
    assert res.se == pytest.approx(100 * se)
    assert tuple(res.ci) == pytest.approx((100 * (x.mean() - z * se),
                                           100 * (x.mean() + z * se)))
    assert res.p_value == pytest.approx(2 * stats.norm.sf(abs(x.mean() / se)))
    assert any("4 pairs with a missing score dropped" in n for n in res.notes)


def test_compare_paired_small_example():
    res = compare_nps([10, 9, 5, 7, 10], [8, 9, 2, 7, 6], paired=True, method="wald")
    assert res.difference == pytest.approx(60.0)
    same = compare_nps([9, 9, 3], [9, 9, 3], paired=True)
    assert (same.difference, same.se, same.p_value) == (0, 0, 1)


# --------------------------------------------------------------------------------------
# Sample sizes
# --------------------------------------------------------------------------------------


def test_sample_size_worst_case_and_shares():
    assert nps_sample_size(5) == 1537  # 1.959964² / 0.05² = 1536.6
    assert nps_sample_size(5, confidence_level=0.9) == math.ceil(
        stats.norm.ppf(0.95) ** 2 / 0.05 ** 2)
    p, d = 0.45, 0.2
    n = nps_sample_size(3, promoters=p, detractors=d)
    var = p + d - (p - d) ** 2
    half = 100 * stats.norm.ppf(0.975) * math.sqrt(var / n)
    half_smaller = 100 * stats.norm.ppf(0.975) * math.sqrt(var / (n - 1))
    assert half <= 3 < half_smaller
    assert nps_sample_size(5, promoters=1, detractors=0) == 1  # no variance at all


def test_sample_size_difference_formula_and_power():
    a, b = (0.45, 0.2), (0.4, 0.25)
    n = nps_sample_size_difference(10, a=a, b=b)
    var = sum(p + d - (p - d) ** 2 for p, d in (a, b))
    z = stats.norm.ppf(0.975) + stats.norm.ppf(0.8)
    assert n == math.ceil(z ** 2 * var / 0.1 ** 2) == 954
    assert nps_sample_size_difference(-10, a={"promoters": 0.45, "detractors": 0.2},
                                      b=b) == n
    # the normal-approximation power at n reaches 0.8, at n − 1 it does not
    for size, reached in ((n, True), (n - 1, False)):
        se = math.sqrt(var / size)
        power = stats.norm.sf(stats.norm.ppf(0.975) - 0.1 / se)
        assert bool(power >= 0.8) is reached


# --------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------


BAD_NPS = [
    ({"scores": [1, 11, 12, -1]}, ValueError,
     r"`scores` has 3 values outside 0–10 \(e\.g\. 11, 12, -1\)"),
    ({"scores": pd.Series([3, 15], name="ltr")}, ValueError, r"`scores` column 'ltr'.*15"),
    ({"data": pd.DataFrame({"q": [1, 11.0]}), "column": "q"}, ValueError, r"`data` column 'q'.*11"),
    ({"scores": [1, 7.5, 3.25]}, ValueError, r"2 non-integer values \(e\.g\. 7\.5, 3\.25\)"),
    ({"scores": [1, 4], "scale": (1, 10)}, None, None),
    ({"scores": ["9", "abc"]}, TypeError, r"`scores`.*non-numeric.*'abc'"),
    ({"scores": []}, ValueError, r"`scores` has no usable values"),
    ({"scores": [np.nan, None]}, ValueError, r"`scores` has no usable values"),
    ({"scores": [np.inf, 3]}, ValueError, r"outside 0–10 \(e\.g\. inf\)"),
    ({"scores": [True, False]}, TypeError, r"booleans"),
    ({"counts": (-1, 2, 3)}, ValueError, r"`counts` entry 'detractors'.*got -1"),
    ({"counts": (1.5, 2, 3)}, ValueError, r"`counts` entry 'detractors'.*got 1\.5"),
    ({"counts": (0, 0, 0)}, ValueError, r"`counts` has no usable values"),
    ({"counts": (1, 2)}, ValueError, r"`counts` must have 3 entries"),
    ({"counts": {"detractor": 1, "passives": 2, "promoters": 3}}, ValueError,
     r"unknown keys 'detractor' \(did you mean 'detractors'\?\)"),
    ({"scores": [1], "promoter_min": 6, "detractor_max": 6}, ValueError,
     r"`promoter_min` \(6\) must exceed `detractor_max` \(6\)"),
    ({"scores": [1], "promoter_min": 11}, ValueError,
     r"`promoter_min` must lie on the scale 0–10 \(`scale`\); got 11"),
    ({"scores": [1], "detractor_max": -1}, ValueError, r"`detractor_max` must lie on the scale"),
    ({"scores": [1], "promoter_min": 8.5}, ValueError, r"`promoter_min` must be a whole number"),
    ({"scores": [1], "scale": (10, 0)}, ValueError, r"`scale` must be \(min, max\) with min < max"),
    ({"scores": [1], "scale": 10}, TypeError, r"`scale` must be a pair"),
    ({"scores": [1], "confidence_level": 95}, ValueError, r"`confidence_level`.*got 95"),
    ({"scores": [1], "confidence_level": 0}, ValueError, r"`confidence_level`"),
    ({"scores": [1], "method": "wilson"}, ValueError,
     r"`method` must be one of 'wald', 'adjusted-wald', 'bonett-price', 'agresti-min', "
     r"'tango', 'bootstrap', 'bayes'; got 'wilson'"),
    ({"scores": [1], "method": "bayes", "prior": (0, 1, 1)}, ValueError, r"`prior`.*positive"),
    ({"scores": [1], "method": "bayes", "prior": (1, 1)}, ValueError, r"`prior` must be three"),
    ({"scores": [1], "method": "bootstrap", "bootstrap": "bc"}, ValueError,
     r"`bootstrap` must be one of 'bca', 'percentile'"),
    ({"scores": [1], "method": "bootstrap", "n_resamples": 10}, ValueError, r"`n_resamples`"),
    ({"scores": [1], "method": "bootstrap", "rng": np.random.RandomState(0)}, TypeError,
     r"`rng`.*RandomState"),
    ({"scores": [1], "counts": (1, 2, 3)}, TypeError, r"not both"),
    ({}, TypeError, r"no scores given"),
    ({"data": pd.DataFrame({"q": [1]})}, TypeError, r"`column` is required"),
    ({"data": pd.DataFrame({"q": [1]}), "column": "Q"}, ValueError, r"'Q' \(did you mean 'q'\?\)"),
    ({"data": [1, 2], "column": "q"}, TypeError, r"`data` must be a pandas DataFrame"),
    ({"scores": [[1, 2], [3, 4]]}, ValueError, r"`scores` must be 1-dimensional"),
]


@pytest.mark.parametrize(("kwargs", "error", "match"), BAD_NPS)
def test_nps_bad_input(kwargs, error, match):
    if error is None:  # a control: valid input
        assert nps(**kwargs).n == 2
        return
    with pytest.raises(error, match=match):
        nps(**kwargs)


@pytest.mark.parametrize(("args", "kwargs", "error", "match"), [
    (([1, -2], 3, 4), {}, ValueError, r"`detractors` has 1 value below 0 \(e\.g\. -2\)"),
    ((1, 2.5, 4), {}, ValueError, r"`passives` has 1 non-integer value \(e\.g\. 2\.5\)"),
    ((1, 2, [4, np.nan]), {}, ValueError, r"`promoters`.*NaN"),
    (([1, 0], [3, 0], [4, 0]), {}, ValueError, r"is 0 at 1 position \(flat index 1\)"),
    (([1, 2], [3, 4, 5], 4), {}, ValueError, r"same shape"),
    ((1, "a", 4), {}, TypeError, r"`passives`"),
    ((1, 2, 3), {"method": "score"}, ValueError, r"`method` must be one of"),
    ((1, 2, 3), {"confidence_level": 1.0}, ValueError, r"`confidence_level`"),
])
def test_nps_interval_bad_input(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        nps_interval(*args, **kwargs)


@pytest.mark.parametrize(("call", "error", "match"), [
    (lambda: classify_nps([1, 2.5]), ValueError, r"`scores` has 1 non-integer value"),
    (lambda: classify_nps([1, 12]), ValueError, r"outside 0–10 \(e\.g\. 12\)"),
    (lambda: classify_nps([1], promoter_min=5, detractor_max=7), ValueError, "promoter_min"),
    (lambda: compare_nps((1, 2, 3), (1, 2, 3), method="tango"), ValueError,
     r"`method` must be one of 'wald', 'adjusted-wald'"),
    (lambda: compare_nps((1, 2, 3), (1, 2, 3), paired=True), TypeError,
     r"paired=True needs the raw scores.*`a` is tuple"),
    (lambda: compare_nps([1, 2, 3], [1, 2], paired=True), ValueError, r"equal length.*3 and 2"),
    (lambda: compare_nps([1, np.nan], [np.nan, 2], paired=True), ValueError,
     r"at least 2 respondents with both scores in `a` and `b`; got 0 complete pairs"),
    (lambda: compare_nps([1, 2], [1, 2], paired="yes"), TypeError, r"`paired`"),
    (lambda: compare_nps([1, 20], (1, 2, 3)), ValueError, r"`a` has 1 value outside"),
    (lambda: compare_nps((1, 2, 3), (0, 0, 0)), ValueError, r"`b` has no usable values"),
    (lambda: compare_nps((1, 2, 3), (1, -2, 0)), ValueError, r"`b` entry 'passives'"),
    (lambda: nps_sample_size(0), ValueError, r"`margin`"),
    (lambda: nps_sample_size(5, promoters=0.5), TypeError, r"both `promoters` and `detractors`"),
    (lambda: nps_sample_size(5, promoters=0.7, detractors=0.4), ValueError, r"add up to 1\.1"),
    (lambda: nps_sample_size(5, promoters=45, detractors=0.2), ValueError,
     r"`promoters` must be a probability.*did you mean 0\.45"),
    (lambda: nps_sample_size_difference(0, a=(0.4, 0.2), b=(0.3, 0.3)), ValueError,
     r"`difference`"),
    (lambda: nps_sample_size_difference(5, a=(0.4, 0.2), b=(0.3, 0.3), power=1), ValueError,
     r"`power`"),
    (lambda: nps_sample_size_difference(5, a=0.4, b=(0.3, 0.3)), TypeError, r"`a` must be"),
    (lambda: nps_sample_size_difference(5, a={"promoters": 0.4}, b=(0.3, 0.3)), ValueError,
     r"`a` must have exactly the keys"),
])
def test_other_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_import_is_light():
    code = ("import sys, cxkit.nps; "
            "print(sorted(m for m in ('pandas', 'scipy', 'statsmodels') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


# --------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------

counts_st = st.tuples(st.integers(0, 60), st.integers(0, 60), st.integers(0, 60)).filter(
    lambda c: sum(c) > 0)
scores_st = st.lists(st.one_of(st.integers(0, 10), st.just(float("nan"))), min_size=1,
                     max_size=120)
FAST = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@FAST
@given(scores=scores_st, method=st.sampled_from(NPS_METHODS))
def test_raw_scores_and_counts_agree(scores, method):
    assume(any(not np.isnan(s) for s in scores))
    raw = nps(scores, method=method, rng=11, n_resamples=200)
    values = np.array(scores, dtype=float)
    counts = ((values <= 6).sum(), ((values > 6) & (values < 9)).sum(), (values >= 9).sum())
    agg = nps(counts=counts, method=method, rng=11, n_resamples=200)
    assert raw.n_missing == int(np.isnan(values).sum())
    assert (raw.estimate, raw.se, raw.n) == (agg.estimate, agg.se, agg.n)
    assert raw.ci == agg.ci


@FAST
@given(counts=counts_st, method=st.sampled_from(NPS_METHODS),
       level=st.sampled_from([0.9, 0.95, 0.99]))
def test_interval_contains_the_estimate(counts, method, level):
    d, m, p = counts
    n = d + m + p
    est = 100 * (p - d) / n
    lo, hi = nps_interval(d, m, p, method=method, confidence_level=level, rng=5,
                          n_resamples=300)
    assert -100 <= lo <= hi <= 100
    one_sided = p == n or d == n  # documented exceptions (see nps_interval Notes)
    if method == "bayes" and one_sided:
        assert (hi < 100) if p == n else (lo > -100)
    elif method == "adjusted-wald" and one_sided and n <= 4 and level < 0.95 + 1e-9:
        pass  # shrunken centre: ≤ 4 responses all in one category at 90 % (n = 1 at 95 %)
    else:
        assert lo - 1e-9 <= est <= hi + 1e-9


@FAST
@given(scores=scores_st, seed=st.integers(0, 10**6))
def test_shuffling_rows_changes_nothing(scores, seed):
    assume(any(not np.isnan(s) for s in scores))
    shuffled = np.random.default_rng(seed).permutation(np.array(scores, dtype=float))
    for method in ("tango", "bayes", "bootstrap"):
        a = nps(scores, method=method, rng=1, n_resamples=200)
        b = nps(pd.Series(shuffled), method=method, rng=1, n_resamples=200)
        assert a.to_dict() == b.to_dict()


@settings(max_examples=25, deadline=None)
@given(rows=st.lists(counts_st, min_size=1, max_size=8),
       method=st.sampled_from(DETERMINISTIC), level=st.sampled_from([0.8, 0.95, 0.999]))
def test_vectorised_interval_equals_per_row_calls(rows, method, level):
    d, m, p = (np.array(col) for col in zip(*rows, strict=True))
    lo, hi = nps_interval(d, m, p, method=method, confidence_level=level)
    for i, row in enumerate(rows):
        lo_i, hi_i = nps_interval(*row, method=method, confidence_level=level)
        assert lo[i] == pytest.approx(float(lo_i), abs=1e-9)
        assert hi[i] == pytest.approx(float(hi_i), abs=1e-9)


def test_scores_that_cannot_reach_the_promoter_range_warn_in_plain_words():
    import warnings

    csat = pd.Series([1, 2, 3, 4, 5] * 10, name="csat")  # a 1-5 CSAT taken for the LTR
    with pytest.warns(UserWarning, match=r"no score reaches the promoter range \(≥ 9\); all "
                      r"50 answers lie between 1 and 5 .*\(e\.g\. a 1–5 CSAT"):
        res = cxkit.nps(csat)
    assert res.estimate == -100.0  # still the arithmetic, now with its warning
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cxkit.nps(pd.Series([0, 1, 2, 3, 6, 8] * 5))  # a poor 0-10 result: no warning
        cxkit.nps(pd.Series([1, 2]))  # too few answers to judge
        cxkit.nps(csat, scale=(1, 5), promoter_min=5, detractor_max=3)  # its own scale
