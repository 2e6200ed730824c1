"""The tally layer: raw score columns to counts per scale point, with dtype fast paths.

Every count cxkit's NPS rests on is a tally of whole scale points. :func:`point_counts`
computes it without the float64 copy, NaN checks and whole-number checks that integer
and categorical columns cannot fail:

* numpy integer arrays and Series (int8 … uint64): one min/max for the range check, then
  ``np.bincount`` over chunks of 2²⁰ values, so int8 input costs 8 MB of scratch, not an
  int64 or float64 copy of the column;
* pandas nullable integers (``Int64`` …): the same on the values the mask keeps;
* Categorical columns: one ``bincount`` of the codes, mapped through the categories once;
* float columns: per cache-sized chunk, one cast to integers that also finds NaN and
  fractions (a fraction or an infinity steps aside to the general path), then bincount;
* object columns of Python numbers: typed once (``pandas.api.types.infer_dtype``) and
  converted in one vectorised step, then counted as integers or floats.

Anything else, or any value that would be an error (out of range, not a whole number,
no valid value at all), returns ``None``: the caller then takes its general path, which
validates value by value and words the error. A fast path therefore never changes a
count or a message; ``tests/test_tally.py`` checks the counts are identical to the
general path's on random data of every dtype.

This module is private; it is the seam where other engines (DuckDB, Spark) plug in.
"""

from __future__ import annotations

from typing import Any

import numpy as np

#: Values per ``np.bincount`` call (bincount works on an intp copy of its input).
CHUNK = 1 << 20
#: Floats per chunk: small enough that the chunk's passes stay in cache (measured).
FLOAT_CHUNK = 1 << 16


def point_counts(values: Any, lo: int, hi: int) -> tuple[np.ndarray, int] | None:
    """``(counts of lo..hi, n_missing)`` by a fast path, or ``None`` for the general path.

    Parameters
    ----------
    values : numpy array, pandas Series or pandas array
        One column of scores.
    lo, hi : int
        The scale; every valid score must be a whole number in ``[lo, hi]``.

    Returns
    -------
    tuple or None
        ``counts`` (int64, length ``hi - lo + 1``) and the number of missing values; or
        ``None`` when no fast path applies or the data would raise an error.

    Examples
    --------
    >>> point_counts(np.array([0, 10, 10, 7], dtype=np.int8), 0, 10)
    (array([1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 2]), 0)
    >>> point_counts(np.array([0.5, 10.0]), 0, 10) is None  # a fraction: the general path
    True
    """
    array, mask = _integer_values(values)
    if array is not None:
        return _integer_counts(array, mask, lo, hi)
    if _is_categorical(values):
        return _categorical_counts(values, lo, hi)
    floats = _float_values(values)
    if floats is not None:
        return _float_counts(floats, lo, hi)
    if _object_values(values) is not None:
        return _object_counts(_object_values(values), lo, hi)
    return None


def _float_values(values: Any) -> np.ndarray | None:
    """The float64/float32 data of a numpy array or a numpy-backed Series, no copy."""
    dtype = getattr(values, "dtype", None)
    if not isinstance(dtype, np.dtype) or dtype.kind != "f" or getattr(values, "ndim", 1) != 1:
        return None
    if isinstance(values, np.ndarray):
        return values
    return np.asarray(values.array) if hasattr(values, "array") else None


def _object_values(values: Any) -> np.ndarray | None:
    dtype = getattr(values, "dtype", None)
    if not isinstance(dtype, np.dtype) or dtype.kind != "O" or getattr(values, "ndim", 1) != 1:
        return None
    return values if isinstance(values, np.ndarray) else np.asarray(values.array)


def _float_counts(values: np.ndarray, lo: int, hi: int) -> tuple[np.ndarray, int] | None:
    """One pass per cache-sized chunk: cast, whole-number check, NaN out, bincount."""
    size = hi - lo + 1
    counts = np.zeros(size, dtype=np.int64)
    n_missing = 0
    with np.errstate(invalid="ignore"):  # NaN and ±inf cast to garbage, then caught
        for start in range(0, values.size, FLOAT_CHUNK):
            chunk = values[start:start + FLOAT_CHUNK]
            codes = chunk.astype(np.intp)
            whole = codes == chunk
            k = chunk.size - int(np.count_nonzero(whole))
            if k:
                off = ~whole
                if not np.isnan(chunk[off]).all():  # a fraction or an infinity: an error
                    return None
                codes[off] = lo
            if codes.min() < lo or codes.max() > hi:
                return None
            if lo:
                codes -= lo
            per_point = np.bincount(codes, minlength=size)
            per_point[0] -= k
            counts += per_point
            n_missing += k
    if n_missing == values.size:
        return None  # nothing valid: the general path says so
    return counts, n_missing


