"""Profile a survey data set before analysis: size, missing values, item distributions.

The overview a researcher wants first: how many rows and columns, how much is missing
where, how each Likert-type item is distributed, and how the items correlate.
:func:`profile_items` computes it; :mod:`cxkit.plots` draws it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from cxkit._results import ResultBase
from cxkit._validation import check_columns, check_dataframe, numeric_frame

__all__ = ["ItemProfile", "likert_columns", "profile_items"]

#: An item with more distinct values than this is not treated as a rating item.
MAX_CATEGORIES = 21


@dataclass(frozen=True, repr=False, eq=False)
class ItemProfile(ResultBase):
    """Profile of a data set and its rating items (see :func:`profile_items`).

    Attributes
    ----------
    n_rows, n_columns : int
        Size of the whole data set.
    items : tuple of str
        The rating items profiled (distribution and correlations).
    scale : tuple of float
        Lowest and highest possible response of the items.
    scale_inferred : bool
        True when ``scale`` was taken from the observed data rather than given.
    n_complete : int
        Rows with a response to every item.
    min_pairwise_n : int
        Smallest number of rows behind any inter-item correlation.
    column_summary : pandas.DataFrame
        One row per column of the data: ``column``, ``dtype``, ``n`` (non-missing),
        ``n_missing``, ``share_missing``, ``mean``, ``sd``, ``min``, ``max`` (NaN for
        non-numeric columns), ``is_item``.
    distribution : pandas.DataFrame
        Tidy: ``item``, ``value``, ``count``, ``share`` (of the item's non-missing
        responses), for every value of the scale (zero counts included).
    correlations : pandas.DataFrame
        Pairwise-complete Pearson correlations between the items.
    """

    n_rows: int
    n_columns: int
    items: tuple[str, ...]
    scale: tuple[float, float]
    scale_inferred: bool
    n_complete: int
    min_pairwise_n: int
    column_summary: Any
    distribution: Any
    correlations: Any

    _title: ClassVar[str] = "Data set profile"
    _summary_fields: ClassVar[tuple[str, ...]] = (
        "n_rows", "n_columns", "items", "scale", "scale_inferred", "n_complete",
        "min_pairwise_n")


def likert_columns(data) -> list[str]:
    """Columns that look like rating items: numeric, integer-valued, few distinct values.

    Booleans, categoricals and text are left out, and so are numeric columns with more
    than ``MAX_CATEGORIES`` distinct values (ages, incomes, identifiers).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"q1": [1, 2, 5], "age": [18.5, 40, 71], "sex": ["f", "m", "f"]})
    >>> likert_columns(df)
    ['q1']
    """
    import pandas as pd

    check_dataframe(data)
    out = []
    for name, col in data.items():
        if not pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col):
            continue
        values = col.dropna().astype("float64")
        if values.empty or not (values % 1 == 0).all():
            continue
        if values.nunique() <= MAX_CATEGORIES:
            out.append(str(name))
    return out


def profile_items(data=None, *, columns=None, scale=None) -> ItemProfile:
    """Profile a data set: missing values per column, item distributions, correlations.

    Parameters
    ----------
    data : pandas.DataFrame
        The survey responses, one row per respondent.
    columns : str or sequence of str, optional
        The rating items to profile. Default: every column that looks like a rating item
        (:func:`likert_columns`). Missing values are reported for every column of
        ``data`` regardless.
    scale : (min, max), optional
        Lowest and highest possible response. Default: the observed range over all the
        items (stated as ``scale_inferred=True``), so categories nobody chose at the ends
        of the scale are only shown when the scale is given.

    Returns
    -------
    ItemProfile

    Raises
    ------
    TypeError
        ``data`` is not a DataFrame, or an item is not numeric (named).
    ValueError
        An unknown column (named, with the available ones), no rating items at all, an
        item with more than 21 distinct or non-integer values, or responses outside a
        given ``scale``.

    Notes
    -----
    Correlations are Pearson coefficients on pairwise-complete rows, as
    ``pandas.DataFrame.corr`` and R's ``cor(use = "pairwise")`` compute them; the
    smallest pairwise n is reported so that a correlation resting on few rows is visible.

    Examples
    --------
    >>> import cxkit
    >>> prof = profile_items(cxkit.load_dataset("bfi"), columns=["A1", "A2", "A3"], scale=(1, 6))
    >>> prof.n_rows, prof.items
    (2800, ('A1', 'A2', 'A3'))
    >>> int(prof.column_summary.set_index("column").loc["A1", "n_missing"])
    16
    >>> round(float(prof.correlations.loc["A2", "A3"]), 3)
    0.485
    """
    import numpy as np

    check_dataframe(data)
    items = check_columns(data, columns if columns else likert_columns(data), "columns")
    if not items:
        raise ValueError("columns: no rating items found in data (numeric, integer-valued, "
                         f"at most {MAX_CATEGORIES} distinct values); pass columns=[...]")
    frame = numeric_frame(data, items, "columns")
    values = frame.to_numpy()
    observed = values[~np.isnan(values)]
    if observed.size == 0:
        raise ValueError(f"columns: the items {items} have no non-missing responses")
    if observed.size and not np.all(observed % 1 == 0):
        bad = [c for c in items if not (frame[c].dropna() % 1 == 0).all()]
        raise ValueError(f"columns: items must be integer-valued ratings; {bad} are not")
    too_many = [c for c in items if frame[c].nunique() > MAX_CATEGORIES]
    if too_many:
        raise ValueError(f"columns: {too_many} have more than {MAX_CATEGORIES} distinct "
                         "values; they do not look like rating items")
    lo, hi, inferred = _scale(observed, scale)
    distribution = _distribution(frame, lo, hi)
    present = frame.notna().to_numpy().astype("int64")
    pairwise_n = present.T @ present
    return ItemProfile(
        n_rows=len(data), n_columns=data.shape[1], items=tuple(items), scale=(lo, hi),
        scale_inferred=inferred, n_complete=int(present.all(axis=1).sum()),
        min_pairwise_n=int(pairwise_n.min()), column_summary=_column_summary(data, items),
        distribution=distribution, correlations=frame.corr(method="pearson"),
    )


def _scale(observed, scale) -> tuple[float, float, bool]:
    import numpy as np

    if scale is None:
        return float(observed.min()), float(observed.max()), True
    try:
        lo, hi = (float(v) for v in scale)
    except (TypeError, ValueError):
        raise TypeError(f"scale: expected a pair (min, max), got {scale!r}") from None
    if not lo < hi:
        raise ValueError(f"scale: expected min < max, got {scale!r}")
    outside = observed[(observed < lo) | (observed > hi)]
    if outside.size:
        examples = ", ".join(f"{v:g}" for v in np.unique(outside)[:3])
        raise ValueError(f"columns: {outside.size} responses lie outside scale "
                         f"{lo:g}–{hi:g} (e.g. {examples}); clean them or pass another scale")
    return lo, hi, False


def _distribution(frame, lo: float, hi: float):
    import numpy as np
    import pandas as pd

    levels = np.arange(lo, hi + 1.0)
    rows = []
    for item in frame.columns:
        counts = frame[item].value_counts().reindex(levels, fill_value=0)
        total = counts.sum()
        for value, count in counts.items():
            rows.append((item, float(value), int(count), count / total if total else np.nan))
    return pd.DataFrame(rows, columns=["item", "value", "count", "share"])


def _column_summary(data, items):
    import numpy as np
    import pandas as pd

    rows = []
    for name, col in data.items():
        numeric = pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col)
        x = col.astype("float64") if numeric else None
        n = int(col.notna().sum())
        rows.append({
            "column": str(name), "dtype": str(col.dtype), "n": n,
            "n_missing": int(col.isna().sum()), "share_missing": float(col.isna().mean()),
            "mean": float(x.mean()) if numeric and n else np.nan,
            "sd": float(x.std(ddof=1)) if numeric and n > 1 else np.nan,
            "min": float(x.min()) if numeric and n else np.nan,
            "max": float(x.max()) if numeric and n else np.nan,
            "is_item": str(name) in items,
        })
    return pd.DataFrame(rows)
