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

Its interface, the seam where other engines (DuckDB, Spark) plug in:

* :func:`point_counts` — counts per scale point and the missing count (``nps``,
  ``compare_nps``);
* :func:`category_codes` — the NPS category of each row, for grouped counts;
* :func:`group_slots` — each row's group as a dense slot (integer keys and periods by
  arithmetic, other keys grouped by pandas once), so that counts per group × category
  are one ``bincount`` (``nps_by``, ``nps_trend``);
* :func:`period_numbers` / :func:`period_starts` — hours, days, weeks, months, quarters
  and years from the datetime64 values, without ``to_period`` per row;
* :func:`pairwise_moments` — range, answer counts and pairwise-complete sums, sums of
  squares and cross-products of item columns in one pass over row blocks (the
  reliability estimators).

This module is private.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

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


class _Refused(Exception):
    """A value only the general path may judge (a fraction, an infinity, out of range)."""


def _float_chunks(values: np.ndarray, lo: int, hi: int):
    """Per cache-sized chunk of floats: ``(start, codes, missing)``, ``codes`` the values
    minus ``lo`` as intp (0 where missing) and ``missing`` the NaN mask or None. One cast
    finds NaN and fractions; raises :class:`_Refused` on anything the general path must
    word."""
    for start in range(0, values.size, FLOAT_CHUNK):
        chunk = values[start:start + FLOAT_CHUNK]
        with np.errstate(invalid="ignore"):  # NaN and ±inf cast to garbage, caught below
            codes = chunk.astype(np.intp)
        whole = codes == chunk
        missing = None
        if not whole.all():
            missing = ~whole
            if not np.isnan(chunk[missing]).all():  # a fraction or an infinity
                raise _Refused
            codes[missing] = lo
        if codes.min() < lo or codes.max() > hi:
            raise _Refused
        if lo:
            codes -= lo
        yield start, codes, missing


def _float_counts(values: np.ndarray, lo: int, hi: int) -> tuple[np.ndarray, int] | None:
    size = hi - lo + 1
    counts = np.zeros(size, dtype=np.int64)
    n_missing = 0
    try:
        for _, codes, missing in _float_chunks(values, lo, hi):
            per_point = np.bincount(codes, minlength=size)
            if missing is not None:
                k = int(np.count_nonzero(missing))
                per_point[0] -= k
                n_missing += k
            counts += per_point
    except _Refused:
        return None
    if n_missing == values.size:
        return None  # nothing valid: the general path says so
    return counts, n_missing


def _object_counts(values: np.ndarray, lo: int, hi: int) -> tuple[np.ndarray, int] | None:
    """Python numbers in an object column: integers counted as int64 (no float copy),
    other numbers through one vectorised float conversion."""
    import pandas as pd

    kind = pd.api.types.infer_dtype(values, skipna=True)
    if kind == "integer":
        try:  # no missing value: one conversion (pd.isna on objects costs more than it)
            return _integer_counts(np.asarray(values, dtype=np.int64), None, lo, hi)
        except (OverflowError, TypeError, ValueError):  # None/NaN/pd.NA, beyond int64
            pass
    floats = _objects_as_floats(values, kind)
    return None if floats is None else _float_counts(floats, lo, hi)


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


def _objects_as_floats(values: np.ndarray, kind: str | None = None) -> np.ndarray | None:
    """Python numbers in an object column as float64 (NaN where missing), in one step."""
    import pandas as pd

    if kind is None:
        kind = pd.api.types.infer_dtype(values, skipna=True)
    if kind not in ("integer", "floating", "mixed-integer-float"):
        return None
    try:  # None and NaN convert to NaN directly
        return np.asarray(values, dtype=np.float64)
    except (OverflowError, TypeError, ValueError):  # pd.NA, pd.NaT and the like
        pass
    try:
        return np.asarray(np.where(pd.isna(values), np.nan, values), dtype=np.float64)
    except (OverflowError, TypeError, ValueError):
        return None


