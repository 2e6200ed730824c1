"""Shared result types and rendering: one ConfidenceInterval, one way to show results.

Every cxkit function returns a frozen dataclass. Intervals are
:class:`ConfidenceInterval` objects; result classes inherit :class:`ResultBase`, which
gives them ``to_dict()`` (JSON-ready), ``to_frame()`` (one tidy row), a readable
``repr`` and a ``_repr_html_`` card for Jupyter. Numbers are formatted for display
only; stored values are never rounded.

Only the standard library and numpy are imported here; pandas is imported (or looked
up in ``sys.modules``) inside the functions that need it.

Examples
--------
A module defines its result as a frozen dataclass inheriting :class:`ResultBase`:

>>> from dataclasses import dataclass, replace
>>> @dataclass(frozen=True)
... class MeanResult(ResultBase):
...     '''Mean of a rating item.'''
...     _title = "Mean score"            # plain class attribute: not a field
...     estimate: float
...     ci: ConfidenceInterval            # named ``ci``: shown next to ``estimate``
...     n: int
...     n_missing: int = 0
...     notes: tuple[str, ...] = ()       # ``notes``/``warnings`` are listed last
>>> res = MeanResult(estimate=7.254, ci=ConfidenceInterval(6.91, 7.598, 0.95, "t"),
...                  n=120, n_missing=3, notes=("3 missing answers excluded",))
>>> res
Mean score
  estimate   7.254  [6.91, 7.598] (95% t)
  n          120
  n_missing  3
Notes
  - 3 missing answers excluded
>>> lo, hi = res.ci
>>> res.to_dict()
{'estimate': 7.254, 'ci_low': 6.91, 'ci_high': 7.598, 'confidence_level': 0.95,
 'method': 't', 'n': 120, 'n_missing': 3, 'notes': ['3 missing answers excluded']}
>>> res.to_frame().columns.tolist()
['estimate', 'ci_low', 'ci_high', 'confidence_level', 'method', 'n', 'n_missing']
>>> replace(res, n=121).n
121
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import html
import math
import numbers
import os
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from cxkit._validation import (
    check_confidence_level,
    check_positive_int,
    check_real,
    check_string,
)

__all__ = [
    "ConfidenceInterval",
    "ResultBase",
    "format_ci",
    "format_number",
    "render_html",
    "to_builtin",
]

#: Fields with these names hold notes (a str or a sequence of str), shown last.
NOTE_FIELDS = ("notes", "warnings")
_MAX_HTML_ROWS = 60  # rows of a table shown in the HTML card
_MAX_INLINE_ITEMS = 8  # items of a list shown inline
_MAX_TEXT = 80  # characters of a string shown inline


# --------------------------------------------------------------------------------------
# Formatting helpers
# --------------------------------------------------------------------------------------


def format_number(x: Any, digits: int = 4) -> str:
    """Format a number for display only (``digits`` significant digits).

    Integers are shown in full, floats with ``digits`` significant digits (large values
    in full with thousands separators rather than in exponent notation), and missing
    values as ``nan`` / ``NA``. Anything that is not a number is shown with ``str``.

    Parameters
    ----------
    x : int, float, numpy number, None, …
    digits : int, default 4
        Significant digits of a float.

    Returns
    -------
    str

    Examples
    --------
    >>> format_number(0.803141), format_number(1234567.8), format_number(120)
    ('0.8031', '1,234,568', '120')
    >>> format_number(float("nan")), format_number(None), format_number(-float("inf"))
    ('nan', 'NA', '-inf')
    """
    digits = check_positive_int(digits, "digits")
    if x is None:
        return "NA"
    pd = sys.modules.get("pandas")
    if pd is not None and (x is pd.NA or x is pd.NaT):
        return "NA" if x is pd.NA else "NaT"
    if isinstance(x, (np.datetime64, np.timedelta64)):
        return str(x)
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, numbers.Integral):
        return str(int(x))
    if isinstance(x, (numbers.Real, decimal.Decimal)):
        try:
            return _format_float(float(x), digits)
        except (ValueError, OverflowError):
            return str(x)
    return str(x)


def _format_float(x: float, digits: int) -> str:
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0:
        return "0"
    text = f"{x:.{digits}g}"
    if "e+" in text and abs(x) < 1e15:  # 12,346 rather than 1.235e+04
        text = f"{x:,.0f}"
    return text


def _format_level(level: float) -> str:
    """0.95 → '95%', 0.975 → '97.5%'."""
    return f"{level * 100:.10g}%"


def format_ci(ci: Any, digits: int = 4) -> str:
    """Format an interval for display: ``[0.803, 0.825] (95% feldt)``.

    Parameters
    ----------
    ci : ConfidenceInterval or (low, high)
    digits : int, default 4

    Examples
    --------
    >>> format_ci(ConfidenceInterval(0.80312, 0.82477, 0.95, "feldt"))
    '[0.8031, 0.8248] (95% feldt)'
    >>> format_ci((1, 2.5))
    '[1, 2.5]'
    """
    if isinstance(ci, ConfidenceInterval):
        return (f"[{format_number(ci.low, digits)}, {format_number(ci.high, digits)}] "
                f"({_format_level(ci.confidence_level)} {ci.method})")
    low, high = ci
    return f"[{format_number(low, digits)}, {format_number(high, digits)}]"


def _is_scalar(value: Any) -> bool:
    """A single value (number, text, date, missing), as opposed to a table or list."""
    if value is None or isinstance(value, (str, bytes, numbers.Number, np.generic,
                                           decimal.Decimal, datetime.date, datetime.time,
                                           datetime.timedelta, enum.Enum)):
        return True
    if isinstance(value, np.ndarray):
        return value.ndim == 0
    pd = sys.modules.get("pandas")
    return pd is not None and (value is pd.NA or value is pd.NaT)


def _is_table(value: Any) -> bool:
    pd = sys.modules.get("pandas")
    return pd is not None and isinstance(value, (pd.DataFrame, pd.Series))


def _truncate(text: str, limit: int = _MAX_TEXT) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _format_value(value: Any, digits: int = 4) -> str:
    """One line of display text for any field value."""
    if isinstance(value, str):
        return _truncate(value)
    if isinstance(value, ConfidenceInterval):
        return format_ci(value, digits)
    if isinstance(value, ResultBase):
        return value._display_title()
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(value, pd.DataFrame):
        rows, cols = value.shape
        return f"table, {rows} row{'s' * (rows != 1)} × {cols} column{'s' * (cols != 1)}"
    if pd is not None and isinstance(value, pd.Series):
        return f"series of {len(value)} value{'s' * (len(value) != 1)}"
    if isinstance(value, np.ndarray) and value.ndim > 1:
        return f"array of shape {value.shape}"
    if isinstance(value, Mapping):
        if all(_is_scalar(v) for v in value.values()) and len(value) <= _MAX_INLINE_ITEMS:
            return _truncate(", ".join(f"{k}: {format_number(v, digits)}"
                                       for k, v in value.items()))
        return f"mapping of {len(value)} entries"
    if isinstance(value, (list, tuple, set, frozenset, np.ndarray)):
        return _format_sequence(value, digits)
    return _truncate(format_number(value, digits))


def _format_sequence(value: Any, digits: int) -> str:
    items = list(value)
    if not all(_is_scalar(v) for v in items):
        return f"{type(value).__name__} of {len(items)} items"
    shown = [format_number(v, digits) for v in items[:_MAX_INLINE_ITEMS]]
    if len(items) > _MAX_INLINE_ITEMS:
        shown.append(f"… ({len(items)} in total)")
    opening, closing = ("(", ")") if isinstance(value, tuple) else ("[", "]")
    return _truncate(opening + ", ".join(shown) + closing)


# --------------------------------------------------------------------------------------
# Conversion to JSON-ready Python
# --------------------------------------------------------------------------------------


def to_builtin(obj: Any) -> Any:
    """Convert numpy/pandas objects (recursively) to JSON-serialisable Python.

    numpy scalars become Python scalars, arrays and Index objects lists, a Series a
    dict, a DataFrame a list of records (a meaningful index becomes a column),
    ConfidenceInterval and result objects their ``to_dict()``, dates ISO strings. NaN
    stays ``float('nan')`` (use ``json.dumps(..., allow_nan=True)``); ``None``,
    ``pd.NA`` and ``NaT`` become ``None``. Mapping keys become strings.

    Examples
    --------
    >>> import numpy as np
    >>> to_builtin({"n": np.int64(3), "x": np.array([0.5, np.nan]), 1: (True,)})
    {'n': 3, 'x': [0.5, nan], '1': [True]}
    """
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, (np.datetime64, np.timedelta64)):
        return None if np.isnat(obj) else str(obj)
    if isinstance(obj, np.generic):
        return to_builtin(obj.item())
    if isinstance(obj, enum.Enum):
        return to_builtin(obj.value)
    if isinstance(obj, numbers.Integral):
        return int(obj)
    if isinstance(obj, float):
        return float(obj)
    if isinstance(obj, (ConfidenceInterval, ResultBase)):
        return obj.to_dict()
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_builtin(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    converted = _pandas_to_builtin(obj)
    if converted is not NotImplemented:
        return converted
    if isinstance(obj, np.ndarray):
        return to_builtin(obj.tolist())
    if isinstance(obj, Mapping):
        return {_key(k): to_builtin(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset, range)):
        return [to_builtin(v) for v in obj]
    return _scalar_to_builtin(obj)


def _scalar_to_builtin(obj: Any) -> Any:
    if isinstance(obj, (datetime.date, datetime.time)):
        return obj.isoformat()
    if isinstance(obj, (numbers.Real, decimal.Decimal)):
        return float(obj)
    if isinstance(obj, os.PathLike):
        return os.fspath(obj)
    if isinstance(obj, bytes):
        return obj.decode("utf-8", "replace")
    if isinstance(obj, Sequence):
        return [to_builtin(v) for v in obj]
    return str(obj)


def _key(key: Any) -> str:
    """A mapping key or column label as a string: 'q1', '3', "('nps', 'mean')"."""
    if isinstance(key, str):
        return str(key)
    if isinstance(key, tuple):  # MultiIndex labels
        return str(tuple(to_builtin(k) for k in key))
    return str(to_builtin(key))


def _pandas_to_builtin(obj: Any) -> Any:
    """pandas objects → Python; NotImplemented for anything else."""
    pd = sys.modules.get("pandas")
    if pd is None:
        return NotImplemented
    if obj is pd.NA or obj is pd.NaT:
        return None
    if isinstance(obj, pd.DataFrame):
        return _frame_records(obj)
    if isinstance(obj, pd.Series):
        return {_key(k): to_builtin(v) for k, v in obj.items()}
    if isinstance(obj, (pd.Index, pd.api.extensions.ExtensionArray)):
        return [to_builtin(v) for v in obj]
    if isinstance(obj, pd.Timestamp):
        return obj.isoformat()
    return NotImplemented


def _frame_records(frame: Any) -> list[dict[str, Any]]:
    """A DataFrame as a list of records; a named or non-range index becomes a column."""
    import pandas as pd

    default_index = isinstance(frame.index, pd.RangeIndex) and frame.index.name is None
    if not default_index:
        try:
            frame = frame.reset_index()
        except ValueError:  # an index name clashes with a column: keep the columns only
            pass
    columns = [_key(c) for c in frame.columns]
    return [{c: to_builtin(v) for c, v in zip(columns, row, strict=True)}
            for row in frame.itertuples(index=False, name=None)]


# --------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------

_CARD_STYLE = "font-family: sans-serif; font-size: 0.9em; max-width: 60em;"
_CELL_STYLE = "text-align: left; padding: 0.1em 1.2em 0.1em 0; vertical-align: top;"


def render_html(title: str, rows: Mapping[str, Any] | Iterable[tuple[str, Any]], *,
                tables: Mapping[str, Any] | Iterable[tuple[str, Any]] = (),
                notes: Iterable[str] = ()) -> str:
    """Render a compact HTML card: title, key/value table, data tables, notes.

    All text is escaped with :func:`html.escape`; DataFrames are rendered by pandas
    with escaping on.

    Parameters
    ----------
    title : str
    rows : mapping or sequence of (label, value)
        Values are formatted with the display helpers (numbers to 4 significant
        digits, intervals as ``[low, high] (95% method)``, strings as given).
    tables : mapping or sequence of (caption, DataFrame or Series), optional
    notes : sequence of str, optional

    Returns
    -------
    str

    Examples
    --------
    >>> print(render_html("NPS <test>", [("n", 120)], notes=["a & b"]))
    <div class="cxkit-result" ...>
    <div ...>NPS &lt;test&gt;</div>
    <table class="cxkit-summary" ...><tbody>
    <tr><th ...>n</th><td ...>120</td></tr>
    </tbody></table>
    <ul class="cxkit-notes" ...><li>a &amp; b</li></ul>
    </div>
    """
    esc = html.escape
    rows = list(rows.items()) if isinstance(rows, Mapping) else list(rows)
    tables = list(tables.items()) if isinstance(tables, Mapping) else list(tables)
    notes = [str(n) for n in notes]
    parts = [f'<div class="cxkit-result" style="{_CARD_STYLE}">',
             f'<div style="font-weight: bold; margin-bottom: 0.3em;">{esc(str(title))}</div>']
    if rows:
        parts.append('<table class="cxkit-summary" style="border-collapse: collapse;"><tbody>')
        parts.extend(f'<tr><th style="{_CELL_STYLE}">{esc(str(key))}</th>'
                     f'<td style="{_CELL_STYLE}">{esc(_format_value(value))}</td></tr>'
                     for key, value in rows)
        parts.append("</tbody></table>")
    for caption, table in tables:
        parts.append(f'<div class="cxkit-table" style="margin-top: 0.6em;">'
                     f'<div style="font-style: italic;">{esc(str(caption))}</div>'
                     f"{_table_html(table)}</div>")
    if notes:
        items = "".join(f"<li>{esc(n)}</li>" for n in notes)
        parts.append(f'<ul class="cxkit-notes" style="margin: 0.4em 0;">{items}</ul>')
    parts.append("</div>")
    return "\n".join(parts)


def _table_html(table: Any) -> str:
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(table, pd.Series):
        table = table.to_frame()
    if pd is None or not isinstance(table, pd.DataFrame):
        raise TypeError("`tables` entries must be pandas DataFrames or Series; got "
                        f"{type(table).__name__}")
    return table.to_html(max_rows=_MAX_HTML_ROWS, max_cols=30, float_format=format_number,
                         border=0, escape=True)


# --------------------------------------------------------------------------------------
# ConfidenceInterval
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConfidenceInterval:
    """A confidence interval: bounds, level, method, and an optional note.

    Unpacks like scipy's ``ConfidenceInterval`` named tuple (``low, high = ci``).

    Parameters
    ----------
    low, high : float
        The bounds (NaN when undefined, ±inf for one-sided intervals); ``low <= high``.
    confidence_level : float
        Strictly between 0 and 1, e.g. 0.95.
    method : str
        How it was computed, e.g. ``"wilson"``, ``"feldt"``, ``"bootstrap"``.
    note : str, optional
        Anything a reader should know, e.g. ``"clipped to [-100, 100]"``.

    Examples
    --------
    >>> ci = ConfidenceInterval(0.8031234567, 0.825, 0.95, "feldt")
    >>> ci
    ConfidenceInterval(low=0.8031234567, high=0.825, confidence_level=0.95, method='feldt')
    >>> low, high = ci
    >>> round(ci.width, 6), ci.contains(0.81), ci.contains(0.9)
    (0.021877, True, False)
    >>> ConfidenceInterval(0.9, 0.8, 0.95, "feldt")
    Traceback (most recent call last):
    ...
    ValueError: `low` (0.9) must not exceed `high` (0.8) in a ConfidenceInterval
    """

    low: float
    high: float
    confidence_level: float
    method: str
    note: str | None = None

    def __post_init__(self) -> None:
        low = check_real(self.low, "low", allow_nan=True)
        high = check_real(self.high, "high", allow_nan=True)
        if low > high:
            raise ValueError(f"`low` ({low!r}) must not exceed `high` ({high!r}) in a "
                             "ConfidenceInterval")
        object.__setattr__(self, "low", low)
        object.__setattr__(self, "high", high)
        object.__setattr__(self, "confidence_level",
                           check_confidence_level(self.confidence_level))
        object.__setattr__(self, "method", check_string(self.method, "method"))
        object.__setattr__(self, "note", check_string(self.note, "note", allow_none=True))

    def __iter__(self) -> Iterator[float]:
        return iter((self.low, self.high))

    def __len__(self) -> int:
        return 2

    def __getitem__(self, index: int) -> float:
        return (self.low, self.high)[index]

    @property
    def width(self) -> float:
        """``high - low``."""
        return self.high - self.low

    def contains(self, value: float) -> bool:
        """Whether ``low <= value <= high`` (False for NaN)."""
        x = check_real(value, "value", allow_nan=True)
        return bool(self.low <= x <= self.high)

    def to_dict(self) -> dict[str, Any]:
        """``{'low', 'high', 'confidence_level', 'method', 'note'}`` as Python values."""
        return {"low": self.low, "high": self.high,
                "confidence_level": self.confidence_level, "method": self.method,
                "note": self.note}

    def __repr__(self) -> str:
        note = "" if self.note is None else f", note={self.note!r}"
        return (f"ConfidenceInterval(low={self.low!r}, high={self.high!r}, "
                f"confidence_level={self.confidence_level!r}, method={self.method!r}{note})")

    def _repr_html_(self) -> str:
        notes = () if self.note is None else (self.note,)
        return render_html("Confidence interval", [("interval", self)], notes=notes)


# --------------------------------------------------------------------------------------
# ResultBase
# --------------------------------------------------------------------------------------


class ResultBase:
    """Base for result dataclasses: ``to_dict``, ``to_frame``, ``repr``, ``_repr_html_``.

    Use with ``@dataclass(frozen=True)`` (``slots=True`` works too). The readable
    ``__repr__`` is kept even though ``@dataclass`` would generate its own, so
    ``repr=False`` is optional.

    Class attributes a subclass may set (plain assignments, or annotated ``ClassVar``):

    ``_title``
        Heading of the text and HTML summaries (default: the class name).
    ``_summary_fields``
        Names (fields or properties) shown in the summary, in order. Default: every
        public field with ``repr=True``, in declaration order. DataFrame/Series fields
        are rendered as HTML tables either way.

    Conventions: a ConfidenceInterval field named ``ci`` is shown next to ``estimate``,
    one named ``<x>_ci`` next to ``<x>``; fields named ``notes``/``warnings`` (a str or
    a sequence of str) are listed last, together with the intervals' notes;
    DataFrame/Series fields are rendered as tables in HTML and left out of
    ``to_frame()``; fields starting with ``_`` are private and never shown or exported.
    """

    __slots__ = ()
    _title: ClassVar[str] = ""
    _summary_fields: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "__repr__" not in cls.__dict__:
            # Pin the inherited __repr__ in the class itself: @dataclass only adds its
            # own __repr__ when the class does not define one.
            cls.__repr__ = cls.__repr__

    # -- helpers -----------------------------------------------------------------------

    def _fields(self) -> tuple[dataclasses.Field, ...]:
        if not dataclasses.is_dataclass(self):
            raise TypeError(f"{type(self).__name__} must be a dataclass to use ResultBase; "
                            "decorate it with @dataclass(frozen=True)")
        return tuple(f for f in dataclasses.fields(self) if not f.name.startswith("_"))

    def _display_title(self) -> str:
        return self._title or type(self).__name__

    def _flat_items(self, *, tables: bool) -> dict[str, Any]:
        """Fields as Python values; intervals flattened; non-scalars only if ``tables``."""
        fields = self._fields()
        names = {f.name for f in fields}
        out: dict[str, Any] = {}
        for f in fields:
            value = getattr(self, f.name)
            if isinstance(value, ConfidenceInterval):
                _flatten_ci(out, f.name, value, names)
            elif tables or _is_scalar(value):
                out[f.name] = to_builtin(value)
        return out

    def _notes(self) -> list[str]:
        notes: list[str] = []
        for f in self._fields():
            value = getattr(self, f.name)
            if f.name in NOTE_FIELDS and value is not None:
                notes.extend([value] if isinstance(value, str) else [str(v) for v in value])
            elif isinstance(value, ConfidenceInterval) and value.note:
                notes.append(f"{f.name}: {value.note}")
        return notes

    def _summary_rows(self) -> list[tuple[str, str, Any]]:
        """(label, display text, value) for the summary, intervals paired with estimates."""
        names = self._summary_fields or tuple(f.name for f in self._fields() if f.repr)
        values = {n: getattr(self, n) for n in names if n not in NOTE_FIELDS}
        paired = {}
        for name, value in values.items():
            if isinstance(value, ConfidenceInterval):
                target = "estimate" if name == "ci" else name[:-3] if name.endswith("_ci") \
                    else None
                if target in values and not isinstance(values[target], ConfidenceInterval):
                    paired[target] = name
        rows = []
        for name, value in values.items():
            if name in paired.values():
                continue
            text = _format_value(value)
            if name in paired:
                text += "  " + format_ci(values[paired[name]])
            rows.append((name, text, value))
        return rows

    # -- public API --------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """All fields as JSON-serialisable Python values.

        A ConfidenceInterval field ``<name>`` becomes ``<name>_low`` and ``<name>_high``
        (and ``<name>_note`` when it has a note), with ``confidence_level`` and
        ``method`` stored once (prefixed ``<name>_`` when they differ between intervals
        or clash with a field). DataFrames become lists of records, Series dicts,
        numpy values Python values; NaN stays NaN.
        """
        return self._flat_items(tables=True)

    def to_frame(self) -> Any:
        """One-row tidy DataFrame of the scalar fields (tables and lists left out).

        Columns follow :meth:`to_dict`, e.g. ``estimate``, ``ci_low``, ``ci_high``,
        ``confidence_level``, ``method``, ``n``.
        """
        import pandas as pd

        return pd.DataFrame([self._flat_items(tables=False)])

    def __repr__(self) -> str:
        rows = self._summary_rows()
        width = max((len(label) for label, _, _ in rows), default=0)
        lines = [self._display_title()]
        lines.extend(f"  {label:<{width}}  {text}".rstrip() for label, text, _ in rows)
        notes = self._notes()
        if notes:
            lines.append("Notes")
            lines.extend(f"  - {note}" for note in notes)
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = [(label, text) for label, text, value in self._summary_rows()
                if not _is_table(value)]
        tables = [(f.name, getattr(self, f.name)) for f in self._fields()
                  if f.repr and _is_table(getattr(self, f.name))]
        return render_html(self._display_title(), rows, tables=tables, notes=self._notes())


def _flatten_ci(out: dict[str, Any], name: str, ci: ConfidenceInterval,
                field_names: set[str]) -> None:
    """Add ``<name>_low``/``<name>_high`` and the level/method (once) to ``out``."""
    out[f"{name}_low"] = ci.low
    out[f"{name}_high"] = ci.high
    for key, value in (("confidence_level", ci.confidence_level), ("method", ci.method)):
        if key in field_names or out.get(key, value) != value:
            out[f"{name}_{key}"] = value
        else:
            out[key] = value
    if ci.note is not None:
        out[f"{name}_note"] = ci.note
