"""Reading the files people have: CSV variants, Excel, SPSS, Qualtrics exports, Parquet.

:func:`read_table` reads one file into a pandas DataFrame and says what it did in
``frame.attrs["cxkit"]``: the question wording it found (``labels``), SPSS value labels,
what was treated as missing and why (``missing``), notes on what was detected, and the
file's provenance (``source``: format, size, SHA-256 of the very bytes parsed, encoding,
separator, decimal mark, sheet).

Rules, in short:

* **Only empty cells are missing** by default (a whitespace-only cell counts as empty).
  pandas' long list of default missing strings does not apply: a region called ``NA``
  (North America) and a comment ``N/A`` stay text. ``na_values`` adds strings of your own.
* **What is unambiguous is detected**; the rest is an option. Encoding: UTF-8 (with or
  without BOM), else cp1252, else latin-1. Separator: ``,`` ``;`` tab or ``|``, by which
  one splits every line into the same number of fields. Decimal comma: when the separator
  is not a comma and numeric-looking fields use commas and never points. Dates: a column
  whose every value reads with one day-first or month-first format; when both read, the
  column stays text and a note says so (pass ``date_format``).
* **Qualtrics** CSV exports (a question-text row and an ``{"ImportId": …}`` row under the
  header) are recognised: the two rows are removed and the question text kept as labels.
* **The bytes are read once**: the checksum in ``source`` is that of the bytes parsed, so
  a file replaced while it is read can never be analysed under another file's checksum.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "export.csv").write_bytes(
...     "region;ltr;spend\\nNA;9;12,50\\nEU;;3,25\\nNA;7;\\n".encode("cp1252"))
>>> frame = read_table(folder / "export.csv")
>>> frame["region"].tolist(), frame["ltr"].tolist(), frame["spend"].tolist()
(['NA', 'EU', 'NA'], [9.0, nan, 7.0], [12.5, 3.25, nan])
>>> info = frame.attrs["cxkit"]
>>> info["source"]["sep"], info["source"]["decimal"], info["missing"]
(';', ',', {'ltr': {'empty': 1, 'na_values': {}}, 'spend': {'empty': 1, 'na_values': {}}})
"""

from __future__ import annotations

import csv
import hashlib
import io as _io
import json
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = ["FORMATS", "describe_read", "read_report", "read_table"]

#: File suffixes :func:`read_table` reads, and the format each is read as.
FORMATS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".sav": "sav",
           ".parquet": "parquet", ".pq": "parquet"}
_SEPARATORS = (",", ";", "\t", "|")
_SEP_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
_ENCODINGS = ("utf-8", "cp1252", "latin-1")
#: Date formats tried, in order, when ``date_format`` is not given.
_DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M",
                 "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%Y %H:%M",
                 "%m/%d/%Y %H:%M", "%Y/%m/%d")
_DATE_LIKE = re.compile(r"^\s*\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}([ T]\d{1,2}:\d{2}(:\d{2})?)?\s*$")
_NUMBER_COMMA = re.compile(r"^\s*[-+]?\d+,\d+\s*$")
_NUMBER_POINT = re.compile(r"^\s*[-+]?\d+\.\d+\s*$")
#: Environment variable naming a file where every read is logged (set by ``cxkit run``).
READ_LOG_ENV = "CXKIT_READ_LOG"


def _fail(path: Path, message: str) -> ValueError:
    return ValueError(f"data_path '{path}': {message}")


def _check_path(path: Any) -> tuple[Path, str]:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"`data_path` must be a str or path-like, found {type(path).__name__}")
    if not os.fspath(path).strip():
        raise ValueError("`data_path` is empty; name the file to read")
    resolved = Path(path).expanduser()
    if not resolved.exists():
        raise _fail(resolved, "does not exist")
    if not resolved.is_file():
        raise _fail(resolved, "is not a file")
    kind = FORMATS.get(resolved.suffix.lower())
    if kind is None:
        found = f"has suffix '{resolved.suffix}'" if resolved.suffix else "has no suffix"
        raise _fail(resolved, f"{found}; expected one of {', '.join(FORMATS)}")
    return resolved, kind