def _object_counts(values: np.ndarray, lo: int, hi: int) -> tuple[np.ndarray, int] | None:
    """Python numbers in an object column, converted in one vectorised step."""
    import pandas as pd

    kind = pd.api.types.infer_dtype(values, skipna=True)
    try:
        if kind == "integer":
            mask = pd.isna(values)
            n_missing = int(np.count_nonzero(mask))
            kept = values[~mask] if n_missing else values
            return _with_missing(_integer_counts(np.asarray(kept, dtype=np.int64), None, lo,
                                                 hi), n_missing)
        if kind in ("floating", "mixed-integer-float"):
            mask = pd.isna(values)
            floats = np.asarray(np.where(mask, np.nan, values), dtype=np.float64)
            return _float_counts(floats, lo, hi)
    except (OverflowError, TypeError, ValueError):  # ints beyond int64, odd objects
        return None
    return None


def _with_missing(result, n_missing: int):
    return None if result is None else (result[0], result[1] + n_missing)


def _integer_values(values: Any) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The integer data (and the missing mask of a nullable array) without a copy."""
    if isinstance(values, np.ndarray):
        ok = values.ndim == 1 and values.dtype.kind in "iu"
        return (values, None) if ok else (None, None)
    dtype = getattr(values, "dtype", None)
    if dtype is None or not hasattr(values, "array"):
        return None, None
    if isinstance(dtype, np.dtype):
        ok = dtype.kind in "iu" and getattr(values, "ndim", 1) == 1
        return (np.asarray(values.array), None) if ok else (None, None)
    array = values.array
    data, mask = getattr(array, "_data", None), getattr(array, "_mask", None)
    if isinstance(data, np.ndarray) and isinstance(mask, np.ndarray) and \
            data.dtype.kind in "iu" and type(array).__name__ == "IntegerArray":
        return data, mask
    return None, None


def _integer_counts(array: np.ndarray, mask: np.ndarray | None, lo: int,
                    hi: int) -> tuple[np.ndarray, int] | None:
    n_missing = 0 if mask is None else int(np.count_nonzero(mask))
    valid = array if not n_missing else array[~mask]
    if valid.size == 0 or valid.min() < lo or valid.max() > hi:
        return None
    size = hi - lo + 1
    counts = np.zeros(size, dtype=np.int64)
    for start in range(0, valid.size, CHUNK):
        chunk = valid[start:start + CHUNK]
        if lo:
            chunk = chunk - np.asarray(lo, dtype=chunk.dtype)  # within [0, hi - lo]
        counts += np.bincount(chunk, minlength=size)
    return counts, n_missing


def _is_categorical(values: Any) -> bool:
    return type(getattr(values, "dtype", None)).__name__ == "CategoricalDtype" and \
        hasattr(values, "cat")


def _categorical_counts(values: Any, lo: int, hi: int) -> tuple[np.ndarray, int] | None:
    categories = values.cat.categories
    if categories.dtype.kind not in "iuf":
        return None
    points = categories.to_numpy(dtype=np.float64)
    codes = values.cat.codes.to_numpy()
    per_code = np.bincount(codes.astype(np.intp) + 1, minlength=len(points) + 1)
    n_missing, per_category = int(per_code[0]), per_code[1:]
    used = per_category > 0
    if not used.any():
        return None
    used_points = points[used]
    if not (np.isfinite(used_points).all() and (used_points == np.floor(used_points)).all()
            and used_points.min() >= lo and used_points.max() <= hi):
        return None
    counts = np.zeros(hi - lo + 1, dtype=np.int64)
    np.add.at(counts, (used_points - lo).astype(np.intp), per_category[used])
    return counts, n_missing


def category_codes(values: Any, lo: int, hi: int, detractor_max: int,
                   promoter_min: int) -> np.ndarray | None:
    """NPS category of each row (0 detractor, 1 passive, 2 promoter, -1 missing) as int8,
    by a fast path; ``None`` for the general path (no fast path, or an invalid value).

    Examples
    --------
    >>> category_codes(np.array([0, 7, 9, 10]), 0, 10, 6, 9)
    array([0, 1, 2, 2], dtype=int8)
    """
    points = np.arange(lo, hi + 1)
    lut = np.where(points <= detractor_max, 0, np.where(points >= promoter_min, 2, 1))
    lut = np.append(lut, -1).astype(np.int8)  # index -1 (a missing row) maps to -1
    array, mask = _integer_values(values)
    if array is not None:
        return _integer_codes(array, mask, lo, hi, lut)
    if _is_categorical(values):
        return _categorical_codes(values, lo, hi, lut)
    floats = _float_values(values)
    if floats is None:
        objects = _object_values(values)
        floats = None if objects is None else _objects_as_floats(objects)
    if floats is not None:
        return _float_codes(floats, lo, hi, lut)
    return None


def _integer_codes(array, mask, lo, hi, lut):
    if array.size == 0:
        return None
    valid = array if mask is None or not mask.any() else array[~mask]
    if valid.size and (valid.min() < lo or valid.max() > hi):
        return None
    out = np.empty(array.size, dtype=np.int8)
    for start in range(0, array.size, CHUNK):
        chunk = array[start:start + CHUNK].astype(np.intp)
        if mask is not None:
            chunk[mask[start:start + CHUNK]] = lo + len(lut) - 1  # the -1 slot
        out[start:start + CHUNK] = lut[chunk - lo]
    return out


def _categorical_codes(values, lo, hi, lut):
    categories = values.cat.categories
    if categories.dtype.kind not in "iuf":
        return None
    points = categories.to_numpy(dtype=np.float64)
    codes = values.cat.codes.to_numpy()
    used = np.bincount(codes.astype(np.intp) + 1, minlength=len(points) + 1)[1:] > 0
    used_points = points[used]
    if used_points.size and not (
            np.isfinite(used_points).all() and (used_points == np.floor(used_points)).all()
            and used_points.min() >= lo and used_points.max() <= hi):
        return None
    per_category = np.full(len(points) + 1, -1, dtype=np.int8)  # last slot: missing
    per_category[:-1][used] = lut[(used_points - lo).astype(np.intp)]
    return per_category[codes]


def _objects_as_floats(values: np.ndarray) -> np.ndarray | None:
    import pandas as pd

    if pd.api.types.infer_dtype(values, skipna=True) not in (
            "integer", "floating", "mixed-integer-float"):
        return None
    try:
        return np.asarray(np.where(pd.isna(values), np.nan, values), dtype=np.float64)
    except (OverflowError, TypeError, ValueError):
        return None


def _float_codes(values, lo, hi, lut):
    if values.size == 0:
        return None
    out = np.empty(values.size, dtype=np.int8)
    missing_slot = len(lut) - 1
    with np.errstate(invalid="ignore"):
        for start in range(0, values.size, FLOAT_CHUNK):
            chunk = values[start:start + FLOAT_CHUNK]
            codes = chunk.astype(np.intp)
            whole = codes == chunk
            if not whole.all():
                off = ~whole
                if not np.isnan(chunk[off]).all():
                    return None
                codes[off] = lo
            if codes.min() < lo or codes.max() > hi:
                return None
            codes -= lo
            if not whole.all():
                codes[off] = missing_slot
            out[start:start + FLOAT_CHUNK] = lut[codes]
    return out


#: Ticks per hour of each datetime64 unit; the period aliases computed arithmetically by
#: :func:`period_starts` are hours, days and weeks. Months, quarters and years stay with
#: ``to_period``: numpy's month conversion measured slower than pandas' (663 vs 432 ms
#: for 10⁷ stamps).
_TICKS_PER_HOUR = {"s": 3_600, "ms": 3_600_000, "us": 3_600_000_000,
                   "ns": 3_600_000_000_000}
_HOURS = {"h": 1, "D": 24, "W": 24}


def period_starts(stamps: Any, freq: str) -> Any:
    """Start of each stamp's period, as ``stamps.dt.to_period(freq).dt.start_time`` gives
    it, computed on the datetime64 values (no Period object per row) for ``"h"``, ``"D"``
    and ``"W"``; ``None`` otherwise (other aliases, time zones), and the caller uses
    ``to_period``.

    Weeks are pandas' default ``W`` (= ``W-SUN``: Monday to Sunday). Missing stamps stay
    NaT.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.Series(pd.to_datetime(["2026-12-03 17:45", "2026-11-29 00:00", None]))
    >>> period_starts(s, "W").tolist()
    [Timestamp('2026-11-30 00:00:00'), Timestamp('2026-11-23 00:00:00'), NaT]
    """
    import pandas as pd

    hours = _HOURS.get(freq) if isinstance(freq, str) else None
    dtype = getattr(stamps, "dtype", None)
    if hours is None or not isinstance(dtype, np.dtype) or dtype.kind != "M" or \
            not isinstance(stamps, pd.Series):
        return None
    values = stamps.to_numpy()
    per_hour = _TICKS_PER_HOUR.get(np.datetime_data(values.dtype)[0])
    if per_hour is None:
        return None
    sample = stamps.iloc[:1].dt.to_period(freq).dt.start_time  # the dtype pandas gives
    # integer arithmetic on the stamps' own unit: floor to the hour or day (toward the
    # past, before 1970 too); 1970-01-01 was a Thursday, so its week began 3 days before
    step = per_hour * hours
    starts = values.view(np.int64) // step
    if freq == "W":
        starts -= (starts + 3) % 7
    starts *= step
    starts[np.isnat(values)] = np.iinfo(np.int64).min  # NaT
    floored = starts.view(values.dtype)
    return pd.Series(floored.astype(sample.dtype, copy=False), index=stamps.index,
                     name=stamps.name)
