"""profile_items' integer fast path against its general (float64) path on random data."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxkit.profile import (
    _general_item_stats,
    _integer_item_stats,
    likert_columns,
    profile_items,
)

SIGNED = ["int64", "int32", "int8", "Int64", "Int32", "Int8", "Int16"]
UNSIGNED = ["uint8", "uint64", "UInt8", "UInt32"]


@st.composite
def integer_frames(draw):
    """A frame of integer items (numpy or nullable dtypes, missing values in the
    nullable ones), with a scale for each item that is given or left to inference."""
    rows = draw(st.integers(1, 70))
    k = draw(st.integers(1, 5))
    lo = draw(st.sampled_from([-3, 0, 1, 5, 70]))
    width = draw(st.integers(0, 10))
    columns, given = {}, {}
    for j in range(k):
        dtype = draw(st.sampled_from(SIGNED + (UNSIGNED if lo >= 0 else [])))
        values = draw(st.lists(st.integers(lo, lo + width), min_size=rows, max_size=rows))
        if dtype[0].isupper():  # nullable: some missing
            missing = draw(st.lists(st.booleans(), min_size=rows, max_size=rows))
            values = [None if m else v for v, m in zip(values, missing, strict=True)]
        columns[f"q{j}"] = pd.array(values, dtype=dtype)
        if draw(st.booleans()):
            given[f"q{j}"] = (float(lo - draw(st.integers(0, 3))),
                              float(lo + width + draw(st.integers(0, 3))))
    return pd.DataFrame(columns), given


def degenerate_pairs(frame):
    """Pairs with fewer than 2 shared rows or an item constant on its shared rows: the
    correlation is 0/0, which both paths turn into NaN or rounding noise."""
    x = frame.astype("float64").to_numpy()
    k = x.shape[1]
    out = np.zeros((k, k), dtype=bool)
    for i in range(k):
        for j in range(k):
            both = ~np.isnan(x[:, i]) & ~np.isnan(x[:, j])
            out[i, j] = both.sum() < 2 or np.ptp(x[both, i]) == 0 or np.ptp(x[both, j]) == 0
    return out


@settings(max_examples=120, deadline=None)
@given(case=integer_frames())
def test_property_integer_fast_path_equals_general_path(case):
    frame, given_scales = case
    items = list(frame.columns)
    fast = _integer_item_stats(frame, items, given_scales)
    try:
        general = _general_item_stats(frame, items, given_scales)
    except ValueError:
        general = None  # the general path words the error: the fast path must step aside
    if general is None or not all(frame[c].notna().any() for c in items):
        assert fast is None
        return
    assert fast is not None
    assert fast.scales == general.scales and fast.notes == general.notes
    for a, b in zip(fast.counts, general.counts, strict=True):
        assert a.dtype == b.dtype and np.array_equal(a, b)  # bit-identical counts
    assert np.array_equal(fast.has_responses, general.has_responses)
    assert fast.n_complete == general.n_complete
    assert np.array_equal(fast.pairwise_n, general.pairwise_n)
    assert fast.moments.keys() == general.moments.keys()
    for key, (mean, sd, lo, hi) in fast.moments.items():
        g_mean, g_sd, g_lo, g_hi = general.moments[key]
        assert (lo, hi) == (g_lo, g_hi)
        assert mean == pytest.approx(g_mean, rel=1e-12, abs=1e-300)
        assert (sd is None) == (g_sd is None)
        if sd is not None:
            assert sd == pytest.approx(g_sd, rel=1e-12, abs=1e-300)
    keep = ~degenerate_pairs(frame)
    np.testing.assert_allclose(fast.corr[keep], general.corr[keep], rtol=1e-12, atol=1e-14)
    # undefined correlations (n < 2) are NaN in both
    assert np.array_equal(np.isnan(fast.corr) & (fast.pairwise_n < 2),
                          np.isnan(general.corr) & (general.pairwise_n < 2))


@settings(max_examples=60, deadline=None)
@given(case=integer_frames())
def test_property_profile_of_integers_equals_profile_of_the_same_floats(case):
    frame, given_scales = case
    floats = frame.astype("float64")  # float64 columns take the general path
    outcomes = []
    for data in (frame, floats):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                outcomes.append(profile_items(data, scale=given_scales or None))
        except ValueError as exc:
            outcomes.append(str(exc))
    a, b = outcomes
    if isinstance(b, str):
        assert a == b  # the same error, worded by the same general path
        return
    assert (a.items, a.scales, a.scale, a.n_complete, a.min_pairwise_n, a.notes) == \
        (b.items, b.scales, b.scale, b.n_complete, b.min_pairwise_n, b.notes)
    pd.testing.assert_frame_equal(a.distribution, b.distribution)
    cols = ["n", "n_missing", "min", "max", "is_item"]
    pd.testing.assert_frame_equal(a.column_summary[cols], b.column_summary[cols])
    for col in ("share_missing", "mean", "sd"):
        np.testing.assert_allclose(a.column_summary[col].to_numpy(dtype=float, na_value=np.nan),
                                   b.column_summary[col].to_numpy(dtype=float, na_value=np.nan),
                                   rtol=1e-12, equal_nan=True)


@settings(max_examples=80, deadline=None)
@given(rows=st.integers(1, 40), data=st.data())
def test_property_likert_columns_of_integers_equal_those_of_the_same_floats(rows, data):
    columns = {}
    for j in range(data.draw(st.integers(1, 4))):
        dtype = data.draw(st.sampled_from(SIGNED))
        spread = data.draw(st.sampled_from([3, 21, 22, 30, 10**6]))
        values = data.draw(st.lists(st.integers(-spread, spread) | st.none(), min_size=rows,
                                    max_size=rows))
        if dtype[0].islower() or dtype == "Int8":  # no missing; Int8 holds ±127 only
            values = [0 if v is None else v for v in values]
        if dtype in ("int8", "Int8", "int32", "Int16"):
            values = [max(-100, min(100, v)) if v is not None else None for v in values]
        columns[f"c{j}"] = pd.array(values, dtype=dtype)
    frame = pd.DataFrame(columns)
    assert likert_columns(frame) == likert_columns(frame.astype("float64"))


def test_likert_columns_range_of_small_integers_does_not_wrap():
    # int8 -100..100 spans 200 (beyond int8): 30 distinct values, not a rating item
    values = np.linspace(-100, 100, 30).astype(np.int8)
    frame = pd.DataFrame({"wide": values, "narrow": np.arange(30, dtype=np.int8) % 5})
    assert likert_columns(frame) == ["narrow"]


def test_fast_path_on_the_benchmark_shape():
    # 10^5 x 4 Int64 with 2% missing, as bench_profile.py (smaller): blocks of rows,
    # the last one partial
    rng = np.random.default_rng(3)
    x = np.clip(np.rint(3.5 + 1.2 * rng.normal(size=(100_003, 4))), 1, 6)
    x[rng.random(x.shape) < 0.02] = np.nan
    frame = pd.DataFrame(x, columns=list("abcd")).astype("Int64")
    fast = _integer_item_stats(frame, list("abcd"), {})
    general = _general_item_stats(frame, list("abcd"), {})
    assert fast.n_complete == general.n_complete
    assert np.array_equal(fast.pairwise_n, general.pairwise_n)
    np.testing.assert_allclose(fast.corr, general.corr, rtol=1e-12)
    np.testing.assert_allclose(fast.corr, frame.astype("float64").corr(), rtol=1e-12)