def _check_text_option(value: Any, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):  # before comparing: pd.NA == "" is ambiguous
        raise TypeError(f"`{name}` must be a str or None, found {type(value).__name__}")
    return value or None


def _check_na_values(na_values: Any) -> tuple[set[str], dict[Any, set[str]]]:
    """``na_values`` as (strings for every column, {column: strings})."""
    if na_values is None:
        return set(), {}
    if isinstance(na_values, str):
        return {na_values}, {}
    if isinstance(na_values, Mapping):
        per = {}
        for column, values in na_values.items():
            values = [values] if isinstance(values, str) else values
            if not isinstance(values, Sequence) or not all(isinstance(v, str) for v in values):
                raise TypeError(f"`na_values` for column {column!r} must be a list of str")
            per[column] = set(values)
        return set(), per
    if isinstance(na_values, (list, tuple, set, frozenset)) and \
            all(isinstance(v, str) for v in na_values):
        return set(na_values), {}
    raise TypeError("`na_values` must be a str, a list of str or a mapping column -> list of "
                    f"str, found {type(na_values).__name__}")


# --------------------------------------------------------------------------- text files


def _decode(raw: bytes, encoding: str | None, path: Path) -> tuple[str, str]:
    if encoding is not None:
        import codecs

        try:
            codecs.lookup(encoding)
        except (LookupError, ValueError):  # ValueError: a NUL character in the name
            raise ValueError(f"`encoding` {encoding!r} is not a known text encoding") from None
        try:
            return raw.decode(encoding), encoding
        except LookupError:  # a binary codec (base64, zlib, ...): not a text encoding
            raise ValueError(f"`encoding` {encoding!r} is not a text encoding (it is a "
                             "binary codec); give one such as 'utf-8' or 'cp1252'") from None
        except UnicodeDecodeError as exc:
            raise _fail(path, f"is not valid {encoding} text (byte {exc.start}: "
                              f"{raw[exc.start:exc.start + 1]!r}); try another encoding"
                        ) from None
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    for name in _ENCODINGS:
        try:
            return raw.decode(name), name
        except UnicodeDecodeError:
            continue
    raise _fail(path, "cannot be decoded")  # pragma: no cover - latin-1 decodes anything


def _sniff_sep(text: str) -> str:
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    best, best_score = ",", (-1, -1)
    for sep in _SEPARATORS:
        try:
            counts = [len(row) for row in csv.reader(lines, delimiter=sep)]
        except csv.Error:
            continue
        if not counts or counts[0] < 2:
            continue
        consistent = sum(c == counts[0] for c in counts)
        score = (consistent, counts[0])
        if score > best_score:
            best, best_score = sep, score
    return best


def _check_sep(sep: str | None) -> str | None:
    if sep is None:
        return None
    sep = _SEP_NAMES.get(sep, sep)
    if len(sep) != 1 or sep in "\"'\r\n":
        raise ValueError(f"`sep` must be one character such as ',', ';', '|' or 'tab', got "
                         f"{sep!r}")
    return sep


def _sniff_decimal(frame, sep: str) -> str:
    if sep == ",":
        return "."
    comma = point = 0
    for column in frame.columns:
        values = frame[column].astype(str)
        comma += int(values.str.match(_NUMBER_COMMA).sum())
        point += int(values.str.match(_NUMBER_POINT).sum())
    return "," if comma and not point else "."


def _is_qualtrics(frame) -> bool:
    if len(frame) < 2:
        return False
    return any(str(v).strip().startswith('{"ImportId"') for v in frame.iloc[1].tolist())


