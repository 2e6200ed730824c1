"""Shared input checks with clear error messages.

Every public function checks one kind of input and either returns the cleaned value
or raises:

* ``TypeError`` when the *type* is wrong (text where numbers are expected, a
  ``RandomState`` where a ``Generator`` is expected),
* ``ValueError`` when the type is right but the *value* is not (``confidence_level=95``,
  a score of 11 on a 0–10 scale, an unknown column).

Messages follow one pattern: the argument in backticks, what was expected, what was
found, and up to three example offending values::

    `score` column 'q1' has 3 values outside 0–10 (e.g. 11, -1); clean or pass scale=...

Callers reassign the result, so later code only ever sees clean values::

    confidence_level = check_confidence_level(confidence_level)
    rng = check_rng(rng)
    frame = numeric_frame(data, columns, "columns")

Only the standard library and numpy are imported here. pandas is never imported by this
module: a value can only be a pandas object if pandas is already in ``sys.modules``.
"""

from __future__ import annotations

import contextlib
import decimal
import difflib
import math
import numbers
import sys
import warnings
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sized
from typing import Any

import numpy as np

__all__ = [
    "as_float_array",
    "check_choice",
    "check_columns",
    "check_confidence_level",
    "check_counts",
    "check_dataframe",
    "check_in_range",
    "check_integer_valued",
    "check_not_empty",
    "check_positive_int",
    "check_probability",
    "check_real",
    "check_rng",
    "check_scale",
    "check_string",
    "count_missing",
    "numeric_frame",
    "warn",
]

_MAX_EXAMPLES = 3  # offending values quoted in a message
_MAX_LISTED = 10  # names listed before "… and N more"
_REAL_TYPES = (numbers.Real, decimal.Decimal)
_MISSING_HINT = "expected numbers, with NaN/None/pd.NA for missing values"


# --------------------------------------------------------------------------------------
# Message helpers (private)
# --------------------------------------------------------------------------------------


def _pandas():
    """The pandas module if it is already imported, else None (never imports it)."""
    return sys.modules.get("pandas")


def _is_dataframe(obj: Any) -> bool:
    pd = _pandas()
    return pd is not None and isinstance(obj, pd.DataFrame)


def _is_series(obj: Any) -> bool:
    pd = _pandas()
    return pd is not None and isinstance(obj, pd.Series)


def _is_pandas_1d(obj: Any) -> bool:
    """Series, Index or extension array (pandas.array(...))."""
    pd = _pandas()
    return pd is not None and isinstance(
        obj, (pd.Series, pd.Index, pd.api.extensions.ExtensionArray))


def _is_bool(value: Any) -> bool:
    return isinstance(value, (bool, np.bool_))


def _typename(obj: Any) -> str:
    """``int``, ``str``, ``numpy.ndarray``, ``pandas.DataFrame``, …"""
    cls = type(obj)
    module = cls.__module__.split(".")[0]
    return cls.__qualname__ if module == "builtins" else f"{module}.{cls.__qualname__}"


def _fmt_value(value: Any) -> str:
    """A value as quoted in a message: 11 (not 11.0), 'abc', nan, True."""
    if isinstance(value, np.generic) and not isinstance(value, (np.datetime64, np.timedelta64)):
        value = value.item()
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _examples(values: Iterable[Any], limit: int = _MAX_EXAMPLES) -> str:
    """Up to ``limit`` distinct values, in order of appearance, comma-separated."""
    seen: dict[str, None] = {}
    for value in values:
        seen.setdefault(_fmt_value(value), None)
        if len(seen) == limit:
            break
    return ", ".join(seen)


def _list_names(names: Iterable[Any], limit: int = _MAX_LISTED) -> str:
    """'a', 'b', 'c', … and 7 more"""
    names = list(names)
    text = ", ".join(_fmt_value(n) for n in names[:limit])
    if len(names) > limit:
        text += f", … and {len(names) - limit} more"
    return text


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _label(name: str, column: Any = None) -> str:
    """`score` or `score` column 'q1'"""
    return f"`{name}`" if column is None else f"`{name}` column {_fmt_value(column)}"


