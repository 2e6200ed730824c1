"""Profile a survey data set before analysis: size, missing values, item distributions.

The overview a researcher wants first: how many rows and columns, how much is missing
where, how each Likert-type item is distributed, and how the items correlate.
:func:`profile_items` computes it; :mod:`cxkit.plots` draws it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from cxkit._results import ResultBase
from cxkit._validation import (
    _list_names,
    check_columns,
    check_dataframe,
    check_real,
    numeric_frame,
    warn,
)

__all__ = ["ItemProfile", "likert_columns", "profile_items"]

#: An item with more distinct values than this is not treated as a rating item.
MAX_CATEGORIES = 21

#: Scales an item's scale is inferred as, in this order: the first that holds every
#: observed response wins (1–10 items need ``scale=``: 0–10, the likelihood-to-recommend
#: scale, holds them too and comes first).
COMMON_SCALES: tuple[tuple[int, int], ...] = (
    (0, 1), (1, 3), (1, 4), (1, 5), (1, 6), (1, 7), (0, 10))


@dataclass(frozen=True, repr=False, eq=False)
class ItemProfile(ResultBase):
    """Profile of a data set and its rating items (see :func:`profile_items`).

    Attributes
    ----------
    n_rows, n_columns : int
        Size of the whole data set.
    items : tuple
        The rating items profiled (distribution and correlations), labelled as in
        ``data`` (an integer label stays an integer; ``1`` and ``"1"`` are different).
    scale : tuple of float or None
        Lowest and highest possible response, when every item has the same scale;
        None when the items' scales differ (see ``scales``).
    scales : dict
        Each item's scale ``(min, max)``.
    scale_inferred : bool
        True when the scale of at least one item was inferred from the observed data
        rather than given (the ``notes`` say which and how).
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
        responses), for every value of the item's own scale (zero counts included).
    correlations : pandas.DataFrame
        Pairwise-complete Pearson correlations between the items.
    notes : tuple of str
        How each inferred scale was chosen, and undefined statistics (NaN), in words.
    """

    n_rows: int
    n_columns: int
    items: tuple[Any, ...]
    scale: tuple[float, float] | None
    scales: dict[Any, tuple[float, float]]
    scale_inferred: bool
    n_complete: int
    min_pairwise_n: int
    column_summary: Any
    distribution: Any
    correlations: Any
    notes: tuple[str, ...] = ()

    _title: ClassVar[str] = "Data set profile"
    _summary_fields: ClassVar[tuple[str, ...]] = (
        "n_rows", "n_columns", "items", "scale", "scales", "scale_inferred", "n_complete",
        "min_pairwise_n")


def likert_columns(data) -> list[Any]:
    """Columns that look like rating items: numeric, integer-valued, few distinct values.

    Booleans, categoricals and text are left out, and so are numeric columns with more
    than ``MAX_CATEGORIES`` distinct values (ages, incomes, identifiers). The labels are
    returned as they are in ``data`` (integers stay integers).

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
    _check_flat_columns(data)
    out = []
    for name, col in data.items():
        if not pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col):
            continue
        valid = _valid_integers(col)
        if valid is not None:  # integers: whole numbers by their dtype, no float copy
            if valid.size and (int(valid.max()) - int(valid.min()) < MAX_CATEGORIES
                               or np.unique(valid).size <= MAX_CATEGORIES):
                out.append(name)
            continue
        values = col.to_numpy(dtype="float64", na_value=np.nan)
        values = values[~np.isnan(values)]
        if values.size == 0 or np.any(values != np.floor(values)):
            continue
        lo, hi = values.min(), values.max()
        if hi - lo < MAX_CATEGORIES or np.unique(values).size <= MAX_CATEGORIES:
            out.append(name)
    return out


def _check_flat_columns(data) -> None:
    """Refuse MultiIndex columns: an item is one column with one label."""
    import pandas as pd

    if isinstance(data.columns, pd.MultiIndex):
        raise ValueError(
            f"`data` has MultiIndex `columns` ({data.columns.nlevels} levels, e.g. "
            f"{data.columns[0]!r}); profile_items needs one label per column: flatten "
            "them first, e.g. data.columns = ['_'.join(map(str, c)) for c in data.columns]")


