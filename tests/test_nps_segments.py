"""nps_by, nps_pairwise, nps_trend and nps_sampling_distribution."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.multitest import multipletests

import cxkit
from cxkit.nps import (
    compare_nps,
    nps,
    nps_by,
    nps_pairwise,
    nps_sampling_distribution,
    nps_trend,
)


def _responses(rows=600, seed=0):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "ltr": rng.integers(0, 11, rows).astype(float),
        "branch": rng.choice(["north", "south", "east", "west"], rows, p=[.4, .3, .25, .05]),
        "channel": rng.choice(["app", "phone"], rows),
        "date": pd.Timestamp("2026-01-05") + pd.to_timedelta(rng.integers(0, 70, rows), "D"),
    })
    frame.loc[rng.random(rows) < 0.05, "ltr"] = np.nan
    return frame


def test_nps_by_agrees_with_nps_per_segment():
    frame = _responses()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        table = nps_by(frame, "ltr", "branch", min_n=50)
    assert list(table["branch"]) == ["east", "north", "south", "west"]
    for row in table.itertuples():
        scores = frame.loc[frame["branch"] == row.branch, "ltr"]
        single = nps(scores)
        assert (row.detractors, row.passives, row.promoters) == tuple(single.counts.values())
        assert row.n == single.n and row.n_missing == single.n_missing
        assert row.estimate == pytest.approx(single.estimate, abs=1e-12)
        assert (row.ci_low, row.ci_high) == pytest.approx(tuple(single.ci), abs=1e-9)
        assert row.small_n == (single.n < 50)
    assert table["n"].sum() + table["n_missing"].sum() == len(frame)  # nothing dropped


def test_nps_by_small_segments_warn_and_missing_segment_kept():
    frame = _responses()
    frame.loc[:9, "branch"] = None
    with pytest.warns(UserWarning, match=r"of 5 segments have fewer than 100 responses"):
        table = nps_by(frame, "ltr", ["branch"], min_n=100)
    assert table["branch"].isna().sum() == 1
    assert table.loc[table["branch"].isna(), "n"].iloc[0] + \
        table.loc[table["branch"].isna(), "n_missing"].iloc[0] == 10
    assert table.loc[table["n"] < 100, "small_n"].all()


def test_nps_by_two_columns_and_methods():
    frame = _responses()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        table = nps_by(frame, "ltr", ["branch", "channel"], method="wald",
                       confidence_level=0.9)
    assert list(table.columns[:3]) == ["branch", "channel", "n"]
    assert len(table) == 8
    assert set(table["method"]) == {"wald"} and set(table["confidence_level"]) == {0.9}
    crosstab = pd.crosstab([frame["branch"], frame["channel"]],
                           np.select([frame["ltr"] <= 6, frame["ltr"] >= 9], [0, 2], 1)
                           .astype(float) + np.where(frame["ltr"].isna(), np.nan, 0))
    assert (table[["detractors", "passives", "promoters"]].to_numpy() ==
            crosstab.to_numpy()).all()


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"score": "nope", "by": "branch"}, ValueError, "nope"),
    ({"score": "ltr", "by": "nope"}, ValueError, "nope"),
    ({"score": "ltr", "by": []}, ValueError, "at least one segment column"),
    ({"score": "ltr", "by": "branch", "method": "exact"}, ValueError, "method"),
    ({"score": "ltr", "by": "branch", "min_n": 0}, ValueError, "min_n"),
])
def test_nps_by_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        nps_by(_responses(), **kwargs)


def test_nps_by_rejects_out_of_scale_scores():
    frame = _responses()
    frame.loc[3, "ltr"] = 11
    with pytest.raises(ValueError, match="11"):
        nps_by(frame, "ltr", "branch")


def test_pairwise_matches_compare_nps_and_holm():
    frame = _responses(rows=2000)
    table = nps_by(frame, "ltr", "branch", min_n=10)
    pairs = nps_pairwise(table)
    assert len(pairs) == 6
    counts = table.set_index("branch")[["detractors", "passives", "promoters"]]
    for row in pairs.itertuples():
        ref = compare_nps(tuple(counts.loc[row.segment_a]), tuple(counts.loc[row.segment_b]),
                          method="adjusted-wald")
        assert row.difference == pytest.approx(ref.difference, abs=1e-9)
        assert (row.ci_low, row.ci_high) == pytest.approx(tuple(ref.ci), abs=1e-9)
        assert row.p_value == pytest.approx(ref.p_value, abs=1e-12)
    np.testing.assert_allclose(pairs["p_holm"], multipletests(pairs["p_value"], method="holm")[1])
    assert (pairs["p_holm"] >= pairs["p_value"]).all()


def test_pairwise_on_bundled_bank_data():
    bank = cxkit.load_dataset("bank_satisfaction")
    pairs = nps_pairwise(nps_by(bank, "loy3", "gender"), method="wald")
    (row,) = pairs.itertuples()
    a, b = (nps(bank.loc[bank["gender"] == g, "loy3"]) for g in (row.segment_a, row.segment_b))
    assert row.difference == pytest.approx(a.estimate - b.estimate)
    assert row.n_a + row.n_b == 250


def test_trend_fills_gaps_and_keeps_missing_times():
    frame = _responses()
    frame = frame[(frame["date"] < "2026-01-19") | (frame["date"] >= "2026-02-02")].copy()
    frame.loc[frame.index[:3], "date"] = pd.NaT
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        trend = nps_trend(frame, "ltr", "date", freq="W")
    periods = trend["period"].dropna()
    assert periods.is_monotonic_increasing
    assert (periods.diff().dropna() == pd.Timedelta(days=7)).all()  # no missing week
    gap = trend[trend["period"].isin(pd.to_datetime(["2026-01-19", "2026-01-26"]))]
    assert (gap["n"] == 0).all() and gap["estimate"].isna().all()
    assert trend["period"].isna().sum() == 1
    assert trend["n"].sum() + trend["n_missing"].sum() == len(frame)


def test_trend_by_segment_and_bad_time():
    frame = _responses()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        trend = nps_trend(frame, "ltr", "date", freq="M", by="channel")
    assert list(trend.columns[:2]) == ["period", "channel"]
    assert len(trend) == 3 * 2
    with pytest.raises(ValueError, match="time"):
        nps_trend(frame.assign(date="not a date"), "ltr", "date")
    with pytest.raises(ValueError, match="freq"):
        nps_trend(frame, "ltr", "date", freq="fortnight")


@pytest.mark.parametrize(("n", "p", "d"), [(1, 0.5, 0.2), (12, 0.3, 0.3), (40, 0.95, 0.01)])
def test_sampling_distribution_is_exact(n, p, d):
    dist = nps_sampling_distribution(n, promoters=p, detractors=d)
    assert dist["probability"].sum() == pytest.approx(1, abs=1e-12)
    mean = (dist["value"] * dist["probability"]).sum()
    var = (dist["probability"] * (dist["value"] - mean) ** 2).sum()
    assert mean == pytest.approx(100 * (p - d), abs=1e-9)  # unbiased
    assert var == pytest.approx(1e4 * (p + d - (p - d) ** 2) / n, rel=1e-9)  # Wald variance


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 1000))
def test_segment_table_ignores_row_order(seed):
    frame = _responses(rows=300, seed=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        a = nps_by(frame, "ltr", "branch")
        b = nps_by(frame.sample(frac=1, random_state=seed), "ltr", "branch")
    pd.testing.assert_frame_equal(a, b)


def test_pairwise_labels_a_missing_segment_instead_of_crashing():
    # issue 9, item 1: a blank in the segment column; nps_by keeps it, pairwise labels it
    import pandas as pd

    from cxkit.nps import nps_by, nps_pairwise

    data = pd.DataFrame({"branch": ["a", "b", None] * 20,
                         "ltr": [10, 3, 9, 8, 10, 0] * 10})
    table = nps_by(data, score="ltr", by="branch")
    pairs = nps_pairwise(table)
    assert sorted(map(tuple, pairs[["segment_a", "segment_b"]].values.tolist())) == [
        ("a", "(missing)"), ("a", "b"), ("b", "(missing)")]
    assert (pairs["n_a"] == 20).all() and (pairs["n_b"] == 20).all()


def test_pairwise_says_when_an_empty_segment_is_left_out():
    import pandas as pd
    import pytest

    from cxkit.nps import nps_pairwise

    table = pd.DataFrame({"branch": ["a", "b", "c"], "n": [10, 0, 12],
                          "detractors": [2, 0, 3], "passives": [3, 0, 4],
                          "promoters": [5, 0, 5]})
    with pytest.warns(UserWarning, match=r"1 segment\(s\) with n = 0 left out.*'b'"):
        pairs = nps_pairwise(table)
    assert pairs[["segment_a", "segment_b"]].values.tolist() == [["a", "c"]]