def _float_codes(values, lo, hi, lut):
    if values.size == 0:
        return None
    out = np.empty(values.size, dtype=np.int8)
    try:
        for start, codes, missing in _float_chunks(values, lo, hi):
            if missing is not None:
                codes[missing] = len(lut) - 1  # the -1 slot
            out[start:start + FLOAT_CHUNK] = lut[codes]
    except _Refused:
        return None
    return out


#: Ticks per day of each datetime64 unit. :func:`period_numbers` computes hours, days and
#: weeks by integer division of the stamps, and months, quarters and years through a
#: lookup table indexed by day (one numpy calendar conversion per distinct day, not per
#: row: numpy's month cast on every row measured slower than pandas' ``to_period``).
_TICKS_PER_DAY = {"s": 86_400, "ms": 86_400_000, "us": 86_400_000_000,
                  "ns": 86_400_000_000_000}
#: The period aliases :func:`period_numbers` computes (pandas' default anchors).
PERIOD_ALIASES = ("h", "D", "W", "M", "Q", "Y")
#: The widest span of days the month/quarter/year lookup table covers (about 5,700 years).
MAX_LOOKUP_DAYS = 1 << 21


class Periods(NamedTuple):
    """Stamps as consecutive period numbers (see :func:`period_numbers`)."""

    numbers: np.ndarray  #: int64 period number per stamp (arbitrary where ``missing``)
    missing: np.ndarray | None  #: True where the stamp is NaT; None when none is
    first: int  #: the smallest period number of a present stamp
    last: int  #: the largest
    freq: str
    dtype: Any  #: the dtype of ``to_period(freq).dt.start_time``

    def starts(self, numbers: np.ndarray) -> np.ndarray:
        """The start time of each period number, as ``to_period(...).start_time``."""
        numbers = np.asarray(numbers, dtype=np.int64)
        if self.freq in ("h", "D", "W"):
            hours = {"h": 1, "D": 24, "W": 24 * 7}[self.freq]
            offset = -3 * 24 if self.freq == "W" else 0  # week 0 starts Monday 1969-12-29
            values = (numbers * hours + offset).astype("datetime64[h]")
        elif self.freq == "M":
            values = numbers.astype("datetime64[M]")
        elif self.freq == "Q":
            values = (numbers * 3).astype("datetime64[M]")
        else:
            values = numbers.astype("datetime64[Y]")
        return values.astype(self.dtype)

    def per_row(self) -> np.ndarray:
        """Each stamp's period start (NaT where the stamp is missing)."""
        lookup = self.starts(np.arange(self.first, self.last + 1))
        starts = lookup[self.numbers - self.first]
        if self.missing is not None:
            starts[self.missing] = np.datetime64("NaT")
        return starts