def profile_items(data=None, *, columns=None, scale=None) -> ItemProfile:
    """Profile a data set: missing values per column, item distributions, correlations.

    Parameters
    ----------
    data : pandas.DataFrame
        The survey responses, one row per respondent. Column labels may be strings or
        integers (``1`` and ``"1"`` are different columns); MultiIndex columns are
        refused (flatten them first).
    columns : label or sequence of labels, optional
        The rating items to profile. Default: every column that looks like a rating item
        (:func:`likert_columns`). Missing values are reported for every column of
        ``data`` regardless.
    scale : (min, max) or mapping of column to (min, max), optional
        Lowest and highest possible response (whole numbers): one pair for every item,
        or a pair per item (items left out of the mapping are inferred). Default: each
        item's scale is inferred from its observed responses as the first of
        :data:`COMMON_SCALES` (0–1, 1–3, 1–4, 1–5, 1–6, 1–7, 0–10) that holds them all,
        or the observed range when none does; the ``notes`` say which, so a 1–5 item
        beside a 0–10 item is shown on its own scale.

    Returns
    -------
    ItemProfile

    Raises
    ------
    TypeError
        ``data`` is not a DataFrame, an item is not numeric (named), or ``scale`` is
        not a pair, a mapping of pairs or None (a string such as ``"15"`` included).
    ValueError
        An unknown column (named, with the available ones), MultiIndex or duplicate
        column labels, no rating items at all, an item with more than 21 categories or
        non-integer values, a scale whose ends are not whole numbers, or responses
        outside a given scale.

    Warns
    -----
    UserWarning
        When a statistic is undefined (NaN): an item without responses, or a
        correlation with an item that has no variance or fewer than 2 shared rows.

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

    Items on different scales, each inferred and said so:

    >>> import pandas as pd
    >>> df = pd.DataFrame({"ltr": [0, 3, 7, 9, 10], "csat": [1, 2, 4, 5, 5]})
    >>> prof = profile_items(df)
    >>> prof.scales, prof.scale
    ({'ltr': (0.0, 10.0), 'csat': (1.0, 5.0)}, None)
    >>> print(prof.notes[0])
    scale of 'ltr' inferred as 0–10 from the observed values 0..10 (pass scale= to set it)
    """
    import numpy as np
    import pandas as pd

    check_dataframe(data)
    _check_flat_columns(data)
    if columns is None or (not isinstance(columns, str) and hasattr(columns, "__len__")
                           and len(columns) == 0):
        items = likert_columns(data)
        if not items:
            raise ValueError("columns: no rating items found in data (numeric, "
                             f"integer-valued, at most {MAX_CATEGORIES} distinct values); "
                             "pass columns=[...]")
        repeated = [c for c in dict.fromkeys(items) if items.count(c) > 1]
        if repeated:
            raise ValueError(f"`data` has several columns named {_list_names(repeated)}, "
                             "so the default `columns` are ambiguous; rename the duplicate "
                             "columns first")
    else:
        items = check_columns(data, columns, "columns")
    given = _check_scale_arg(scale, items)
    stats = _integer_item_stats(data, items, given)
    if stats is None:
        stats = _general_item_stats(data, items, given)
    scales, notes = stats.scales, list(stats.notes)
    levels = [np.arange(scales[item][0], scales[item][1] + 1.0) for item in items]
    counts = stats.counts
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = [c / c.sum() for c in counts]
    distribution = pd.DataFrame({
        "item": pd.Series([item for item, v in zip(items, levels, strict=True)
                           for _ in range(v.size)], dtype=object),
        "value": np.concatenate(levels), "count": np.concatenate(counts),
        "share": np.concatenate(shares)})
    pairwise_n, corr = stats.pairwise_n, stats.corr
    summary, summary_notes = _column_summary(data, stats.moments)
    undefined = _nan_notes(items, stats.has_responses, pairwise_n, corr)
    for note in undefined:
        warn(note)
    notes += summary_notes + undefined
    distinct = set(scales.values())
    return ItemProfile(
        n_rows=len(data), n_columns=data.shape[1], items=tuple(items),
        scale=distinct.pop() if len(distinct) == 1 else None, scales=scales,
        scale_inferred=any(item not in given for item in items),
        n_complete=stats.n_complete,
        min_pairwise_n=int(pairwise_n.min()),
        column_summary=summary, distribution=distribution,
        correlations=pd.DataFrame(corr, index=pd.Index(items, dtype=object),
                                  columns=pd.Index(items, dtype=object)),
        notes=tuple(notes),
    )