def _read_text(raw: bytes, path: Path, *, sep, decimal, encoding, notes) -> tuple[Any, dict]:
    import pandas as pd

    text, used = _decode(raw, encoding, path)
    sep = _check_sep(sep) or _sniff_sep(text)
    try:
        frame = pd.read_csv(_io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
                            na_filter=False, skip_blank_lines=True)
    except Exception as exc:  # any parser failure becomes one clear line
        raise _fail(path, f"could not be read as CSV: {_one_line(exc)}") from exc
    labels = {}
    if _is_qualtrics(frame):
        labels = {str(c): str(v) for c, v in zip(frame.columns, frame.iloc[0], strict=True)}
        frame = frame.iloc[2:].reset_index(drop=True)
        notes.append("Qualtrics export: the question-text and ImportId rows under the header "
                     "were removed; the question text is kept as labels")
    if decimal is None:
        decimal = _sniff_decimal(frame, sep)
    elif decimal not in (".", ","):
        raise ValueError(f"`decimal` must be '.' or ',', got {decimal!r}")
    source = {"encoding": used, "sep": sep, "decimal": decimal}
    return frame, {"labels": labels, "source": source}


def _one_line(exc: BaseException) -> str:
    message = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


# --------------------------------------------------------------------------- cleaning


def _missing_mask(values, strings: set[str]):
    text = values.map(lambda v: v.strip() if isinstance(v, str) else v)
    empty = values.isna() | text.eq("")
    listed = text.isin(strings) & ~empty if strings else empty & False
    return empty, listed, text


def _as_numbers(text, decimal: str):
    import pandas as pd

    if text.map(lambda v: isinstance(v, bool)).any():
        return None
    cleaned = text.map(lambda v: v.replace(",", ".") if isinstance(v, str) and decimal == ","
                       else v)
    numbers = pd.to_numeric(cleaned, errors="coerce")
    if numbers.notna().sum() != cleaned.notna().sum():
        return None
    if numbers.notna().all() and (numbers % 1 == 0).all():
        return numbers.astype("int64")
    return numbers.astype("float64")


def _as_dates(text, date_format: str | None, column: Any, notes: list[str]):
    import pandas as pd

    present = text.dropna()
    if present.empty:
        return None
    if date_format is None and not present.astype(str).str.match(_DATE_LIKE).all():
        return None
    formats = (date_format,) if date_format else _DATE_FORMATS
    fits = []
    for fmt in formats:
        try:
            parsed = pd.to_datetime(present, format=fmt, errors="coerce")
        except ValueError as exc:  # only a given format can be malformed ('%Q')
            raise ValueError(f"`date_format` {fmt!r} is not a valid strftime format: "
                             f"{_one_line(exc)}") from None
        if parsed.notna().all():
            fits.append(fmt)
    if not fits:
        return None
    day_first = [f for f in fits if f.startswith("%d")]
    month_first = [f for f in fits if f.startswith("%m")]
    if day_first and month_first and not date_format:
        notes.append(f"column {column!r}: dates read either day-first ({day_first[0]}) or "
                     f"month-first ({month_first[0]}); kept as text — pass date_format")
        return None
    fmt = fits[0]
    if not fmt.startswith("%Y"):
        notes.append(f"column {column!r}: dates read as {fmt}")
    return pd.to_datetime(text, format=fmt, errors="coerce")


def _all_text(values) -> bool:
    return all(isinstance(v, str) for v in values.dropna())


def _clean(frame, *, decimal: str, date_format: str | None, na_all: set[str],
           na_per: Mapping[Any, set[str]], notes: list[str]) -> tuple[Any, dict]:
    """Empty cells (and ``na_values``) to missing, counted; numbers and dates typed."""
    import pandas as pd

    unknown = [c for c in na_per if c not in frame.columns]
    if unknown:
        raise ValueError(f"`na_values` names column(s) not in the data: "
                         f"{', '.join(map(repr, unknown))}")
    columns, missing = {}, {}
    for position, column in enumerate(frame.columns):
        values = frame.iloc[:, position]
        strings = na_all | set(na_per.get(column, ()))
        empty, listed, text = _missing_mask(values, strings)
        if empty.any() or listed.any():
            counts = {s: int((text[listed] == s).sum()) for s in sorted(strings)}
            missing[str(column)] = {"empty": int(empty.sum()),
                                    "na_values": {s: n for s, n in counts.items() if n}}
        textual = values.dtype == object or pd.api.types.is_string_dtype(values.dtype)
        if not textual:  # typed by the file (Excel numbers, SPSS, Parquet): keep the type
            columns[column] = values.where(~listed) if listed.any() else values
            continue
        keep = text.astype(object).where(~(empty | listed), None)
        converted = _as_numbers(keep, decimal)
        if converted is None:
            converted = _as_dates(keep, date_format, column, notes)
        if converted is None:  # text, as pandas types text; only the missing cells change
            original = values.astype(object).where(~(empty | listed), None)
            converted = original.infer_objects() if _all_text(original) else original
        columns[column] = converted
    cleaned = pd.DataFrame(columns, index=frame.index)
    cleaned.columns = frame.columns
    return cleaned, missing


