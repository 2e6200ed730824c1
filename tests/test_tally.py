"""The tally layer's fast paths give the general path's counts exactly, on every dtype.

The general path is the float64 conversion and validation of ``nps._score_counts``; the
fast paths (integer, nullable integer, Categorical) must agree count for count, or step
aside (``None``) so that the general path words the error.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxkit import compare_nps, nps
from cxkit._tally import CHUNK, point_counts
from cxkit._validation import as_float_array
from cxkit.nps import _score_counts

INTEGER_DTYPES = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
                  "Int8", "Int16", "Int64", "UInt8"]
SCALES = [(0, 10), (1, 5), (1, 7), (-5, 5)]


def _general(values, lo, hi):
    return _score_counts(as_float_array(values, "scores"), lo, hi, "scores", None)


@st.composite
def columns(draw):
    lo, hi = draw(st.sampled_from(SCALES))
    kind = draw(st.sampled_from([*INTEGER_DTYPES, "categorical", "categorical_float",
                                 "ndarray", "float64", "float32", "object_int",
                                 "object_float"]))
    if lo < 0 and kind.lower().startswith("u"):
        kind = "int16"
    n = draw(st.integers(1, 300))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    points = rng.integers(lo, hi + 1, n)
    missing = rng.random(n) < draw(st.sampled_from([0.0, 0.1, 0.9]))
    if kind in ("categorical", "categorical_float"):
        labels = points.astype(float) if kind == "categorical_float" else points
        categories = np.arange(lo - 1, hi + 2)  # unused categories off the scale too
        if kind == "categorical_float":
            categories = categories.astype(float)
        values = pd.Series(pd.Categorical(labels, categories=categories))
        values[missing] = np.nan
    elif kind in ("float64", "float32"):
        values = pd.Series(points.astype(kind))
        values[missing] = np.nan
    elif kind == "object_int":
        values = pd.Series(list(points), dtype=object)
        values[missing] = draw(st.sampled_from([None, np.nan, pd.NA]))
    elif kind == "object_float":
        values = pd.Series(points.astype(float).tolist(), dtype=object)
        values[missing] = np.nan
    elif kind == "ndarray":
        values = points.astype(draw(st.sampled_from(["int8", "int64", "uint8"]))
                               if lo >= 0 else "int64")
    elif kind[0].isupper():
        values = pd.Series(pd.array(points, dtype=kind))
        values[missing] = pd.NA
    else:
        values = pd.Series(points.astype(kind))
    return kind, (lo, hi), values


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drawn=columns())
def test_fast_counts_equal_the_general_counts(drawn):
    kind, (lo, hi), values = drawn
    general_valid = (~pd.isna(pd.Series(values))).any()
    fast = point_counts(values, lo, hi)
    if not general_valid:
        assert fast is None  # all missing: the general path raises "no responses"
        return
    assert fast is not None, kind
    counts, n_missing = fast
    expected_counts, expected_missing = _general(values, lo, hi)
    assert counts.dtype == np.int64
    np.testing.assert_array_equal(counts, expected_counts)
    assert n_missing == expected_missing


@pytest.mark.parametrize("dtype", ["int8", "int64", "Int64", "uint8", "float64"])
def test_out_of_range_steps_aside_so_the_error_is_the_same(dtype):
    values = pd.Series(pd.array([0, 5, 11], dtype=dtype))
    assert point_counts(values, 0, 10) is None
    with pytest.raises(ValueError, match="outside 0–10") as fast_path:
        nps(values)
    with pytest.raises(ValueError, match="outside 0–10") as general_path:
        nps(values.astype("float64"))
    assert str(fast_path.value) == str(general_path.value)


def test_categorical_of_text_or_fractions_steps_aside():
    assert point_counts(pd.Series([9.5, 10.0]), 0, 10) is None
    assert point_counts(pd.Series([np.inf, 10.0]), 0, 10) is None
    assert point_counts(pd.Series([1e17, 10.0]), 0, 10) is None  # no bincount of 1e17 bins
    assert point_counts(pd.Series([9, "x"], dtype=object), 0, 10) is None
    assert point_counts(pd.Series([2**70, 9], dtype=object), 0, 10) is None
    assert point_counts(pd.Series([np.nan, np.nan]), 0, 10) is None
    assert point_counts(pd.Series(pd.Categorical(["9", "10"])), 0, 10) is None
    assert point_counts(pd.Series(pd.Categorical([9.5, 10.0])), 0, 10) is None
    assert point_counts(pd.Series([True, False]), 0, 10) is None
    assert point_counts(np.zeros((2, 2), dtype=np.int64), 0, 10) is None


def test_chunks_add_up_beyond_one_chunk():
    rng = np.random.default_rng(5)
    values = rng.integers(0, 11, CHUNK * 2 + 17).astype(np.int8)
    counts, n_missing = point_counts(values, 0, 10)
    np.testing.assert_array_equal(counts, np.bincount(values, minlength=11))
    assert n_missing == 0


@pytest.mark.parametrize("dtype", ["int8", "int64", "Int64", "category", "float32",
                                   "object"])
def test_nps_results_are_identical_on_every_path(dtype):
    rng = np.random.default_rng(11)
    points = rng.integers(0, 11, 5000)
    floats = pd.Series(points.astype(float))
    floats[::97] = np.nan
    values = floats.astype(dtype) if dtype != "int8" and dtype != "int64" else \
        pd.Series(points.astype(dtype))
    general = _general(values.astype("float64"), 0, 10)
    fast = point_counts(values, 0, 10)
    np.testing.assert_array_equal(fast[0], general[0])
    assert fast[1] == general[1]
    assert nps(values).to_dict() == nps(values.astype("float64")).to_dict()
    other = floats[::-1].reset_index(drop=True)
    assert compare_nps(values, other).to_dict() == \
        compare_nps(values.astype("float64"), other).to_dict()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drawn=columns(), cut=st.integers(0, 3))
def test_fast_category_codes_equal_the_general_codes(drawn, cut):
    from cxkit._tally import category_codes
    from cxkit.nps import _category_codes

    kind, (lo, hi), values = drawn
    dmax = lo + cut
    pmin = min(hi, dmax + 1 + cut)
    fast = category_codes(values, lo, hi, dmax, pmin)
    general = _category_codes(values, promoter_min=pmin, detractor_max=dmax, scale=(lo, hi),
                              name="score")
    if fast is None:  # only an all-missing object column has no fast path
        assert kind.startswith("object") and pd.isna(values).all()
        return
    assert fast.dtype == np.int8
    np.testing.assert_array_equal(fast, general)


def test_category_codes_step_aside_on_what_the_general_path_refuses():
    from cxkit._tally import category_codes

    for values in (pd.Series([9.5, 10.0]), pd.Series([11, 3]), pd.Series([np.inf]),
                   pd.Series(["9"], dtype=object), pd.Series([True, False]),
                   pd.Series(pd.Categorical([12, 3])), pd.Series([], dtype=float)):
        assert category_codes(values, 0, 10, 6, 9) is None, values


def test_nps_by_is_identical_on_fast_and_general_paths():
    from cxkit.nps import nps_by

    rng = np.random.default_rng(2)
    frame = pd.DataFrame({"ltr": rng.integers(0, 11, 3000), "seg": rng.integers(0, 7, 3000)})
    frame.loc[::50, "seg"] = -1
    for dtype in ("int8", "Int64", "category", "float64", "object"):
        fast = nps_by(frame.astype({"ltr": dtype}), "ltr", "seg", min_n=1)
        reference = nps_by(frame.astype({"ltr": "float64"}), "ltr", "seg", min_n=1)
        pd.testing.assert_frame_equal(fast, reference)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), freq=st.sampled_from(["h", "D", "W", "M", "Q", "Y"]),
       unit=st.sampled_from(["s", "ms", "us", "ns"]), span=st.sampled_from([1, 400, 90_000]),
       n=st.integers(1, 200), missing=st.booleans())
def test_period_starts_equal_to_period(seed, freq, unit, span, n, missing):
    """Arithmetic periods equal pandas' to_period start times, before 1970 too."""
    from cxkit._tally import period_starts

    rng = np.random.default_rng(seed)
    start = pd.Timestamp("1969-12-25") if span < 90_000 else pd.Timestamp("1850-01-01")
    seconds = rng.integers(0, span * 86_400, n)
    stamps = pd.Series((start + pd.to_timedelta(seconds, unit="s")).as_unit(unit))
    if missing:
        stamps[rng.random(n) < 0.3] = pd.NaT
    expected = stamps.dt.to_period(freq).dt.start_time
    pd.testing.assert_series_equal(period_starts(stamps, freq), expected)