@dataclass(frozen=True)
class _ItemStats:
    """The sufficient statistics of the items a profile is built from."""

    scales: dict[Any, tuple[float, float]]
    notes: list[str]
    counts: list[Any]  # per item, int64 counts of lo..hi
    moments: dict[Any, list[float | None]]  # (type, label) -> mean, sd, min, max
    has_responses: Any  # bool per item
    n_complete: int
    pairwise_n: Any
    corr: Any


def _general_item_stats(data, items, given) -> _ItemStats:
    """Any numeric dtype: the items as one float64 matrix, NaN for missing."""
    import numpy as np

    x = numeric_frame(data, items, "columns").to_numpy()
    present = ~np.isnan(x)
    if not present.any():
        raise ValueError(f"columns: the items {_list_names(items)} have no non-missing "
                         "responses")
    fractional = np.any(present & (x != np.floor(np.where(present, x, 0.0))), axis=0)
    if fractional.any():
        bad = [c for c, f in zip(items, fractional, strict=True) if f]
        raise ValueError(f"columns: items must be integer-valued ratings; {bad} are not")
    scales, notes = _item_scales(items, x, present, given)
    counts = []
    for j, item in enumerate(items):
        lo, hi = scales[item]
        counts.append(np.bincount((x[present[:, j], j] - lo).astype(np.int64),
                                  minlength=int(hi - lo) + 1))
    pairwise_n, corr = _pairwise_pearson(x, present)
    moments = {(type(item), item): _numeric_stats(x[present[:, j], j])
               for j, item in enumerate(items)}
    return _ItemStats(scales=scales, notes=notes, counts=counts, moments=moments,
                      has_responses=present.any(axis=0),
                      n_complete=int(present.all(axis=1).sum()), pairwise_n=pairwise_n,
                      corr=corr)


#: Integers beyond this size are not exact in float64: the general path takes them.
_EXACT = 2 ** 53
#: Rows per block of the pairwise sums (cache-sized blocks, one product per block).
_ROWS = 1 << 16


def _valid_integers(col):
    """The non-missing values of an integer column (numpy or nullable), or None."""
    from cxkit._tally import _integer_values

    array, mask = _integer_values(col)
    if array is None:
        return None
    return array[~mask] if mask is not None and mask.any() else array