# --------------------------------------------------------------------------- binary files


def _read_xlsx(raw: bytes, path: Path, sheet: Any) -> tuple[Any, dict]:
    import pandas as pd

    try:
        book = pd.ExcelFile(_io.BytesIO(raw), engine="openpyxl")
    except Exception as exc:
        raise _fail(path, f"could not be read as Excel: {_one_line(exc)}") from exc
    names = book.sheet_names
    if sheet is None:
        chosen = names[0]
    elif isinstance(sheet, int) and not isinstance(sheet, bool) and 0 <= sheet < len(names):
        chosen = names[sheet]
    elif isinstance(sheet, str) and sheet in names:
        chosen = sheet
    elif isinstance(sheet, str) and sheet.isdigit() and int(sheet) < len(names):
        chosen = names[int(sheet)]
    else:
        raise ValueError(f"`sheet` {sheet!r} is not in '{path.name}'; its sheets are: "
                         f"{', '.join(map(repr, names))}")
    frame = pd.read_excel(book, sheet_name=chosen, dtype=object, keep_default_na=False,
                          na_filter=False)
    return frame, {"labels": {}, "source": {"sheet": chosen}}


def _read_sav(raw: bytes, path: Path) -> tuple[Any, dict]:
    import pyreadstat

    try:
        frame, meta = pyreadstat.read_sav(_io.BytesIO(raw))
    except Exception as exc:
        raise _fail(path, f"could not be read as SPSS .sav: {_one_line(exc)}") from exc
    labels = {str(k): str(v) for k, v in (meta.column_names_to_labels or {}).items() if v}
    value_labels = {
        str(column): {_code(code): str(label) for code, label in mapping.items()}
        for column, mapping in (meta.variable_value_labels or {}).items()}
    return frame, {"labels": labels, "value_labels": value_labels,
                   "source": {"encoding": meta.file_encoding}}


def _code(code: Any) -> str:
    if isinstance(code, float) and code.is_integer():
        return str(int(code))
    return str(code)


def _read_parquet(raw: bytes, path: Path) -> tuple[Any, dict]:
    import pandas as pd

    try:
        return pd.read_parquet(_io.BytesIO(raw)), {"labels": {}, "source": {}}
    except Exception as exc:
        raise _fail(path, f"could not be read as Parquet: {_one_line(exc)}") from exc


# --------------------------------------------------------------------------- public


