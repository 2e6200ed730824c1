"""Profile a survey data set before analysis: size, missing values, item distributions.

The overview a researcher wants first: how many rows and columns, how much is missing
where, how each Likert-type item is distributed, and how the items correlate.
:func:`profile_items` computes it; :mod:`cxkit.plots` draws it.
"""

from __future__ import annotations

import warnings
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
    import numpy as np
    import pandas as pd

    check_dataframe(data)
    out = []
    for name, col in data.items():
        if not pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col):
            continue
        values = col.to_numpy(dtype="float64", na_value=np.nan)
        values = values[~np.isnan(values)]
        if values.size == 0 or np.any(values != np.floor(values)):
            continue
        lo, hi = values.min(), values.max()
        if hi - lo < MAX_CATEGORIES or np.unique(values).size <= MAX_CATEGORIES:
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
    import pandas as pd

    check_dataframe(data)
    if columns is None or (not isinstance(columns, str) and len(columns) == 0):
        items = likert_columns(data)
        if not items:
            raise ValueError("columns: no rating items found in data (numeric, "
                             f"integer-valued, at most {MAX_CATEGORIES} distinct values); "
                             "pass columns=[...]")
    else:
        items = check_columns(data, columns, "columns")
    x = numeric_frame(data, items, "columns").to_numpy()
    present = ~np.isnan(x)
    if not present.any():
        raise ValueError(f"columns: the items {items} have no non-missing responses")
    fractional = np.any(present & (x != np.floor(np.where(present, x, 0.0))), axis=0)
    if fractional.any():
        bad = [c for c, f in zip(items, fractional, strict=True) if f]
        raise ValueError(f"columns: items must be integer-valued ratings; {bad} are not")
    lo, hi, inferred = _scale(x[present], scale)
    if hi - lo + 1 > MAX_CATEGORIES:
        raise ValueError(f"columns: the items span {lo:g}–{hi:g}, more than "
                         f"{MAX_CATEGORIES} response categories; they do not look like "
                         "rating items")
    counts = _category_counts(x, present, lo, hi)
    levels = np.arange(lo, hi + 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = counts / counts.sum(axis=1, keepdims=True)
    distribution = pd.DataFrame({
        "item": np.repeat(items, len(levels)), "value": np.tile(levels, len(items)),
        "count": counts.ravel(), "share": shares.ravel()})
    pairwise_n, corr = _pairwise_pearson(x, present)
    return ItemProfile(
        n_rows=len(data), n_columns=data.shape[1], items=tuple(items), scale=(lo, hi),
        scale_inferred=inferred, n_complete=int(present.all(axis=1).sum()),
        min_pairwise_n=int(pairwise_n.min()),
        column_summary=_column_summary(data, items, x, present), distribution=distribution,
        correlations=pd.DataFrame(corr, index=items, columns=items),
    )


def _category_counts(x, present, lo: float, hi: float):
    """Counts of each response lo..hi per item (items × categories), by bincount."""
    import numpy as np

    k = int(hi - lo) + 1
    codes = np.where(present, x - lo, 0).astype(np.int64)
    return np.stack([np.bincount(codes[present[:, j], j], minlength=k)
                     for j in range(x.shape[1])])


def _pairwise_pearson(x, present):
    """Pairwise-complete Pearson correlations from sufficient statistics.

    With M the 0/1 matrix of non-missing responses and Z the column-centred responses
    (0 where missing), the sums over the rows where both items i and j are present are
    n = MᵀM, s_i|j = (ZᵀM)_ij, q_i|j = ((Z∘Z)ᵀM)_ij and c_ij = (ZᵀZ)_ij, so that
    r_ij = (c − s_i|j s_j|i / n) / √((q_i|j − s_i|j²/n)(q_j|i − s_j|i²/n)):
    four matrix products instead of one pass per pair. Centring first keeps the
    subtraction numerically stable.
    """
    import numpy as np

    m = present.astype(np.float64)
    n_obs = m.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(present, x, 0.0).sum(axis=0) / n_obs
        z = np.where(present, x - means, 0.0)
        n = m.T @ m
        s = z.T @ m
        q = (z * z).T @ m
        c = z.T @ z
        var_i = q - s * s / n
        corr = (c - s * s.T / n) / np.sqrt(var_i * var_i.T)
    corr[(n < 2) | ~np.isfinite(corr)] = np.nan
    return n.astype(np.int64), np.clip(corr, -1.0, 1.0)


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


def _column_summary(data, items, x, present):
    import numpy as np
    import pandas as pd

    item_stats = {}
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-missing items give NaN
        n = present.sum(axis=0)
        stats = (n, np.nanmean(x, axis=0), np.nanstd(x, axis=0, ddof=1),
                 np.nanmin(x, axis=0), np.nanmax(x, axis=0))
    for j, item in enumerate(items):
        item_stats[item] = [float(v[j]) for v in stats[1:]]
    rows = []
    for name, col in data.items():
        name = str(name)
        numeric = pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col)
        n_missing = int(col.isna().sum())
        if name in item_stats:
            mean, sd, lo, hi = item_stats[name]
        elif numeric:
            v = col.astype("float64")
            mean, sd, lo, hi = v.mean(), v.std(ddof=1), v.min(), v.max()
        else:
            mean = sd = lo = hi = np.nan
        rows.append({"column": name, "dtype": str(col.dtype), "n": len(col) - n_missing,
                     "n_missing": n_missing, "share_missing": n_missing / len(col)
                     if len(col) else np.nan, "mean": mean, "sd": sd, "min": lo, "max": hi,
                     "is_item": name in item_stats})
    return pd.DataFrame(rows)