def _integer_item_stats(data, items, given) -> _ItemStats | None:
    """Integer items (numpy or nullable): the statistics from the integers themselves.

    Counts by ``bincount`` of the values, means and SDs from the counts, the pairwise
    sums of :func:`_pairwise_pearson` accumulated over blocks of rows from the integer
    data and its mask — no float64 copy of the whole data, no NaN or whole-number checks
    that integers cannot fail. ``None`` (the general path, which words any error) for
    other dtypes, an item without responses, responses outside a given scale, a scale
    beyond ``MAX_CATEGORIES`` or integers beyond 2⁵³.
    """
    import numpy as np

    from cxkit._tally import _integer_values

    columns = []
    for item in items:
        col = data[item]
        array, mask = _integer_values(col) if getattr(col, "ndim", 2) == 1 else (None, None)
        if array is None:
            return None
        columns.append((array, mask if mask is not None and mask.any() else None))
    scales, notes, counts, moments, means = {}, [], [], {}, []
    for item, (array, mask) in zip(items, columns, strict=True):
        valid = array if mask is None else array[~mask]
        if valid.size == 0:
            return None
        low, high = int(valid.min()), int(valid.max())
        if low < -_EXACT or high > _EXACT:
            return None
        if item in given:
            lo, hi = given[item]
            if low < lo or high > hi:
                return None
        else:
            (lo, hi), how = _infer_scale(float(low), float(high))
            notes.append(f"scale of {item!r} inferred as {lo:g}–{hi:g} from the observed "
                         f"values {float(low):g}..{float(high):g} ({how})")
        if hi - lo + 1 > MAX_CATEGORIES:
            return None
        scales[item] = (lo, hi)
        first = int(lo)
        codes = valid.astype(np.intp, copy=False)
        if 0 <= first <= 64:  # no shifted copy: count from 0 and drop the points below lo
            count = np.bincount(codes, minlength=int(hi) + 1)[first:]
        else:
            count = np.bincount(codes - first, minlength=int(hi - lo) + 1)
        counts.append(count)
        n = int(valid.size)
        points = np.arange(first, first + count.size)
        total = sum(int(c) * int(v) for c, v in zip(count, points, strict=True) if c)
        mean = total / n  # exact sum, one rounding: the general path's mean of the items
        sd = (float(np.sqrt(np.dot(count, (points - mean) ** 2) / (n - 1))) if n > 1
              else None)
        moments[(type(item), item)] = [mean, sd, float(low), float(high)]
        means.append(mean)
    pairwise_n, corr, n_complete = _integer_pairwise(columns, np.array(means))
    return _ItemStats(scales=scales, notes=notes, counts=counts, moments=moments,
                      has_responses=np.ones(len(items), dtype=bool), n_complete=n_complete,
                      pairwise_n=pairwise_n, corr=corr)