def test_period_starts_step_aside_for_other_aliases_and_time_zones():
    from cxkit._tally import period_starts

    stamps = pd.Series(pd.date_range("2024-01-01", periods=5, freq="D"))
    assert period_starts(stamps, "W-MON") is None and period_starts(stamps, "2D") is None
    assert period_starts(stamps, "M-JAN") is None and period_starts(stamps, "Q-NOV") is None
    assert period_starts(stamps.dt.tz_localize("Europe/Paris"), "W") is None


@st.composite
def segment_frames(draw):
    """Responses with integer, text, nullable and float segments and dates with gaps."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n = draw(st.integers(1, 400))
    frame = pd.DataFrame({"ltr": rng.integers(0, 11, n).astype(float)})
    frame.loc[rng.random(n) < 0.1, "ltr"] = np.nan
    lo = draw(st.sampled_from([0, -3, 10**6, -(2**40)]))
    dtype = draw(st.sampled_from(["int64", "int32", "uint16", "int8", "Int64", "float64"]))
    frame["branch"] = pd.Series(lo + rng.integers(0, draw(st.integers(1, 50)), n)).astype(
        dtype if lo == 0 else "int64")
    if str(frame["branch"].dtype) in ("Int64", "float64"):
        frame.loc[rng.random(n) < 0.1, "branch"] = np.nan
    frame["region"] = rng.choice(["north", "south", None], n)
    span = draw(st.sampled_from([3, 200, 5000]))
    frame["date"] = pd.Timestamp("1969-11-20") + pd.to_timedelta(
        rng.integers(0, span * 86_400, n), unit="s")
    frame.loc[rng.random(n) < draw(st.sampled_from([0.0, 0.1])), "date"] = pd.NaT
    return frame


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frame=segment_frames(), by=st.sampled_from([["branch"], ["region"],
                                                   ["region", "branch"], ["branch", "region"]]),
       freq=st.sampled_from(["D", "W", "M", "Q", "Y"]))
def test_dense_slots_give_the_pandas_groupby_tables(frame, by, freq):
    """nps_by and nps_trend through dense slots equal the same calls grouped by pandas
    (forced by allowing no slot), table for table, warnings included."""
    import warnings

    import cxkit._tally as tally
    from cxkit.nps import nps_by, nps_trend

    def run():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                by_table = nps_by(frame, "ltr", by, min_n=1)
            except ValueError as exc:
                by_table = str(exc)
            try:
                trend = nps_trend(frame, "ltr", "date", freq=freq, by=by[:1], min_n=1)
            except ValueError as exc:
                trend = str(exc)
        return by_table, trend, sorted(str(w.message) for w in caught)

    fast = run()
    saved = tally.MAX_SLOTS
    tally.MAX_SLOTS = 0
    try:
        general = run()
    finally:
        tally.MAX_SLOTS = saved
    for got, expected in zip(fast[:2], general[:2], strict=True):
        if isinstance(expected, str):
            assert got == expected
        else:
            pd.testing.assert_frame_equal(got, expected)
    assert fast[2] == general[2]
