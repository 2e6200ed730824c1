"""Reproducers of the library defects found by fuzzing (issue 9): each now fails clearly.

Every case used to crash with an internal error (LinAlgError, AttributeError,
OverflowError, ZeroDivisionError, MemoryError), or to return a misleading number without
a word. Each must now raise ValueError/TypeError naming the argument, or warn.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest

import cxkit
from cxkit.nps import nps, nps_sample_size, nps_trend
from cxkit.revenue import cx_revenue_scenario

SCENARIO = dict(customers=100, revenue_per_customer=10, retention=0.8, retention_lift=0.1,
                recommend_lift=0.1)
DUPLICATED = pd.DataFrame([[1, 2, 3], [2, 3, 3], [3, 3, 4], [4, 5, 5]], columns=["a", "a", "b"],
                          dtype=float)


def _alpha_above_one():
    """A small sample with 20% missing whose pairwise covariances give alpha >= 1."""
    for seed in range(3000):
        rng = np.random.default_rng(seed)
        x = pd.DataFrame(rng.integers(1, 6, (10, 4)).astype(float))
        x = x.mask(rng.random((10, 4)) < 0.2)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                if cxkit.cronbach_alpha(x).alpha >= 1:
                    return x
        except ValueError:
            continue
    pytest.fail("no sample with alpha >= 1 found")


@pytest.mark.parametrize(("call", "error", "pattern"), [
    (lambda: cxkit.cronbach_alpha(cov=np.array([[1.0, 2.0], [2.0, 1.0]]), n=50),
     ValueError, "`cov` is not a covariance matrix"),
    (lambda: cxkit.cronbach_alpha(pd.DataFrame({"a": [1, 2, np.inf], "b": [1, 2, 3.0]})),
     ValueError, "'a' hold infinite values"),
    (lambda: cxkit.cronbach_alpha(DUPLICATED), ValueError, "several columns named 'a'"),
    (lambda: cxkit.omega(DUPLICATED), ValueError, "several columns named 'a'"),
    (lambda: nps(counts={"detractors": 2 ** 63, "passives": 1, "promoters": 1}),
     ValueError, "`counts` entry 'detractors' must be at most 2**53"),
    (lambda: nps(counts={"detractors": 10 ** 20, "passives": 1, "promoters": 1}),
     ValueError, "must be at most 2**53"),
    (lambda: nps(counts={1, 2, 3}), TypeError, "got a set, whose order is arbitrary"),
    (lambda: nps_trend(pd.DataFrame({"y": [2020, 2021, 2022] * 10, "s": [9, 5, 7] * 10}),
                       score="s", time="y"),
     TypeError, "`time` column 'y' holds numbers (int64), not dates"),
    (lambda: nps_sample_size(margin=1e-300), ValueError, "would need more than 10^15"),
    (lambda: cxkit.group_reliability(pd.DataFrame({"g": list("aabb") * 3,
                                                   "s": [1, 2, np.inf, 3] * 3}),
                                     score="s", group="g"),
     ValueError, "`score` holds 3 infinite value(s)"),
    (lambda: cx_revenue_scenario(**{**SCENARIO, "customers": 1e308,
                                    "revenue_per_customer": 1e308}, n_draws=10),
     ValueError, "the revenue totals overflow float64"),
    (lambda: cxkit.cronbach_alpha(DUPLICATED.iloc[:, 1:], method="bootstrap",
                                  n_resamples=10 ** 12),
     ValueError, "`n_resamples` must be at most 1,000,000"),
    (lambda: cx_revenue_scenario(**SCENARIO, n_draws=10 ** 12),
     ValueError, "`n_draws` must be at most 10,000,000"),
    (lambda: cx_revenue_scenario(**SCENARIO, horizon_years=10 ** 9),
     ValueError, "`horizon_years` must be at most 100"),
])
def test_fuzzing_defect_now_fails_clearly(call, error, pattern):
    with pytest.raises(error, match=re.escape(pattern)):
        call()


def test_alpha_above_one_from_pairwise_covariances_warns_with_a_nan_interval():
    x = _alpha_above_one()
    with pytest.warns(UserWarning, match=r"alpha is .*not below 1.*feldt interval is "
                                         r"undefined \(NaN\)"):
        res = cxkit.cronbach_alpha(x)
    assert res.alpha >= 1 and np.isnan(res.ci.low) and np.isnan(res.ci.high)

PAIRWISE = pd.DataFrame({"seg": ["a", "b"], "n": [5, 5], "detractors": [1, 2],
                         "passives": [2, 2], "promoters": [2, 1]})


@pytest.mark.parametrize(("call", "error", "pattern"), [
    (lambda: cxkit.nps_pairwise(PAIRWISE.assign(detractors=[-1, 2])), ValueError,
     "`segments` column 'detractors' has 1 value outside"),
    (lambda: cxkit.nps_pairwise(PAIRWISE.assign(promoters=[np.nan, 1])), ValueError,
     "`segments` column 'promoters' holds 1 missing count(s)"),
    (lambda: cxkit.nps_pairwise(PAIRWISE.assign(seg=["a", "a"])), ValueError,
     "holds the same segment more than once: 'a'"),
    (lambda: cxkit.nps_trend(pd.DataFrame({
        "t": pd.to_datetime(["1700-01-01"] + ["2024-01-01"] * 9), "s": [9.0] * 10}),
        score="s", time="t", freq="h", min_n=1),
     ValueError, "gives 2,840,113 periods"),
    (lambda: cxkit.cronbach_alpha(pd.DataFrame({"a": [1, 2, 1e200], "b": [1, 2, 3.0],
                                                "c": [2, 3, 1.0]})),
     ValueError, "item(s) 'a' hold values beyond ±1e+150"),
])
def test_fuzzing_defect_found_later_now_fails_clearly(call, error, pattern):
    with pytest.raises(error, match=re.escape(pattern)):
        call()


def test_nps_pairwise_leaves_out_empty_segments_with_a_note():
    with pytest.warns(UserWarning, match="1 segment\\(s\\) with n = 0 left out"):
        table = cxkit.nps_pairwise(PAIRWISE.assign(n=[5, 0], detractors=[1, 0],
                                                   passives=[2, 0], promoters=[2, 0]))
    assert table.empty