def _integer_pairwise(columns, means):
    """The sums n, s, q, c of :func:`_pairwise_pearson` over blocks of rows, from each
    item's integers and missing mask; the correlations; the rows with every item.

    BLAS runs on one thread here: the products per block are small, and with two-thread
    OpenBLAS the item statistics of 10⁶ × 10 took 186–548 ms on a busy 2-core machine
    against 233–308 ms on one thread (the products alone: about 50 against 62 ms on an
    idle machine).
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        return _integer_pairwise_sums(columns, means)


def _integer_pairwise_sums(columns, means):
    import numpy as np

    k = len(columns)
    rows = columns[0][0].size
    block = np.empty((3 * k, min(_ROWS, max(rows, 1))))  # z, z², present (0/1)
    by_present = np.zeros((3 * k, k))
    cross = np.zeros((k, k))
    n_complete = 0
    for start in range(0, rows, _ROWS):
        stop = min(start + _ROWS, rows)
        b = block[:, :stop - start]
        z, z2, m = b[:k], b[k:2 * k], b[2 * k:]
        for j, (array, mask) in enumerate(columns):
            np.subtract(array[start:stop], means[j], out=z[j])
            if mask is None:
                m[j] = 1.0
            else:
                np.subtract(1.0, mask[start:stop], out=m[j])
        z *= m  # 0 where missing
        np.multiply(z, z, out=z2)
        by_present += b @ m.T
        cross += z @ z.T
        n_complete += int(np.count_nonzero(m.min(axis=0)))
    n, s, q = by_present[2 * k:], by_present[:k], by_present[k:2 * k]
    return (n.astype(np.int64), _pearson_from_sums(n, s, q, cross), n_complete)


def _check_scale_arg(scale, items) -> dict[Any, tuple[float, float]]:
    """The given scales as {item: (lo, hi)}: every item, some (a mapping) or none."""
    if scale is None:
        return {}
    if isinstance(scale, Mapping):
        unknown = [k for k in scale if not any(_same_label(k, i) for i in items)]
        if unknown:
            raise ValueError(f"`scale` names {len(unknown)} column(s) that are not items: "
                             f"{_list_names(unknown)}; the items are {_list_names(items)}")
        return {i: _one_scale(v, f"scale[{i!r}]") for k, v in scale.items()
                for i in items if _same_label(k, i)}
    pair = _one_scale(scale, "scale")
    return dict.fromkeys(items, pair)


def _same_label(a, b) -> bool:
    """Equal labels of the same type: 1, 1.0 and True differ from "1" and from each other."""
    return type(a) is type(b) and a == b


def _one_scale(value, name: str) -> tuple[float, float]:
    """A pair of whole numbers lo < hi with at most MAX_CATEGORIES categories."""
    if isinstance(value, (str, bytes, Mapping)) or not hasattr(value, "__len__") \
            or len(value) != 2:
        raise TypeError(f"`{name}` must be a pair (min, max) of whole numbers, e.g. (1, 5), "
                        f"or a mapping of column to such a pair; got {value!r}")
    ends = []
    for v in value:
        if isinstance(v, (bool, str, bytes)):
            raise TypeError(f"`{name}` must be a pair of whole numbers, e.g. (1, 5); got "
                            f"{value!r}")
        ends.append(check_real(v, name, allow_inf=False))
    lo, hi = ends
    if lo != int(lo) or hi != int(hi):
        raise ValueError(f"`{name}` must have whole-number ends (the categories of a rating "
                         f"item are the integers min..max); got ({lo:g}, {hi:g})")
    if not lo < hi:
        raise ValueError(f"`{name}`: expected min < max, got {value!r}")
    if hi - lo + 1 > MAX_CATEGORIES:
        raise ValueError(f"`{name}` spans {lo:g}–{hi:g}, more than {MAX_CATEGORIES} response "
                         "categories; the items do not look like rating items")
    return lo, hi


def _item_scales(items, x, present, given):
    """Each item's scale (given, or inferred from its responses) and how it was chosen."""
    import numpy as np

    scales, notes = {}, []
    for j, item in enumerate(items):
        observed = x[present[:, j], j]
        if item in given:
            lo, hi = given[item]
            outside = observed[(observed < lo) | (observed > hi)]
            if outside.size:
                examples = ", ".join(f"{v:g}" for v in np.unique(outside)[:3])
                raise ValueError(
                    f"`data` column {item!r}: {outside.size} responses lie outside `scale` "
                    f"{lo:g}–{hi:g} (e.g. {examples}); clean them or pass another scale")
            scales[item] = (lo, hi)
        elif observed.size:
            scales[item], how = _infer_scale(float(observed.min()), float(observed.max()))
            lo, hi = scales[item]
            notes.append(f"scale of {item!r} inferred as {lo:g}–{hi:g} from the observed "
                         f"values {observed.min():g}..{observed.max():g} ({how})")
    for item in items:  # items without a response: the other items' scale, when shared
        if item not in scales:
            known = set(scales.values())
            if len(known) != 1:
                raise ValueError(f"columns: {item!r} has no responses, so its scale cannot "
                                 f"be inferred; pass scale={{{item!r}: (min, max)}} or leave "
                                 "it out")
            scales[item] = lo, hi = known.pop()
            notes.append(f"scale of {item!r} taken as {lo:g}–{hi:g}, the other items' scale "
                         "(it has no responses)")
    for item, (lo, hi) in scales.items():
        if hi - lo + 1 > MAX_CATEGORIES:
            raise ValueError(f"columns: {item!r} spans {lo:g}–{hi:g}, more than "
                             f"{MAX_CATEGORIES} response categories; it does not look like "
                             "a rating item")
    return scales, notes


def _infer_scale(lo: float, hi: float) -> tuple[tuple[float, float], str]:
    for a, b in COMMON_SCALES:
        if a <= lo and hi <= b:
            return (float(a), float(b)), "pass scale= to set it"
    return (lo, hi), "no common scale holds them; pass scale= to set it"