def read_table(path: str | os.PathLike[str], *, sep: str | None = None,
               decimal: str | None = None, encoding: str | None = None,
               date_format: str | None = None, sheet: str | int | None = None,
               na_values: Any = None):
    """Read a survey export into a DataFrame, saying what was detected and what is missing.

    Parameters
    ----------
    path : str or path-like
        A ``.csv``/``.tsv``/``.txt`` text file, an Excel ``.xlsx`` workbook, an SPSS
        ``.sav`` file, or a ``.parquet``/``.pq`` file. ``~`` is expanded.
    sep : str, optional
        Field separator of a text file (``","``, ``";"``, ``"|"``, ``"tab"``); detected
        when not given.
    decimal : {".", ","}, optional
        Decimal mark of a text file; detected when not given (a comma only when the
        separator is not a comma and numeric fields use commas and never points).
    encoding : str, optional
        Text encoding; detected when not given (UTF-8 with or without BOM, else cp1252,
        else latin-1).
    date_format : str, optional
        ``strftime`` format of date columns (e.g. ``"%d/%m/%Y"``). Without it, a column is
        read as dates only when all its values fit one format unambiguously.
    sheet : str or int, optional
        Sheet of an Excel workbook, by name or position (default: the first).
    na_values : str, list of str or mapping, optional
        Strings that also mean "missing" (e.g. ``["Don't know", "N/A"]``), for every column
        or per column (``{"ltr": ["DK"]}``). By default only empty cells are missing.

    Returns
    -------
    pandas.DataFrame
        Columns whose present values are all numbers are numeric (``int64`` when whole and
        complete, else ``float64``), date columns ``datetime64``, the rest text.
        ``frame.attrs["cxkit"]`` holds ``labels`` ({column: question wording}),
        ``value_labels`` ({column: {code: label}}, SPSS), ``missing`` ({column:
        {"empty": n, "na_values": {string: n}}}), ``notes`` (what was detected) and
        ``source`` ({"path", "format", "bytes", "sha256", "encoding", "sep", "decimal",
        "sheet"}). pandas carries ``attrs`` through some operations; they describe the
        file as read.

    Raises
    ------
    TypeError
        For options of the wrong type.
    ValueError
        Naming the path when the file is missing, has an unknown suffix or cannot be
        parsed; for an unknown ``sheet`` (listing the sheets) or ``encoding``.

    Notes
    -----
    The file's bytes are read once; the SHA-256 in ``source`` is computed from exactly
    the bytes that are parsed. When ``cxkit run`` executes a study it sets
    ``CXKIT_READ_LOG``, and every read is logged there so that ``run.json`` records what
    the notebook actually read.
    """
    path, kind = _check_path(path)
    sep = _check_text_option(sep, "sep")
    decimal = _check_text_option(decimal, "decimal")
    encoding = _check_text_option(encoding, "encoding")
    date_format = _check_text_option(date_format, "date_format")
    if sheet is not None and (isinstance(sheet, bool) or not isinstance(sheet, (str, int))):
        raise TypeError(f"`sheet` must be a sheet name, a position or None, found "
                        f"{type(sheet).__name__}")
    na_all, na_per = _check_na_values(na_values)
    if kind != "csv" and (sep or decimal or encoding):
        given = [n for n, v in (("sep", sep), ("decimal", decimal), ("encoding", encoding))
                 if v]
        raise ValueError(f"{', '.join(given)} apply to text files; '{path.name}' is {kind}")
    if kind != "xlsx" and sheet is not None:
        raise ValueError(f"`sheet` applies to Excel files; '{path.name}' is {kind}")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _fail(path, f"cannot be read: {exc.strerror}") from None
    notes: list[str] = []
    if kind == "csv":
        frame, meta = _read_text(raw, path, sep=sep, decimal=decimal, encoding=encoding,
                                 notes=notes)
    elif kind == "xlsx":
        frame, meta = _read_xlsx(raw, path, sheet)
    elif kind == "sav":
        frame, meta = _read_sav(raw, path)
    else:
        frame, meta = _read_parquet(raw, path)
    source = {"path": str(path.resolve()), "format": kind, "bytes": len(raw),
              "sha256": hashlib.sha256(raw).hexdigest(), "encoding": None, "sep": None,
              "decimal": None, "sheet": None, **meta.get("source", {})}
    frame, missing = _clean(frame, decimal=source["decimal"] or ".", date_format=date_format,
                            na_all=na_all, na_per=na_per, notes=notes)
    frame.attrs["cxkit"] = {"labels": meta.get("labels", {}),
                            "value_labels": meta.get("value_labels", {}),
                            "missing": missing, "notes": notes, "source": source}
    log_read(source, frame)
    return frame


def log_read(source: Mapping[str, Any], frame: Any) -> None:
    """Append what was read to ``$CXKIT_READ_LOG`` (set by ``cxkit run``), if set."""
    target = os.environ.get(READ_LOG_ENV)
    if not target:
        return
    record = {**source, "rows": int(len(frame)), "columns": [str(c) for c in frame.columns]}
    with open(target, "a", encoding="utf-8") as log:
        log.write(json.dumps(record, default=str) + "\n")