def period_numbers(stamps: Any, freq: str) -> Periods | None:
    """Each stamp's period as an integer (consecutive periods, consecutive numbers), by
    integer arithmetic on the datetime64 values, or ``None`` when the caller should use
    ``to_period`` (another alias, a time zone, no present stamp, a span beyond
    :data:`MAX_LOOKUP_DAYS`).

    ``freq`` is one of :data:`PERIOD_ALIASES`: ``"W"`` is pandas' default ``W-SUN``
    (Monday to Sunday), ``"Q"`` and ``"Y"`` end in December. Period ``k`` of hours, days,
    weeks, months, quarters and years counts from 1970-01-01 00:00, 1970-01-01, the week
    of Monday 1969-12-29, 1970-01, 1970Q1 and 1970 (negative before).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.Series(pd.to_datetime(["2026-12-03 17:45", "1969-12-31 23:59", None]))
    >>> p = period_numbers(s, "M")
    >>> p.numbers[:2].tolist(), p.missing.tolist()
    ([683, -1], [False, False, True])
    >>> p.starts(p.numbers[:2]).tolist()
    [datetime.datetime(2026, 12, 1, 0, 0), datetime.datetime(1969, 12, 1, 0, 0)]
    """
    import pandas as pd

    dtype = getattr(stamps, "dtype", None)
    if freq not in PERIOD_ALIASES or not isinstance(dtype, np.dtype) or dtype.kind != "M" \
            or not isinstance(stamps, pd.Series):
        return None
    values = stamps.to_numpy()
    per_day = _TICKS_PER_DAY.get(np.datetime_data(values.dtype)[0])
    if per_day is None:
        return None
    ticks = values.view(np.int64)
    missing = np.isnat(values)
    if not missing.any():
        missing = None
    elif missing.all():
        return None
    # floor division rounds toward the past, before 1970 too; NaT (the smallest int64)
    # gives a number that is replaced below
    if freq == "h":
        numbers = ticks // (per_day // 24)
    else:
        numbers = ticks // per_day  # days since 1970-01-01
        if freq == "W":  # 1970-01-01 was a Thursday: its week began 3 days before
            numbers += 3
            numbers //= 7
    if missing is not None:
        numbers[missing] = numbers[np.argmin(missing)]  # a present stamp's number
    first, last = int(numbers.min()), int(numbers.max())
    if freq in ("M", "Q", "Y"):
        if last - first >= MAX_LOOKUP_DAYS:
            return None
        days = np.arange(first, last + 1).astype("datetime64[D]")
        if freq == "Y":
            lookup = days.astype("datetime64[Y]").view(np.int64)
        else:
            lookup = days.astype("datetime64[M]").view(np.int64)
            if freq == "Q":
                lookup = lookup // 3
        numbers -= first
        numbers = lookup[numbers]
        first, last = int(lookup[0]), int(lookup[-1])
    sample = stamps.iloc[:1].dt.to_period(freq).dt.start_time  # the dtype pandas gives
    return Periods(numbers, missing, first, last, freq, sample.dtype)


def period_starts(stamps: Any, freq: str) -> Any:
    """Start of each stamp's period, as ``stamps.dt.to_period(freq).dt.start_time`` gives
    it, from :func:`period_numbers` (no Period object per row); ``None`` when that steps
    aside. Missing stamps stay NaT.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.Series(pd.to_datetime(["2026-12-03 17:45", "2026-11-29 00:00", None]))
    >>> period_starts(s, "W").tolist()
    [Timestamp('2026-11-30 00:00:00'), Timestamp('2026-11-23 00:00:00'), NaT]
    """
    import pandas as pd

    periods = period_numbers(stamps, freq)
    if periods is None:
        if freq in PERIOD_ALIASES and len(stamps) and bool(stamps.isna().all()) and \
                getattr(stamps.dtype, "kind", "") == "M":
            return stamps.dt.to_period(freq).dt.start_time  # all NaT: nothing to compute
        return None
    return pd.Series(periods.per_row(), index=stamps.index, name=stamps.name)


#: The most slots (group combinations) :func:`group_slots` lays out densely; beyond it,
#: or beyond four slots per row, the caller groups with pandas.
MAX_SLOTS = 1 << 20