def _nan_notes(items, has_responses, pairwise_n, corr) -> list[str]:
    """Sentences for the undefined statistics (NaN) of a profile."""
    import numpy as np

    notes = []
    empty = [item for item, has in zip(items, has_responses, strict=True) if not has]
    if empty:
        notes.append(f"{_list_names(empty)} have no responses: their shares, mean and "
                     "correlations are undefined (NaN)")
    k = len(items)
    off = ~np.eye(k, dtype=bool)
    undefined = np.isnan(corr) & off
    undefined[:, [j for j, item in enumerate(items) if item in empty]] = False
    undefined[[j for j, item in enumerate(items) if item in empty], :] = False
    if undefined.any():
        few = undefined & (pairwise_n < 2)
        pairs = int(np.triu(undefined).sum())
        reason = ("fewer than 2 rows answer both items, or an item has no variance there"
                  if few.any() else "an item has no variance")
        involved = [items[j] for j in range(k) if undefined[j].any()]
        notes.append(f"{pairs} inter-item correlation(s) are undefined (NaN), involving "
                     f"{_list_names(involved)}: {reason}")
    return notes


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
    return n.astype(np.int64), _pearson_from_sums(n, s, q, c)


def _pearson_from_sums(n, s, q, c):
    """r_ij from the pairwise sums n, s, q, c of :func:`_pairwise_pearson`."""
    import numpy as np

    with np.errstate(invalid="ignore", divide="ignore"):
        var_i = q - s * s / n
        corr = (c - s * s.T / n) / np.sqrt(var_i * var_i.T)
    corr[(n < 2) | ~np.isfinite(corr)] = np.nan
    return np.clip(corr, -1.0, 1.0)


def _column_summary(data, item_stats):
    """One row per column: n, missing, and mean/sd/min/max (NA where not applicable);
    ``item_stats`` holds the items' mean, sd, min and max by (type, label)."""
    import numpy as np
    import pandas as pd

    rows, notes = [], []
    for name, col in data.items():
        key = (type(name), name)
        n_missing = int(col.isna().sum())
        if key in item_stats:
            mean, sd, lo, hi = item_stats[key]
        elif _is_number_column(col):
            v = col.to_numpy(dtype="float64", na_value=np.nan)
            infinite = int(np.isinf(v).sum())
            if infinite:
                notes.append(f"column {name!r} holds {infinite} infinite value(s), left out "
                             "of its mean, sd, min and max")
            mean, sd, lo, hi = _numeric_stats(v[np.isfinite(v)])
        else:
            mean = sd = lo = hi = None
        rows.append({"column": name, "dtype": str(col.dtype), "n": len(col) - n_missing,
                     "n_missing": n_missing, "share_missing": n_missing / len(col)
                     if len(col) else None, "mean": mean, "sd": sd, "min": lo, "max": hi,
                     "is_item": key in item_stats})
    frame = pd.DataFrame(rows, columns=["column", "dtype", "n", "n_missing", "share_missing",
                                        "mean", "sd", "min", "max", "is_item"])
    frame["column"] = frame["column"].astype(object)
    for name in ("share_missing", "mean", "sd", "min", "max"):
        frame[name] = pd.array([None if v is None or v != v else v for v in frame[name]],
                               dtype="Float64")
    return frame, notes


def _is_number_column(col) -> bool:
    import pandas as pd

    dtype = col.dtype
    return (pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)
            and not pd.api.types.is_complex_dtype(dtype))


def _numeric_stats(v) -> list[float | None]:
    """Mean, sd (n − 1), min and max of finite values, without overflow; None if undefined.

    Values are divided by their largest magnitude first, so that 1e300 does not overflow
    the sum of squares.
    """
    import numpy as np

    if v.size == 0:
        return [None] * 4
    big = float(np.abs(v).max())
    unit = big if big > 0 else 1.0
    z = v / unit
    mean = float(z.mean()) * unit
    sd = float(z.std(ddof=1)) * unit if v.size > 1 else None
    return [mean, sd, float(v.min()), float(v.max())]