def _closest(value: Any, choices: Iterable[Any]) -> Any:
    """The choice closest to ``value`` (case-insensitive, difflib), or None."""
    lowered = {str(c).lower(): c for c in choices}
    match = difflib.get_close_matches(str(value).lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[match[0]] if match else None


def _suggest(value: Any, choices: Iterable[Any]) -> str:
    """' (did you mean 'q1'?)' for the closest choice, else ''."""
    match = _closest(value, choices)
    return "" if match is None else f" (did you mean {_fmt_value(match)}?)"


def _is_missing_scalar(value: Any) -> bool:
    """None, NaN, pd.NA, NaT."""
    if value is None:
        return True
    if isinstance(value, (float, np.floating)):
        return value != value
    if isinstance(value, (np.datetime64, np.timedelta64)):
        return bool(np.isnat(value))
    pd = _pandas()
    return pd is not None and (value is pd.NA or value is pd.NaT)


def _unwrap_0d(value: Any) -> Any:
    """A 0-d numpy array becomes its scalar; anything else is returned as is."""
    return value.item() if isinstance(value, np.ndarray) and value.ndim == 0 else value


def _as_real(value: Any, name: str, expected: str, *, allow_nan: bool = False) -> float:
    """float(value) for a real number (bool excluded), else TypeError; NaN → ValueError."""
    value = _unwrap_0d(value)
    # numpy registers timedelta64 as an integer type; it is a duration, not a number
    if _is_bool(value) or not isinstance(value, _REAL_TYPES) or \
            isinstance(value, np.timedelta64):
        raise TypeError(f"`{name}` must be {expected}; got {_typename(value)} {_fmt_value(value)}")
    number = float(value)
    if math.isnan(number) and not allow_nan:
        raise ValueError(f"`{name}` must be {expected}; got nan")
    return number


# --------------------------------------------------------------------------------------
# Scalars
# --------------------------------------------------------------------------------------


def check_real(value: Any, name: str, *, allow_nan: bool = False,
               allow_inf: bool = True) -> float:
    """Check a real number and return it as a Python float.

    Parameters
    ----------
    value : int, float, numpy number or decimal.Decimal
        The number to check. ``bool`` is rejected.
    name : str
        Argument name used in the error message.
    allow_nan, allow_inf : bool
        Whether NaN and ±infinity are acceptable.

    Returns
    -------
    float

    Raises
    ------
    TypeError
        Not a real number.
    ValueError
        NaN or infinite when not allowed.

    Examples
    --------
    >>> check_real(3, "threshold")
    3.0
    >>> check_real("3", "threshold")
    Traceback (most recent call last):
    ...
    TypeError: `threshold` must be a real number; got str '3'
    """
    number = _as_real(value, name, "a real number", allow_nan=allow_nan)
    if math.isinf(number) and not allow_inf:
        raise ValueError(f"`{name}` must be a finite number; got {number}")
    return number


def check_string(value: Any, name: str, *, allow_none: bool = False) -> str | None:
    """Check a non-empty string (or None when ``allow_none``) and return it.

    Examples
    --------
    >>> check_string("feldt", "method")
    'feldt'
    >>> check_string(3, "method")
    Traceback (most recent call last):
    ...
    TypeError: `method` must be a non-empty string; got int 3
    """
    if value is None and allow_none:
        return None
    expected = "a non-empty string" + (" or None" if allow_none else "")
    if not isinstance(value, str):
        raise TypeError(f"`{name}` must be {expected}; got {_typename(value)} {_fmt_value(value)}")
    if not value.strip():
        raise ValueError(f"`{name}` must be {expected}; got {value!r}")
    return str(value)


def check_confidence_level(value: Any, name: str = "confidence_level") -> float:
    """Check a confidence level: a real number strictly between 0 and 1.

    Parameters
    ----------
    value : float
        For example 0.95. Percentages such as 95 are rejected with a hint.
    name : str, default "confidence_level"
        Argument name used in the error message.

    Returns
    -------
    float

    Raises
    ------
    TypeError
        Not a real number (``bool`` and strings included).
    ValueError
        NaN, or not strictly inside (0, 1).

    Examples
    --------
    >>> check_confidence_level(0.9)
    0.9
    >>> check_confidence_level(95)
    Traceback (most recent call last):
    ...
    ValueError: `confidence_level` must be strictly between 0 and 1 (e.g. 0.95); got 95;
    did you mean 0.95?
    """
    expected = "a real number strictly between 0 and 1 (e.g. 0.95)"
    level = _as_real(value, name, expected)
    if not 0.0 < level < 1.0:
        hint = f"; did you mean {level / 100:g}?" if 1.0 < level < 100.0 else ""
        raise ValueError(f"`{name}` must be strictly between 0 and 1 (e.g. 0.95); "
                         f"got {_fmt_value(level)}{hint}")
    return level


def check_scale(value: Any, name: str = "scale", *, example: str = "(1, 5)") -> tuple[float, float]:
    """Check a response scale ``(min, max)`` of finite numbers with min < max.

    Examples
    --------
    >>> check_scale((0, 10))
    (0.0, 10.0)
    >>> check_scale((5, 1), "cx_scale")
    Traceback (most recent call last):
    ...
    ValueError: `cx_scale` must be (min, max) with min < max; got (5, 1)
    """
    if isinstance(value, (str, bytes, Mapping)) or not hasattr(value, "__len__") \
            or len(value) != 2:
        raise TypeError(f"`{name}` must be a pair (min, max), e.g. {example}; got {value!r}")
    lo = check_real(value[0], f"{name}[0]", allow_inf=False)
    hi = check_real(value[1], f"{name}[1]", allow_inf=False)
    if not lo < hi:
        raise ValueError(f"`{name}` must be (min, max) with min < max; got ({lo:g}, {hi:g})")
    return lo, hi


def check_probability(value: Any, name: str, *, open_interval: bool = False) -> float:
    """Check a probability in [0, 1] (or (0, 1) when ``open_interval``).

    Examples
    --------
    >>> check_probability(0, "share")
    0.0
    >>> check_probability(0, "share", open_interval=True)
    Traceback (most recent call last):
    ...
    ValueError: `share` must be a probability strictly between 0 and 1; got 0
    """
    bounds = "strictly between 0 and 1" if open_interval else "between 0 and 1"
    p = _as_real(value, name, f"a probability {bounds}")
    inside = 0.0 < p < 1.0 if open_interval else 0.0 <= p <= 1.0
    if not inside:
        hint = f"; did you mean {p / 100:g}?" if 1.0 < p <= 100.0 else ""
        raise ValueError(f"`{name}` must be a probability {bounds}; got {_fmt_value(p)}{hint}")
    return p


def check_positive_int(value: Any, name: str, *, minimum: int = 1,
                       maximum: int | None = None, why: str = "") -> int:
    """Check a whole number >= ``minimum`` and return it as a Python int.

    Integral floats (``10.0``) are accepted; ``bool``, fractions and values below
    ``minimum`` are not.

    Examples
    --------
    >>> check_positive_int(10.0, "n_boot")
    10
    >>> check_positive_int(2.5, "n_boot")
    Traceback (most recent call last):
    ...
    ValueError: `n_boot` must be an integer >= 1; got 2.5, which is not a whole number
    >>> check_positive_int(-1, "n", minimum=0)
    Traceback (most recent call last):
    ...
    ValueError: `n` must be an integer >= 0; got -1
    """
    expected = f"an integer >= {minimum}"
    value = _unwrap_0d(value)
    if _is_bool(value) or not isinstance(value, _REAL_TYPES) or \
            isinstance(value, np.timedelta64):  # numpy calls it an integer; it is a duration
        raise TypeError(f"`{name}` must be {expected}; got {_typename(value)} {_fmt_value(value)}")
    if isinstance(value, numbers.Integral):
        number = int(value)
    else:
        as_float = float(value)
        if not (math.isfinite(as_float) and as_float.is_integer()):
            raise ValueError(f"`{name}` must be {expected}; got {_fmt_value(value)}, "
                             "which is not a whole number")
        number = int(as_float)
    if number < minimum:
        raise ValueError(f"`{name}` must be {expected}; got {number}")
    if maximum is not None and number > maximum:
        raise ValueError(f"`{name}` must be at most {maximum:,}; got {number:,}"
                         + (f" ({why})" if why else ""))
    return number


def check_choice(value: Any, choices: Iterable[str], name: str) -> str:
    """Check that ``value`` is one of ``choices`` and return the canonical spelling.

    Matching is exact first, then case-insensitive ("Wilson" → "wilson"). An unknown
    value lists the valid choices and suggests the closest one.

    Examples
    --------
    >>> check_choice("Wilson", ["wilson", "wald", "bootstrap"], "method")
    'wilson'
    >>> check_choice("wilsn", ["wilson", "wald", "bootstrap"], "method")
    Traceback (most recent call last):
    ...
    ValueError: `method` must be one of 'wilson', 'wald', 'bootstrap'; got 'wilsn'
    (did you mean 'wilson'?)
    """
    options = [str(c) for c in choices]
    listed = _list_names(options, limit=len(options))
    if not isinstance(value, str):
        raise TypeError(f"`{name}` must be one of {listed}; got {_typename(value)} "
                        f"{_fmt_value(value)}")
    if value in options:
        return str(value)
    folded = [c for c in options if c.lower() == value.strip().lower()]
    if len(folded) == 1:
        return folded[0]
    raise ValueError(f"`{name}` must be one of {listed}; got {value!r}{_suggest(value, options)}")


def check_rng(rng: Any, name: str = "rng") -> np.random.Generator:
    """Turn ``rng`` into a ``numpy.random.Generator``; never uses the global numpy state.

    Parameters
    ----------
    rng : None, int, numpy.random.SeedSequence, numpy.random.BitGenerator or Generator
        None gives a freshly seeded generator (from OS entropy); an int or SeedSequence
        seeds a new one; a Generator is returned as is (so its state advances).
    name : str, default "rng"

    Raises
    ------
    TypeError
        A legacy ``numpy.random.RandomState``, a float, a bool, …
    ValueError
        A negative seed.

    Examples
    --------
    >>> bool(check_rng(42).integers(10) == check_rng(42).integers(10))
    True
    >>> import numpy as np
    >>> check_rng(np.random.RandomState(1))
    Traceback (most recent call last):
    ...
    TypeError: `rng` must be None, an int seed, a numpy.random.SeedSequence or a
    numpy.random.Generator; got numpy.random.RandomState (legacy API); pass
    numpy.random.default_rng(seed) or an int seed instead
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or isinstance(rng, (np.random.SeedSequence, np.random.BitGenerator)):
        return np.random.default_rng(rng)
    expected = ("None, an int seed, a numpy.random.SeedSequence or a "
                "numpy.random.Generator")
    if isinstance(rng, np.random.RandomState):
        raise TypeError(f"`{name}` must be {expected}; got numpy.random.RandomState (legacy "
                        "API); pass numpy.random.default_rng(seed) or an int seed instead")
    if _is_bool(rng) or not isinstance(rng, numbers.Integral) or \
            isinstance(rng, np.timedelta64):  # numpy calls it an integer; it is a duration
        raise TypeError(f"`{name}` must be {expected}; got {_typename(rng)} {_fmt_value(rng)}")
    if rng < 0:
        raise ValueError(f"`{name}` seed must be a non-negative integer; got {int(rng)}")
    return np.random.default_rng(int(rng))


def check_not_empty(n: Any, name: str) -> Any:
    """Check that a count (int) or a sized object has at least one element.

    Returns ``n`` unchanged.

    Examples
    --------
    >>> check_not_empty(12, "score")
    12
    >>> check_not_empty([], "score")
    Traceback (most recent call last):
    ...
    ValueError: `score` has no usable values (n = 0); check for missing values or filters
    that removed every row
    """
    if isinstance(n, numbers.Integral) and not _is_bool(n):
        count = int(n)
    elif isinstance(n, Sized):
        count = len(n)
    else:
        raise TypeError(f"`{name}`: expected a count or a sized collection; "
                        f"got {_typename(n)} {_fmt_value(n)}")
    if count <= 0:
        raise ValueError(f"`{name}` has no usable values (n = {count}); check for missing "
                         "values or filters that removed every row")
    return n


# --------------------------------------------------------------------------------------
# Data frames and columns
# --------------------------------------------------------------------------------------


def check_dataframe(data: Any, name: str = "data") -> Any:
    """Check that ``data`` is a pandas DataFrame and return it.

    Examples
    --------
    >>> import pandas as pd
    >>> check_dataframe(pd.DataFrame({"q1": [1, 2]})).shape
    (2, 1)
    >>> check_dataframe([1, 2])
    Traceback (most recent call last):
    ...
    TypeError: `data` must be a pandas DataFrame; got list
    """
    if _is_dataframe(data):
        return data
    hint = ""
    if _is_series(data):
        hint = "; use series.to_frame() or pass the values directly"
    elif isinstance(data, Mapping):
        hint = "; wrap it with pandas.DataFrame(...)"
    raise TypeError(f"`{name}` must be a pandas DataFrame; got {_typename(data)}{hint}")


def check_columns(data: Any, columns: Any, name: str = "columns", *, min_count: int = 1,
                  data_name: str = "data") -> list[Any]:
    """Check column names against ``data`` and return them as a list.

    Parameters
    ----------
    data : pandas.DataFrame
    columns : str or sequence of str
        One column name or several (a list, tuple or Index; order is kept).
    name : str, default "columns"
        Argument name used in messages.
    min_count : int, default 1
        Fewest columns accepted.
    data_name : str, default "data"
        Name of the data argument, used in messages.

    Returns
    -------
    list of str

    Raises
    ------
    TypeError
        ``data`` is not a DataFrame, or ``columns`` is neither a name nor a sequence.
    ValueError
        Too few names, a name repeated, or names not in ``data`` (listed, with close
        matches and the available columns).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"q1": [1], "q2": [2], "q3": [3]})
    >>> check_columns(df, "q1")
    ['q1']
    >>> check_columns(df, ["q1", "Q2"])
    Traceback (most recent call last):
    ...
    ValueError: `columns` names 1 column not in `data`: 'Q2' (did you mean 'q2'?);
    available columns: 'q1', 'q2', 'q3'
    """
    check_dataframe(data, data_name)
    cols = _column_list(data, columns, name)
    if len(cols) < min_count:
        found = f" ({_list_names(cols)})" if cols else ""
        raise ValueError(f"`{name}` must name at least {_plural(min_count, 'column')}; "
                         f"got {len(cols)}{found}")
    repeated = [c for c, k in Counter(cols).items() if k > 1]
    if repeated:
        raise ValueError(f"`{name}` lists {_list_names(repeated)} more than once; each column "
                         "may appear only once")
    missing = [c for c in cols if c not in data.columns]
    if missing:
        available = list(data.columns)
        close = [c for m in missing[:_MAX_EXAMPLES] if (c := _closest(m, available)) is not None]
        suggestion = f" (did you mean {_list_names(close)}?)" if close else ""
        raise ValueError(f"`{name}` names {_plural(len(missing), 'column')} not in "
                         f"`{data_name}`: {_list_names(missing)}{suggestion}; "
                         f"available columns: {_list_names(available) or 'none'}")
    ambiguous = [c for c in cols if isinstance(data.columns.get_loc(c), (slice, np.ndarray))]
    if ambiguous:
        raise ValueError(f"`{data_name}` has several columns named {_list_names(ambiguous)}, "
                         f"so `{name}` is ambiguous; rename the duplicate columns first")
    return cols


def _column_list(data: Any, columns: Any, name: str) -> list[Any]:
    """Normalise ``columns`` (a label or a sequence of labels) to a list."""
    if isinstance(columns, str):
        return [columns]
    if isinstance(columns, tuple) and columns in data.columns:  # a MultiIndex label
        return [columns]
    if columns is None or isinstance(columns, (Mapping, set, frozenset, bytes)) \
            or not isinstance(columns, Iterable):
        hint = " (a set has no order; use a list)" if isinstance(columns, (set, frozenset)) \
            else ""
        raise TypeError(f"`{name}` must be a column name or a list of column names; "
                        f"got {_typename(columns)}{hint}")
    cols = list(columns)
    for col in cols:
        if not isinstance(col, Hashable) or col is None:
            raise TypeError(f"`{name}` must contain column names; got {_typename(col)} "
                            f"{_fmt_value(col)}")
    return cols


def numeric_frame(data: Any, columns: Any = None, name: str = "data") -> Any:
    """Select columns of a DataFrame as float64, with NaN for missing values.

    Works with numpy dtypes, pandas nullable ``Int64``/``Float64`` (``pd.NA`` → NaN),
    pyarrow-backed numbers and object columns holding numbers and None. Booleans and
    text are not numeric here.

    Parameters
    ----------
    data : pandas.DataFrame
    columns : str or sequence of str, optional
        Default: every column.
    name : str, default "data"
        Argument name used in messages.

    Returns
    -------
    pandas.DataFrame
        A new frame (same index, selected columns in the given order), dtype float64.

    Raises
    ------
    TypeError
        A non-numeric column (named, with example values).
    ValueError
        Unknown or repeated columns (see :func:`check_columns`).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"q1": pd.array([1, None, 3], dtype="Int64"),
    ...                    "q2": ["5", "abc", None]})
    >>> numeric_frame(df, "q1")["q1"].tolist()
    [1.0, nan, 3.0]
    >>> numeric_frame(df, ["q1", "q2"])
    Traceback (most recent call last):
    ...
    TypeError: `data` column 'q2' (dtype ...) has 2 non-numeric values: 1 answer that is
    not a number (e.g. 'abc') beside 1 number(s) stored as text (e.g. '5'); ...
    """
    check_dataframe(data, name)
    if columns is None:
        repeated = list(dict.fromkeys(data.columns[data.columns.duplicated()]))
        if repeated:
            raise ValueError(f"`{name}` has several columns named {_list_names(repeated)}; "
                             "rename the duplicate columns first")
        cols = list(data.columns)
    else:
        cols = check_columns(data, columns, name, data_name=name)
    converted = {col: _pandas_to_float(data[col], name, col) for col in cols}
    return _pandas().DataFrame(converted, index=data.index, columns=cols)


def as_float_array(values: Any, name: str, *, ndim: int | None = 1,
                   column: Any = None) -> np.ndarray:
    """Convert array-like numbers to a new float64 numpy array, NaN for missing values.

    Parameters
    ----------
    values : list, tuple, numpy array, pandas Series/Index/array or DataFrame
        Numbers; missing values may be NaN, None or ``pd.NA``. Booleans and text are
        rejected. Infinite values are kept (range checks catch them).
    name : str
        Argument name used in messages.
    ndim : int or None, default 1
        Required number of dimensions (None: any).
    column : optional
        Column label for messages; defaults to the name of a Series.

    Returns
    -------
    numpy.ndarray of float64 (always a copy)

    Raises
    ------
    TypeError
        Text, booleans or other non-numeric values (with examples).
    ValueError
        Wrong number of dimensions, or ragged nested lists.

    Examples
    --------
    >>> as_float_array([9, 10, None], "score")
    array([ 9., 10., nan])
    >>> as_float_array([9, "abc", "n/a"], "score")
    Traceback (most recent call last):
    ...
    TypeError: `score` (dtype object) has 2 non-numeric values (e.g. 'abc', 'n/a');
    expected numbers, with NaN/None/pd.NA for missing values
    """
    if values is None or isinstance(values, (str, bytes, Mapping, set, frozenset)):
        raise TypeError(f"{_label(name, column)} must be an array-like of numbers (list, "
                        f"numpy array, pandas Series); got {_typename(values)}")
    if _is_dataframe(values):
        array = numeric_frame(values, None, name).to_numpy(dtype=np.float64)
    elif _is_pandas_1d(values):
        if column is None and _is_series(values) and values.name is not None:
            column = values.name
        array = _pandas_to_float(values, name, column)
    else:
        try:
            array = np.asarray(values)
            if array.dtype.kind in "iufUS" and not isinstance(values, np.ndarray):
                # numpy turns [1, True] into [1, 1] and [1, "a"] into ["1", "a"]:
                # look at the original elements before trusting the coercion.
                objects = np.asarray(values, dtype=object)
                if array.dtype.kind in "US" or any(_is_bool(v) for v in objects.flat):
                    array = objects
        except (ValueError, TypeError) as exc:
            raise ValueError(f"{_label(name, column)} could not be read as an array of "
                             f"numbers: {exc}") from None
        array = _ndarray_to_float(array, name, column)
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{_label(name, column)} must be {ndim}-dimensional; got an array "
                         f"of shape {array.shape}")
    return array


def _bool_error(name: str, column: Any) -> TypeError:
    return TypeError(f"{_label(name, column)} holds booleans, which are not numeric here; "
                     "convert explicitly, e.g. .astype(int), if True/False mean 1/0")


def _ndarray_to_float(array: np.ndarray, name: str, column: Any) -> np.ndarray:
    kind = array.dtype.kind
    if kind in "iuf":
        return np.array(array, dtype=np.float64, copy=True)
    if kind == "b":
        raise _bool_error(name, column)
    return _objects_to_float(array.astype(object), name, column, array.dtype)


def _pandas_to_float(values: Any, name: str, column: Any) -> np.ndarray:
    """Series / Index / ExtensionArray → float64 ndarray (a copy)."""
    types = _pandas().api.types
    dtype = values.dtype
    if types.is_bool_dtype(dtype):
        raise _bool_error(name, column)
    if types.is_numeric_dtype(dtype) and not types.is_complex_dtype(dtype):
        return values.to_numpy(dtype=np.float64, na_value=np.nan, copy=True)
    return _objects_to_float(np.asarray(values, dtype=object), name, column, dtype)


def _reads_as_number(value: Any) -> bool:
    """Whether a text value is a number written as text (``'5'``, ``' 6.0'``)."""
    if not isinstance(value, str):
        return False
    try:
        return math.isfinite(float(value))
    except ValueError:
        return False


def _objects_to_float(array: np.ndarray, name: str, column: Any, dtype: Any) -> np.ndarray:
    """Element-wise conversion of an object array; lists every non-numeric value."""
    flat = array.ravel()
    out = np.empty(flat.shape, dtype=np.float64)
    bad = []
    for i, value in enumerate(flat):
        if isinstance(value, float):
            out[i] = value
        elif not _is_bool(value) and isinstance(value, _REAL_TYPES):
            out[i] = float(value)
        elif _is_missing_scalar(value):
            out[i] = np.nan
        else:
            bad.append(value)
    if bad:
        hint = ("; booleans are not numeric here, convert explicitly, e.g. .astype(int)"
                if any(_is_bool(v) for v in bad) else "")
        words = [v for v in bad if not _reads_as_number(v)]
        if words and len(words) < len(bad):  # numbers as text beside answers like "Don't know"
            numbers = [v for v in bad if _reads_as_number(v)]
            raise TypeError(
                f"{_label(name, column)} (dtype {dtype}) has "
                f"{_plural(len(bad), 'non-numeric value')}: {_plural(len(words), 'answer')} "
                f"that {'is' if len(words) == 1 else 'are'} not a number (e.g. "
                f"{_examples(words)}) beside {len(numbers)} number(s) stored as text (e.g. "
                f"{_examples(numbers)}); {_MISSING_HINT}; if {_examples(words, 1)} means "
                "no answer, read the file with na_values=[...] (cxkit.io.read_table, or -p "
                f"na_values in a study){hint}")
        raise TypeError(f"{_label(name, column)} (dtype {dtype}) has "
                        f"{_plural(len(bad), 'non-numeric value')} (e.g. {_examples(bad)}); "
                        f"{_MISSING_HINT}{hint}")
    return out.reshape(array.shape)


# --------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------


def _check_each(values: Any, name: str, column: Any, hint: str | None,
                problem: Callable[[np.ndarray, str], str | None]) -> Any:
    """Run ``problem(flat_float_array, label)`` per column; raise one joined ValueError."""
    if _is_dataframe(values):
        frame = numeric_frame(values, None, name)
        parts = [(frame[c].to_numpy(), _label(name, c)) for c in frame.columns]
    else:
        if column is None and _is_series(values) and values.name is not None:
            column = values.name
        array = as_float_array(values, name, ndim=None, column=column)
        parts = [(array.ravel(), _label(name, column))]
    problems = [p for flat, label in parts if (p := problem(flat, label))]
    if problems:
        message = "; ".join(problems) + (f"; {hint}" if hint else "")
        raise ValueError(message)
    return values


def check_in_range(values: Any, lo: float | None, hi: float | None, name: str, *,
                   hint: str | None = None, column: Any = None) -> Any:
    """Check that every non-missing value lies in ``[lo, hi]`` (inclusive).

    Parameters
    ----------
    values : array-like, Series or DataFrame
        Numbers; NaN/None/pd.NA are ignored. A DataFrame is checked column by column
        and each offending column is named.
    lo, hi : float or None
        Bounds; None means unbounded on that side.
    name : str
        Argument name used in messages.
    hint : str, optional
        Appended to the message, e.g. ``"clean or pass scale=(1, 5)"``.
    column : optional
        Column label for messages; defaults to the name of a Series.

    Returns
    -------
    values, unchanged.

    Raises
    ------
    ValueError
        With the number of values out of range and up to 3 distinct examples.

    Examples
    --------
    >>> check_in_range([0, 7, None, 10], 0, 10, "score")
    [0, 7, None, 10]
    >>> import pandas as pd
    >>> check_in_range(pd.Series([11, 3, -1, 11], name="q1"), 0, 10, "score",
    ...                hint="clean or pass scale=...")
    Traceback (most recent call last):
    ...
    ValueError: `score` column 'q1' has 3 values outside 0–10 (e.g. 11, -1); clean or pass scale=...
    """
    low = None if lo is None else check_real(lo, "lo")
    high = None if hi is None else check_real(hi, "hi")
    if low is not None and high is not None and low > high:
        raise ValueError(f"`lo` ({_fmt_value(low)}) must not exceed `hi` ({_fmt_value(high)})")
    if low is None and high is None:
        bounds = ""
    elif low is None:
        bounds = f"above {_fmt_value(high)}"
    elif high is None:
        bounds = f"below {_fmt_value(low)}"
    elif low >= 0:
        bounds = f"outside {_fmt_value(low)}–{_fmt_value(high)}"
    else:
        bounds = f"outside [{_fmt_value(low)}, {_fmt_value(high)}]"

    def problem(flat: np.ndarray, label: str) -> str | None:
        with np.errstate(invalid="ignore"):
            mask = np.zeros(flat.shape, dtype=bool)
            if low is not None:
                mask |= flat < low
            if high is not None:
                mask |= flat > high
        count = int(mask.sum())
        if not count:
            return None
        return f"{label} has {_plural(count, 'value')} {bounds} (e.g. {_examples(flat[mask])})"

    return _check_each(values, name, column, hint, problem)


def check_integer_valued(values: Any, name: str, *, hint: str | None = None,
                         column: Any = None) -> Any:
    """Check that every non-missing value is a whole number (infinity is not).

    Returns ``values`` unchanged; NaN/None/pd.NA are ignored; a DataFrame is checked
    column by column.

    Examples
    --------
    >>> check_integer_valued([1.0, 2, None], "score")
    [1.0, 2, None]
    >>> check_integer_valued([1, 7.5, 3.25], "score")
    Traceback (most recent call last):
    ...
    ValueError: `score` has 2 non-integer values (e.g. 7.5, 3.25); expected whole numbers
    """

    def problem(flat: np.ndarray, label: str) -> str | None:
        with np.errstate(invalid="ignore"):
            whole = np.isfinite(flat) & (flat == np.floor(flat))
        mask = ~np.isnan(flat) & ~whole
        count = int(mask.sum())
        if not count:
            return None
        return (f"{label} has {_plural(count, 'non-integer value')} "
                f"(e.g. {_examples(flat[mask])}); expected whole numbers")

    return _check_each(values, name, column, hint, problem)


#: Caps on the number of resamples and Monte Carlo draws: far beyond any use, they would
#: run for hours or exhaust memory instead of failing clearly.
MAX_RESAMPLES = 1_000_000
MAX_DRAWS = 10_000_000

#: The largest count accepted: float64 represents every integer up to 2**53 exactly.
MAX_COUNT = 2 ** 53


def check_counts(counts: Any, names: Iterable[str], name: str = "counts") -> dict[str, int]:
    """Check pre-aggregated counts, one per category, and return them as a dict.

    Parameters
    ----------
    counts : sequence, mapping or pandas Series
        A sequence of ``len(names)`` counts in the order of ``names``, or a mapping (or a
        Series with text labels, e.g. from ``value_counts()``) with exactly the keys
        ``names``. Each count is a non-negative integer; integral floats are accepted.
    names : sequence of str
        The categories, in order.
    name : str, default "counts"

    Returns
    -------
    dict of str to int, ordered as ``names``

    Raises
    ------
    TypeError
        Not a sequence or mapping, or an entry that is not a number (bool included).
    ValueError
        Wrong length, missing or unknown keys, or an entry that is negative, fractional
        or NaN (the entry is named).

    Examples
    --------
    >>> check_counts([50, 30.0, 20], ["promoter", "passive", "detractor"])
    {'promoter': 50, 'passive': 30, 'detractor': 20}
    >>> check_counts({"promoter": 5, "passive": -1, "detractor": 2},
    ...              ["promoter", "passive", "detractor"])
    Traceback (most recent call last):
    ...
    ValueError: `counts` entry 'passive' must be a non-negative integer; got -1
    """
    names = [str(n) for n in names]
    if isinstance(counts, (set, frozenset)):
        raise TypeError(f"`{name}` must be a sequence of {len(names)} counts in the order "
                        f"{', '.join(names)} or a mapping with those keys; got a "
                        f"{type(counts).__name__}, whose order is arbitrary")
    if counts is None or isinstance(counts, (str, bytes)) or not isinstance(counts, Iterable):
        raise TypeError(f"`{name}` must be a sequence of {len(names)} counts or a mapping "
                        f"with keys {_list_names(names)}; got {_typename(counts)}")
    if isinstance(counts, Mapping) or (
            _is_series(counts) and all(isinstance(k, str) for k in counts.index)):
        entries = _count_entries_from_mapping(dict(counts.items()), names, name)
    else:
        values = list(counts)
        if len(values) != len(names):
            raise ValueError(f"`{name}` must have {len(names)} entries "
                             f"({', '.join(names)}); got {len(values)}")
        entries = list(zip(names, values, strict=True))
    return {key: _count_entry(value, key, name) for key, value in entries}


def _count_entries_from_mapping(mapping: dict, names: list[str],
                                name: str) -> list[tuple[str, Any]]:
    missing = [n for n in names if n not in mapping]
    unknown = [k for k in mapping if k not in names]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"is missing {_list_names(missing)} (missing categories are not "
                         "assumed to be 0; e.g. use .reindex(names, fill_value=0))")
        if unknown:
            parts.append(f"has unknown keys {_list_names(unknown)}"
                         f"{_suggest(unknown[0], names)}")
        raise ValueError(f"`{name}` " + " and ".join(parts) +
                         f"; expected exactly the keys {_list_names(names)}")
    return [(n, mapping[n]) for n in names]


def _count_entry(value: Any, key: str, name: str) -> int:
    value = _unwrap_0d(value)
    label = f"`{name}` entry {key!r}"
    expected = "a non-negative integer"
    if _is_bool(value) or not isinstance(value, _REAL_TYPES):
        raise TypeError(f"{label} must be {expected}; got {_typename(value)} {_fmt_value(value)}")
    number = float(value) if not isinstance(value, numbers.Integral) else int(value)
    if isinstance(number, float) and not (math.isfinite(number) and number.is_integer()):
        raise ValueError(f"{label} must be {expected}; got {_fmt_value(value)}")
    if number < 0:
        raise ValueError(f"{label} must be {expected}; got {_fmt_value(number)}")
    if number > MAX_COUNT:
        raise ValueError(f"{label} must be at most 2**53 ({MAX_COUNT:,}), the largest count "
                         f"a float64 holds exactly; got {_fmt_value(value)}")
    return int(number)


def count_missing(values: Any) -> int:
    """Number of missing values (NaN, None, pd.NA, NaT) in an array-like or DataFrame.

    Examples
    --------
    >>> count_missing([1.0, float("nan"), None, 4])
    2
    >>> import numpy as np
    >>> count_missing(np.array([1, 2, 3]))
    0
    """
    if _is_dataframe(values) or _is_pandas_1d(values):
        return int(np.asarray(values.isna()).sum())
    array = np.asarray(values)
    kind = array.dtype.kind
    if kind in "fc":
        return int(np.isnan(array).sum())
    if kind in "Mm":
        return int(np.isnat(array).sum())
    if kind == "O":
        return sum(_is_missing_scalar(v) for v in array.ravel())
    return 0


# --------------------------------------------------------------------------------------
# Warnings
# --------------------------------------------------------------------------------------


def _is_internal(frame: Any) -> bool:
    module = frame.f_globals.get("__name__", "")
    return module == "cxkit" or module.startswith("cxkit.")


def warn(message: str, *, stacklevel: int | None = None) -> None:
    """Issue a ``UserWarning`` attributed to the user's line of code.

    Stacklevel convention: library code just calls ``warn("...")`` from any depth. By
    default the warning is attributed to the first caller outside the ``cxkit`` package,
    so a researcher sees the line of *their* notebook or script that triggered it, and
    Python's "show once per location" filter works per user call site. Pass
    ``stacklevel`` (as for :func:`warnings.warn`, counted from the caller of ``warn``
    plus one) only to override that.

    Write the message as a sentence a researcher understands, with the numbers:
    "segment 'EMEA' has only 12 responses; its interval is wide."

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn("segment 'EMEA' has only 12 responses; its interval is wide")
    >>> caught[0].category.__name__, str(caught[0].message)
    ('UserWarning', "segment 'EMEA' has only 12 responses; its interval is wide")
    """
    if stacklevel is None:
        stacklevel = 2  # the direct caller of warn()
        frame = sys._getframe(1)
        while frame is not None and _is_internal(frame):
            frame = frame.f_back
            stacklevel += 1
        if frame is None:  # called from cxkit all the way up: blame the direct caller
            stacklevel = 2
    warnings.warn(message, UserWarning, stacklevel=stacklevel)


@contextlib.contextmanager
def caught_user_warnings() -> Iterator[list[str]]:
    """Record the UserWarnings raised inside the block instead of showing them.

    Yields a list that holds, once the block ends, each UserWarning's message in the
    order raised (repeats kept: the caller decides whether to count or collapse them).
    Other warnings (numpy's RuntimeWarning, deprecations) are recorded and dropped, as
    the studies and :func:`cxkit.omega` did by hand before.

    Examples
    --------
    >>> with caught_user_warnings() as said:
    ...     warn("segment 'EMEA' has only 12 responses")
    ...     warn("segment 'EMEA' has only 12 responses")
    >>> said
    ["segment 'EMEA' has only 12 responses", "segment 'EMEA' has only 12 responses"]
    """
    messages: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield messages
        finally:
            messages.extend(str(w.message) for w in caught
                            if issubclass(w.category, UserWarning))