class Slots(NamedTuple):
    """Rows mapped to dense group slots (see :func:`group_slots`)."""

    ids: np.ndarray  #: int64 slot per row, in ``[0, size)``
    size: int  #: the number of slots; some may hold no row
    parts: list  #: per key run: (DataFrame of the run's labels, its number of slots)

    def labels(self, slots: np.ndarray) -> Any:
        """The key columns of the given slots, in the order of the keys."""
        import pandas as pd

        slots = np.asarray(slots, dtype=np.int64)
        columns, stride = [], self.size
        for labels, count in self.parts:
            stride //= count
            columns.append(labels.take((slots // stride) % count).reset_index(drop=True))
        return pd.concat(columns, axis=1)


def group_slots(frame: Any, keys: list, periods: dict | None = None) -> Slots | None:
    """Each row's group as a dense slot number, ordered as ``groupby(keys, sort=True,
    dropna=False)`` orders the groups, or ``None`` when the slots would be too many.

    Numpy integer key columns map arithmetically (value − min); a key named in
    ``periods`` uses its :class:`Periods` numbers, with missing times in a last slot;
    each run of other keys is grouped together by pandas (``ngroup``). The slot of a row
    combines the parts lexicographically, so sorting slots sorts the groups as pandas
    does. Slots without rows exist (the caller drops them from its counts); there are at
    most :data:`MAX_SLOTS` and four per row.
    """
    import pandas as pd

    periods = periods or {}
    parts, ids_parts, size, pending = [], [], 1, []
    limit = min(MAX_SLOTS, 4 * max(len(frame), 1))

    def flush() -> bool:
        nonlocal size
        if not pending:
            return True
        grouped = frame.groupby(list(pending), observed=True, dropna=False, sort=True)
        try:
            ids_parts.append(grouped.ngroup().to_numpy().astype(np.int64, copy=False))
        except TypeError:  # unhashable or unorderable labels: the caller words the error
            return False
        labels = grouped.size().index.to_frame(index=False)
        parts.append((labels, len(labels)))
        size *= max(len(labels), 1)
        pending.clear()
        return size <= limit

    for key in keys:
        column = None if key in periods else frame[key]
        if not isinstance(key, str) or not (column is None or isinstance(column, pd.Series)):
            pending.append(key)  # labels pandas handles best (tuples, duplicates)
            continue
        if key in periods:
            p = periods[key]
            count = p.last - p.first + 1 + (p.missing is not None)
            ids = p.numbers - p.first
            if p.missing is not None:
                ids[p.missing] = count - 1
            labels = p.starts(np.arange(p.first, p.last + 1))
            if p.missing is not None:
                labels = np.append(labels, np.array(["NaT"], dtype=labels.dtype))
        elif isinstance(column.dtype, np.dtype) and column.dtype.kind in "iu" and len(column):
            values = column.to_numpy()
            lo, hi = int(values.min()), int(values.max())
            count = hi - lo + 1
            if count > limit:
                pending.append(key)
                continue
            ids = values.astype(np.int64)
            ids -= lo
            labels = np.arange(lo, hi + 1).astype(values.dtype)
        else:
            pending.append(key)
            continue
        if not flush() or size * count > limit:
            return None
        size *= count
        ids_parts.append(ids)
        parts.append((pd.DataFrame({key: labels}), count))
    if not flush():
        return None
    slot = ids_parts[0] if ids_parts[0].flags.writeable else ids_parts[0].copy()
    for ids, (_, count) in zip(ids_parts[1:], parts[1:], strict=True):
        slot = slot * count + ids
    return Slots(slot, size, parts)


#: Values per block of rows in :func:`pairwise_moments` (cache-sized; measured).
ROW_BLOCK = 1 << 16


@dataclass(frozen=True)
class PairwiseMoments:
    """What one pass over the rows of the items gives (see :func:`pairwise_moments`)."""

    lows: np.ndarray  # per item: smallest answer (±inf kept; NaN: no answer)
    highs: np.ndarray  # largest answer
    n_obs: np.ndarray  # answers per item (int64)
    any_missing: bool
    empty: np.ndarray | None  # rows answering no item (None: no missing answer)
    incomplete: np.ndarray | None  # rows missing some answer (None: no missing answer)
    pair_n: np.ndarray | None  # k × k rows answering both items (None: products=False)
    s: np.ndarray | None  # s[i, j]: Σ (x_i − shift_i) over the rows answering i and j
    q: np.ndarray | None  # q[i, j]: Σ (x_i − shift_i)² over those rows
    c: np.ndarray | None  # c[i, j]: Σ (x_i − shift_i)(x_j − shift_j) over those rows
    shift: np.ndarray  # close to the means: keeps the sums' subtractions stable


def pairwise_moments(x: np.ndarray, *, products: bool = True) -> PairwiseMoments:
    """Range, answers and pairwise-complete sums of the items in one pass over the rows.

    Rows go in blocks of ``ROW_BLOCK`` values, so that a block's temporaries stay in
    cache, and BLAS runs on one thread (many small products; see
    :func:`cxkit._factor.one_blas_thread`). With Z the responses minus a shift (0 where
    missing) and M the 0/1 matrix of answers, a block adds MᵀM (pairwise n), ZᵀM (sums),
    (Z∘Z)ᵀM (sums of squares) and ZᵀZ (cross-products), the first three as one product
    [Z, Z∘Z, M]ᵀM. A block without a missing answer (found by the NaN its column minima
    then hold) adds only ZᵀZ and column sums: that is all complete data cost. The shift
    is the midrange of the first block (per item), so the differences of
    :func:`cxkit.reliability._cov_corr` do not cancel; ``products=False`` only scans
    (range, answers, rows).
    """
    from cxkit._factor import one_blas_thread

    n, k = x.shape
    step = max(1, ROW_BLOCK // k)
    lows, highs = np.full(k, np.inf), np.full(k, -np.inf)
    shift = _shift(x, step)
    c = np.zeros((k, k))
    sums3 = np.zeros((3 * k, k))  # [ZᵀM; (Z∘Z)ᵀM; MᵀM] of the blocks with missing answers
    col_s, col_q, n_full = np.zeros(k), np.zeros(k), 0  # the complete blocks' share
    n_missing = np.zeros(k, dtype=np.int64)
    empty = incomplete = None
    work = np.empty((min(step, n), 3 * k), order="F")  # [Z, Z∘Z, M] of a block
    holes = np.empty((min(step, n), k), dtype=bool, order="F")
    with one_blas_thread(), np.errstate(invalid="ignore", over="ignore"):
        for start in range(0, n, step):
            xb = x[start:start + step]
            b = xb.shape[0]
            w, miss = work[:b], holes[:b]
            z = w[:, :k]
            lo, hi = np.minimum.reduce(xb, axis=0), np.maximum.reduce(xb, axis=0)
            if not np.isnan(lo).any():  # no missing answer in this block
                np.minimum(lows, lo, out=lows)
                np.maximum(highs, hi, out=highs)
                if products:
                    np.subtract(xb, shift, out=z)
                    block = z.T @ z
                    c += block
                    col_s += z.sum(axis=0)
                    col_q += np.diag(block)
                    n_full += b
                continue
            np.fmin(lows, np.fmin.reduce(xb, axis=0), out=lows)
            np.fmax(highs, np.fmax.reduce(xb, axis=0), out=highs)
            np.isnan(xb, out=miss)
            if empty is None:
                empty, incomplete = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
            empty[start:start + b] = miss.all(axis=1)
            incomplete[start:start + b] = miss.any(axis=1)
            n_missing += miss.sum(axis=0)
            if products:
                np.subtract(xb, shift, out=z)
                np.copyto(z, 0.0, where=miss)
                np.multiply(z, z, out=w[:, k:2 * k])
                np.logical_not(miss, out=w[:, 2 * k:])
                sums3 += w.T @ w[:, 2 * k:]
                c += z.T @ z
    any_missing = empty is not None
    n_obs = n - n_missing
    if not products:
        return PairwiseMoments(lows, highs, n_obs, any_missing, empty, incomplete, None, None,
                        None, None, shift)
    return PairwiseMoments(lows, highs, n_obs, any_missing, empty, incomplete,
                    sums3[2 * k:] + n_full, sums3[:k] + col_s[:, None],
                    sums3[k:2 * k] + col_q[:, None], c, shift)


def _shift(x: np.ndarray, step: int) -> np.ndarray:
    """Per item, the midrange of the first block's answers (else the first answer, or 0)."""
    if x.shape[0] == 0:
        return np.zeros(x.shape[1])
    with np.errstate(invalid="ignore"):
        first = x[:step]
        shift = (np.fmin.reduce(first, axis=0) + np.fmax.reduce(first, axis=0)) / 2
    for j in np.flatnonzero(~np.isfinite(shift)):  # no finite answer in the first block
        finite = np.flatnonzero(np.isfinite(x[:, j]))
        shift[j] = x[finite[0], j] if finite.size else 0.0
    return shift