def read_report(frame: Any) -> dict[str, Any] | None:
    """What :func:`read_table` recorded about `frame`, as plain JSON values.

    Parameters
    ----------
    frame : pandas.DataFrame
        A frame returned by :func:`read_table` (or :func:`cxkit.datasets.load_data` with
        ``data_path``).

    Returns
    -------
    dict or None
        ``{"source": {...}, "missing": {column: {"empty": n, "na_values": {string: n}}},
        "n_missing": total cells treated as missing, "notes": [...], "labels": {...},
        "value_labels": {...}}``, every key and value a JSON type, ready for a study's
        ``results.json``. ``None`` when `frame` carries no read record (a bundled data set,
        whose data card documents how it is read, or a frame built in code).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.csv").write_text("region,ltr\\nNA,9\\nEU,Don't know\\n")
    >>> report = read_report(read_table(folder / "a.csv", na_values=["Don't know"]))
    >>> report["missing"], report["n_missing"], report["source"]["format"]
    ({'ltr': {'empty': 0, 'na_values': {"Don't know": 1}}}, 1, 'csv')
    """
    attrs = getattr(frame, "attrs", None)
    record = attrs.get("cxkit") if isinstance(attrs, Mapping) else None
    if not isinstance(record, Mapping) or "source" not in record:
        return None
    try:
        return _report(record)
    except (TypeError, ValueError, AttributeError, OverflowError) as exc:
        raise ValueError("`frame` carries a read record (attrs['cxkit']) that read_table did "
                         f"not write: {_one_line(exc)}") from None


def _report(record: Mapping[str, Any]) -> dict[str, Any]:
    missing = {str(column): {"empty": int(counts.get("empty", 0)),
                             "na_values": {str(k): int(v)
                                           for k, v in counts.get("na_values", {}).items()}}
               for column, counts in record.get("missing", {}).items()}
    total = sum(c["empty"] + sum(c["na_values"].values()) for c in missing.values())
    source = {str(k): (v if v is None or isinstance(v, (str, int, float, bool)) else str(v))
              for k, v in record["source"].items()}
    return {"source": source, "missing": missing, "n_missing": total,
            "notes": [str(n) for n in record.get("notes", [])],
            "labels": {str(k): str(v) for k, v in record.get("labels", {}).items()},
            "value_labels": {str(c): {str(k): str(v) for k, v in m.items()}
                             for c, m in record.get("value_labels", {}).items()}}


def describe_read(report: Mapping[str, Any] | None) -> list[str]:
    """The lines a study prints about how its file was read (from :func:`read_report`).

    One line per column with missing cells, by cause (``empty`` cells and each
    ``na_values`` string), then one per reader note. The studies print these right
    after loading, so a reader sees what was treated as missing before any result.

    Parameters
    ----------
    report : dict or None
        The result of :func:`read_report`; ``None`` (a bundled data set) gives no lines.

    Returns
    -------
    list of str

    Raises
    ------
    TypeError
        ``report`` is not a mapping from :func:`read_report` (or None).

    Examples
    --------
    >>> describe_read({"missing": {"ltr": {"empty": 2, "na_values": {"Don't know": 1}}},
    ...                "notes": ["decimal comma detected"]})
    ["missing in ltr: 2 empty, 1 'Don't know'", 'Read: decimal comma detected']
    >>> describe_read(None)
    []
    """
    if report is None:
        return []
    if not isinstance(report, Mapping):
        raise TypeError(f"`report` must be the dict of read_report (or None); got "
                        f"{type(report).__name__}")
    lines = []
    for column, counts in dict(report.get("missing") or {}).items():
        if not isinstance(counts, Mapping):
            raise TypeError(f"`report` entry missing[{column!r}] must be a dict of counts; "
                            f"got {type(counts).__name__}")
        listed = ", ".join(f"{n} '{s}'" for s, n in dict(counts.get("na_values") or {}).items())
        lines.append(f"missing in {column}: {counts.get('empty', 0)} empty"
                     + (f", {listed}" if listed else ""))
    lines.extend(f"Read: {note}" for note in report.get("notes") or [])
    return lines
