"""Figures, one function per chart. They draw result objects and compute no statistics.

Each function returns the matplotlib ``Figure`` (draw into ``ax`` if given) so that a
notebook can show it and save it; matplotlib and seaborn are imported when called.
"""

from __future__ import annotations

from collections.abc import Mapping

from cxkit._validation import _fmt_value, _list_names, _typename

__all__ = [
    "LEVER_COLOURS",
    "NPS_COLOURS",
    "alpha_scatter",
    "correlation_heatmap",
    "coverage_plot",
    "item_analysis",
    "lever_effects",
    "likert_bars",
    "missing_bars",
    "nps_distribution",
    "nps_forest",
    "nps_sampling_distribution",
    "nps_trend_plot",
    "ranking_accuracy",
    "revenue_distribution",
    "revenue_tornado",
    "revenue_waterfall",
    "save_figure",
]

_ITEM_INCH = 0.34  # vertical space per item in horizontal bar charts
_PROFILE = "an ItemProfile (from cxkit.profile_items)"


# --------------------------------------------------------------------------------------
# Argument checks (shared by every figure; they run before a figure is created)
# --------------------------------------------------------------------------------------


def _check_ax(ax, *, pair: bool = False):
    """None, a matplotlib Axes or (when ``pair``) a pair of Axes; else a named TypeError."""
    if ax is None:
        return None
    from matplotlib.axes import Axes

    if isinstance(ax, Axes):
        return ax
    if pair and (isinstance(ax, (list, tuple)) or hasattr(ax, "ravel")):
        axes = list(ax.ravel()) if hasattr(ax, "ravel") else list(ax)
        if len(axes) != 2:
            raise ValueError(f"`ax` must be one Axes or a pair (left, right); got {len(axes)}")
        if all(isinstance(a, Axes) for a in axes):
            return ax
    expected = "a matplotlib Axes, a pair of Axes or None" if pair else \
        "a matplotlib Axes or None"
    raise TypeError(f"`ax` must be {expected}; got {_typename(ax)}")


def _check_title(title):
    if title is not None and not isinstance(title, str):
        raise TypeError(f"`title` must be a str or None; got {_typename(title)} "
                        f"{_fmt_value(title)}")
    return title


def _check_bool(value, name: str, *, allow_none: bool = False):
    import numpy as np

    if value is None and allow_none:
        return None
    if not isinstance(value, (bool, np.bool_)):
        expected = "True, False or None" if allow_none else "True or False"
        raise TypeError(f"`{name}` must be {expected}; got {_typename(value)} "
                        f"{_fmt_value(value)}")
    return bool(value)


def _check_result(result, name: str, attributes, expected: str):
    """A result object (or a stand-in) with the ``attributes`` a figure reads."""
    import pandas as pd

    lacking = [a for a in attributes if not hasattr(result, a)]
    if lacking or isinstance(result, (pd.DataFrame, pd.Series, str, bytes)):
        found = f" (it has no {', '.join(map(repr, lacking))})" if lacking else ""
        raise TypeError(f"`{name}` must be {expected}; got {_typename(result)}{found}")
    return result


def _check_number(value, name: str, *, allow_none: bool = True, allow_nan: bool = False):
    """A finite real number (or None); a named TypeError/ValueError otherwise."""
    from cxkit._validation import check_real

    if value is None and allow_none:
        return None
    number = check_real(value, name, allow_nan=allow_nan)
    if abs(number) == float("inf"):
        raise ValueError(f"`{name}` must be a finite number; got {number}")
    return number


def _check_counts(values, name: str, column: str):
    """Non-negative whole numbers, none missing (the n of each row)."""
    import numpy as np

    with np.errstate(invalid="ignore"):
        bad = ~(np.isfinite(values) & (values >= 0) & (values == np.floor(values)))
    if bad.any():
        raise ValueError(f"`{name}` column {column!r} must hold counts (whole numbers >= 0, "
                         f"none missing); found {_fmt_value(values[bad][0])}")


def _check_table(table, name: str, required, numeric=(), *, what: str):
    """A DataFrame with the ``required`` columns, each present once; ``numeric`` ones as
    float arrays (NaN for missing; text, booleans and infinities refused by name)."""
    import numpy as np
    import pandas as pd

    from cxkit._validation import as_float_array, check_dataframe

    check_dataframe(table, name)
    if isinstance(table.columns, pd.MultiIndex):
        raise ValueError(f"`{name}` has MultiIndex columns; expected {what} (flatten the "
                         "column labels first)")
    missing = [c for c in required if c not in table.columns]
    if missing:
        raise ValueError(f"`{name}` lacks the column(s) {missing}; expected {what}")
    repeated = [c for c in required if not isinstance(table.columns.get_loc(c), int)]
    if repeated:
        raise ValueError(f"`{name}` has several columns named {_list_names(repeated)}; "
                         "rename the duplicate columns first")
    arrays = {}
    for column in numeric:
        values = as_float_array(table[column], name, column=column)
        if np.isinf(values).any():
            raise ValueError(f"`{name}` column {column!r} holds infinite values; expected "
                             "finite numbers (NaN for missing)")
        arrays[column] = values
    return arrays



def _figure(ax, width: float, height: float):
    import matplotlib.pyplot as plt

    if ax is not None:
        return ax.figure, ax
    fig, ax = plt.subplots(figsize=(width, height), layout="constrained")
    return fig, ax


def likert_bars(profile, *, ax=None, labels=None, title=None):
    """Diverging stacked bars: each item's response distribution around its scale midpoint.

    Shares of responses below the midpoint extend left, above it right; a middle
    category (odd number of points) is split evenly across zero, so items can be compared
    by how far their bars lean to either side. Bar labels give each item's n. Items on
    different scales (``profile.scales``, e.g. 1–5 beside 0–10) are drawn in one panel
    per scale, each around its own midpoint.

    Parameters
    ----------
    profile : cxkit.profile.ItemProfile
        From :func:`cxkit.profile_items`.
    ax : matplotlib Axes, optional
        Only when the items share one scale (one panel).
    labels : mapping of item to label, optional
        E.g. item wordings, shown instead of column names.
    title : str, optional
    """
    import matplotlib.pyplot as plt

    _check_result(profile, "profile", ("items", "scale", "distribution"),
                  _PROFILE)
    ax, title = _check_ax(ax), _check_title(title)
    if labels is not None and not isinstance(labels, Mapping):
        raise TypeError(f"`labels` must be a mapping of item to label or None; got "
                        f"{_typename(labels)}")
    if not len(profile.items):
        raise ValueError("`profile` has no items to draw")
    scales = getattr(profile, "scales", None) or dict.fromkeys(profile.items, profile.scale)
    groups: dict = {}
    for item in profile.items:
        groups.setdefault(tuple(scales[item]), []).append(item)
    if len(groups) == 1:
        fig, ax = _figure(ax, 9.5, 1.6 + _ITEM_INCH * len(profile.items))
        (scale, items), = groups.items()
        _likert_panel(ax, profile.distribution, items, scale, labels)
        ax.set_title(title or "Response distribution per item", loc="left", pad=34)
        return fig
    if ax is not None:
        raise ValueError(f"`ax`: the profile's items are on {len(groups)} scales, drawn in "
                         "one panel each; leave ax=None or profile one scale's items")
    heights = [1.3 + _ITEM_INCH * len(items) for items in groups.values()]
    fig, axes = plt.subplots(len(groups), 1, figsize=(9.5, 0.6 + sum(heights)),
                             height_ratios=heights, layout="constrained")
    for panel, (scale, items) in zip(axes, groups.items(), strict=True):
        _likert_panel(panel, profile.distribution, items, scale, labels)
        panel.set_title(f"scale {scale[0]:g}–{scale[1]:g}", loc="right", fontsize="small",
                        pad=34)
    fig.suptitle(title or "Response distribution per item", x=0.02, ha="left")
    return fig


def _likert_panel(ax, dist, items, scale, labels) -> None:
    """One panel of :func:`likert_bars`: the ``items`` sharing ``scale``."""
    import matplotlib as mpl
    import numpy as np

    dist = dist[dist["item"].isin(items)]
    values = np.arange(scale[0], scale[1] + 1.0)
    shares = (dist.pivot(index="item", columns="value", values="share")
              .reindex(index=items, columns=values).fillna(0.0).to_numpy())
    counts = dist.groupby("item", sort=False)["count"].sum().reindex(items)
    mid = (scale[0] + scale[1]) / 2
    below = np.where(values < mid, 1.0, np.where(values == mid, 0.5, 0.0))
    left = -(shares * below).sum(axis=1)
    colours = mpl.colormaps["RdBu"](np.linspace(0.08, 0.92, len(values)))
    y = np.arange(len(items))
    start = left.copy()
    for j, value in enumerate(values):
        ax.barh(y, shares[:, j], left=start, color=colours[j], edgecolor="white",
                linewidth=0.4, label=f"{value:g}", height=0.78)
        start += shares[:, j]
    ax.axvline(0, color="0.25", linewidth=0.8)
    names = [str((labels or {}).get(i, i)) for i in items]
    ax.set_yticks(y, [f"{name}  (n={int(n)})" for name, n in zip(names, counts, strict=True)])
    ax.invert_yaxis()
    reach = min(1.0, max(float(-left.min()), float((left + 1.0).max())) + 0.03)
    ax.set_xlim(-reach, reach)
    ax.xaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda v, _: f"{abs(v):.0%}"))
    ax.set_xlabel(f"share of responses (left: below the midpoint {mid:g}, right: above)")
    ax.spines[["top", "right", "left"]].set_visible(False)
    ax.legend(title="response", ncols=min(len(values), 11), loc="lower center",
              bbox_to_anchor=(0.5, 1.0), frameon=False, fontsize="small")


def correlation_heatmap(profile_or_corr, *, ax=None, annotate=None, title=None):
    """Lower-triangle heatmap (diagonal left out) of inter-item correlations on −1…1.

    Parameters
    ----------
    profile_or_corr : ItemProfile or pandas.DataFrame
        A profile (its ``correlations``) or a square correlation matrix.
    annotate : bool, optional
        Print coefficients in the cells; default when there are at most 12 items.
    """
    import numpy as np
    import pandas as pd
    import seaborn as sns

    corr = getattr(profile_or_corr, "correlations", profile_or_corr)
    ax, title = _check_ax(ax), _check_title(title)
    annotate = _check_bool(annotate, "annotate", allow_none=True)
    if not isinstance(corr, pd.DataFrame):
        raise TypeError("`profile_or_corr` must be an ItemProfile or a square correlation "
                        f"matrix (pandas DataFrame); got {_typename(profile_or_corr)}")
    if corr.shape[0] != corr.shape[1] or corr.shape[0] < 1:
        raise ValueError("`profile_or_corr` must be a square correlation matrix of at least "
                         f"one item; got shape {corr.shape}")
    from cxkit._validation import as_float_array

    values = as_float_array(corr, "profile_or_corr", ndim=2)
    with np.errstate(invalid="ignore"):
        outside = ~np.isnan(values) & ~((values >= -1 - 1e-9) & (values <= 1 + 1e-9))
    if outside.any():
        raise ValueError("`profile_or_corr` must hold correlations between -1 and 1 (NaN "
                         f"where undefined); found {_fmt_value(values[outside][0])}")
    corr = pd.DataFrame(values, index=corr.index, columns=corr.columns)
    if corr.shape[0] > 1:  # drop the diagonal: row 1 and column k would be empty
        corr = corr.iloc[1:, :-1]
    k = corr.shape[0]
    annotate = k <= 12 if annotate is None else annotate
    size = 2.2 + 0.42 * k
    fig, ax = _figure(ax, size + 1.2, size)
    mask = np.triu(np.ones_like(corr, dtype=bool), k=1)
    sns.heatmap(corr, mask=mask, vmin=-1, vmax=1, center=0, cmap="vlag", square=True,
                annot=annotate, fmt=".2f", annot_kws={"size": 8}, linewidths=0.5,
                cbar_kws={"label": "Pearson r (pairwise complete)", "shrink": 0.8}, ax=ax)
    ax.set_title(title or "Inter-item correlations", loc="left")
    return fig


def missing_bars(profile, *, ax=None, title=None):
    """Share of missing values per column (all columns of the data, items marked)."""
    import matplotlib as mpl

    _check_result(profile, "profile", ("column_summary", "n_rows"),
                  _PROFILE)
    ax, title = _check_ax(ax), _check_title(title)
    summary = profile.column_summary
    fig, ax = _figure(ax, 8.0, 1.4 + 0.26 * len(summary))
    colours = ["#4c72b0" if item else "#999999" for item in summary["is_item"]]
    ax.barh(summary["column"], summary["share_missing"], color=colours)
    for y, (share, n) in enumerate(zip(summary["share_missing"], summary["n_missing"],
                                       strict=True)):
        ax.text(share, y, f"  {n}", va="center", fontsize="x-small")
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(mpl.ticker.PercentFormatter(1.0))
    ax.set_xlabel("share missing (label: count); blue = rating item")
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(title or f"Missing values (n = {profile.n_rows} rows)", loc="left")
    return fig


_MAX_DPI = 1200  # beyond any print use; 10**6 would allocate terabytes
_MIN_DPI = 10  # below this the text renderer fails (a font smaller than one pixel)


def save_figure(fig, output_dir, name: str, *, dpi: int = 150):
    """Save ``fig`` as ``output_dir/name.png`` and return the path."""
    import os
    from pathlib import Path

    from matplotlib.figure import Figure

    from cxkit._validation import check_positive_int, check_string

    if not isinstance(fig, Figure):
        raise TypeError(f"`fig` must be a matplotlib Figure; got {_typename(fig)}")
    if not isinstance(output_dir, (str, os.PathLike)) or isinstance(output_dir, bytes):
        raise TypeError(f"`output_dir` must be a str or path-like; got {_typename(output_dir)}")
    name = check_string(name, "name")
    if any(sep in name for sep in ("/", "\\", "\0")) or name in (".", ".."):
        raise ValueError(f"`name` must be a file name without folders; got {name!r}")
    dpi = check_positive_int(dpi, "dpi", minimum=_MIN_DPI, maximum=_MAX_DPI,
                             why="a print-quality figure needs about 300")
    if not os.fspath(output_dir).strip():
        raise ValueError("`output_dir` is empty; name the folder to save the figure in")
    folder = Path(output_dir).expanduser()
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise ValueError(f"`output_dir` '{folder}' {what}; create the folder first")
    path = folder / f"{name}.png"
    fig.savefig(path, dpi=dpi, bbox_inches="tight")
    return path


# --------------------------------------------------------------------------------------
# Net Promoter Score
# --------------------------------------------------------------------------------------

#: Okabe–Ito colours (safe for the common colour-vision deficiencies): vermillion,
#: grey and bluish green for detractors, passives and promoters.
NPS_COLOURS = {"detractor": "#D55E00", "passive": "#A6A6A6", "promoter": "#009E73"}
_INK = "#1F3A5F"  # estimates and lines
_MUTED = "#9A9A9A"  # small-n segments and periods
_NPS_LIMITS = (-100.0, 100.0)


def _level(confidence_level) -> str:
    """0.95 → '95%'."""
    return f"{float(confidence_level) * 100:.10g}%"


def _nps_summary(result) -> str:
    """'NPS = 10.0 [4.4, 15.6] (95% tango), n = 1,000' — display formatting only."""
    low, high = result.ci
    return (f"NPS = {result.estimate:.1f} [{low:.1f}, {high:.1f}] "
            f"({_level(result.confidence_level)} {result.method}), n = {result.n:,}")


def _titles(ax, title: str, subtitle: str | None = None, *, pad: float = 0.0) -> None:
    """Left-aligned title, with an optional smaller grey subtitle between it and the axes."""
    if subtitle:
        ax.annotate(subtitle, xy=(0, 1), xycoords="axes fraction", xytext=(0, 5 + pad),
                    textcoords="offset points", ha="left", va="bottom", fontsize="small",
                    color="0.35")
    ax.set_title(title, loc="left", pad=(20 if subtitle else 6) + pad)


def _footnote(ax, text: str) -> None:
    """Small grey text under the x-axis label, left-aligned with the axes."""
    ax.annotate(text, xy=(0, 0), xycoords=("axes fraction", ax.xaxis.label),
                xytext=(0, -6), textcoords="offset points", ha="left", va="top",
                fontsize="x-small", color="0.35")


def _nps_span(lows, highs, *extra, pad: float = 0.06):
    """Axis limits covering ``lows``…``highs`` (and ``extra`` values), padded, in ±100."""
    import numpy as np

    values = np.concatenate([np.asarray(lows, float).ravel(), np.asarray(highs, float).ravel(),
                             np.asarray(extra, float).ravel()])
    values = values[np.isfinite(values)]
    if values.size == 0:
        return _NPS_LIMITS
    lo, hi = float(values.min()), float(values.max())
    margin = max(pad * (hi - lo), 2.0)
    return max(lo - margin, _NPS_LIMITS[0]), min(hi + margin, _NPS_LIMITS[1])


#: The NPSResult fields the NPS figures read.
_NPS_FIELDS = ("estimate", "ci", "n", "counts", "proportions", "method", "confidence_level",
               "promoter_min", "detractor_max", "scale", "score_counts")


def _category(score, detractor_max, promoter_min) -> str:
    if score <= detractor_max:
        return "detractor"
    return "promoter" if score >= promoter_min else "passive"


def nps_distribution(result, *, ax=None, title=None):
    """Bars of the answers per scale point, coloured by NPS category.

    Each bar is the share of the ``n`` valid answers that gave that score, labelled with
    its count; bars at or below ``detractor_max`` are drawn in the detractor colour, at
    or above ``promoter_min`` in the promoter colour and the rest in grey. The legend
    gives the three category shares and the subtitle the NPS with its interval and n.
    A result computed from category counts (``score_counts`` is None) is drawn as three
    category bars instead.

    Parameters
    ----------
    result : cxkit.nps.NPSResult
        From :func:`cxkit.nps.nps`.
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    Colours are from the Okabe–Ito palette (:data:`NPS_COLOURS`), distinguishable with
    the common colour-vision deficiencies.
    """
    import matplotlib as mpl
    import numpy as np

    _check_result(result, "result", _NPS_FIELDS, "an NPSResult (from cxkit.nps)")
    ax, title = _check_ax(ax), _check_title(title)
    lo_d, hi_p = int(result.detractor_max), int(result.promoter_min)
    total = result.n if result.n else 1
    if result.score_counts is not None:
        scores = np.asarray(result.score_counts.index)
        counts = np.asarray(result.score_counts, dtype=float)
        kinds = [_category(s, lo_d, hi_p) for s in scores]
        x = scores
        ticklabels = [f"{s:g}" for s in scores]
        xlabel = "score"
        fig, ax = _figure(ax, max(6.0, 1.6 + 0.55 * len(scores)), 4.2)
    else:
        kinds = ["detractor", "passive", "promoter"]
        counts = np.array([result.counts[f"{k}s"] for k in kinds], dtype=float)
        x = np.arange(3)
        low, high = result.scale
        ranges = [(low, lo_d), (lo_d + 1, hi_p - 1), (hi_p, high)]
        ticklabels = [f"{k.capitalize()}s\n({a:g}–{b:g})" if a != b else
                      f"{k.capitalize()}s\n({a:g})" for k, (a, b) in zip(kinds, ranges,
                                                                          strict=True)]
        xlabel = "category"
        fig, ax = _figure(ax, 5.5, 4.2)
    bars = ax.bar(x, counts / total, color=[NPS_COLOURS[k] for k in kinds], width=0.78,
                  edgecolor="white", linewidth=0.5)
    ax.bar_label(bars, labels=[f"{int(c):,}" for c in counts], padding=2,
                 fontsize="x-small", color="0.25")
    ax.set_xticks(x, ticklabels)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(f"share of the {result.n:,} responses (label: count)")
    ax.yaxis.set_major_formatter(mpl.ticker.PercentFormatter(1.0, decimals=0))
    top = float(np.max(counts / total)) if counts.size else 0.0
    ax.set_ylim(0, max(top * 1.32, 0.05))  # head room for the count labels and legend
    ax.spines[["top", "right"]].set_visible(False)
    low, high = result.scale
    spans = {"detractor": f"{low:g}–{lo_d:g}", "passive": f"{lo_d + 1:g}–{hi_p - 1:g}",
             "promoter": f"{hi_p:g}–{high:g}"}
    handles = [mpl.patches.Patch(color=NPS_COLOURS[k],
                                 label=f"{k}s ({spans[k]}): {result.proportions[k + 's']:.1%}")
               for k in ("detractor", "passive", "promoter")]
    ax.legend(handles=handles, loc="upper left", frameon=False, fontsize="small",
              handlelength=1.0)
    _titles(ax, title or "Score distribution", _nps_summary(result))
    return fig


def _segment_labels(frame, by) -> list[str]:
    parts = [frame[col].astype(str) for col in by]
    names = parts[0]
    for part in parts[1:]:
        names = names + " · " + part
    return list(names)


def nps_forest(frame, *, by=None, overall=None, ax=None, title=None, sort=True):
    """Forest plot of segment NPS: one row per segment, point estimate and interval.

    Segments flagged ``small_n`` are drawn hollow and grey, labelled "(small n)" and put
    below the others (unranked), with a footnote: their intervals are too wide to rank
    them. An ``overall`` result is drawn as a vertical line with a light band for its
    interval.

    Parameters
    ----------
    frame : pandas.DataFrame
        From :func:`cxkit.nps.nps_by`: the segment column(s), ``n``, ``estimate``,
        ``ci_low``, ``ci_high`` and optionally ``small_n``, ``method``,
        ``confidence_level``.
    by : str or list of str, optional
        The segment column(s), joined with " · " in the labels; default: the columns
        before ``n``.
    overall : cxkit.nps.NPSResult, optional
        The NPS of all segments together.
    ax : matplotlib Axes, optional
    title : str, optional
    sort : bool, default True
        Order the (not small) segments by estimate, highest on top; otherwise keep the
        frame's order.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"region": ["North", "South", "East"], "n": [420, 380, 12],
    ...                       "estimate": [12.0, 25.5, 40.0], "ci_low": [4.6, 17.4, -5.1],
    ...                       "ci_high": [19.2, 33.3, 71.8], "small_n": [False, False, True]})
    >>> fig = nps_forest(table)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['South  (n=380)', 'North  (n=420)', 'East  (n=12) (small n)']
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    import numpy as np

    from cxkit._validation import check_dataframe

    check_dataframe(frame, "frame")
    ax, title = _check_ax(ax), _check_title(title)
    sort = _check_bool(sort, "sort")
    if overall is not None:
        _check_result(overall, "overall", ("estimate", "ci", "n", "method",
                                           "confidence_level"),
                      "an NPSResult (from cxkit.nps) or None")
    columns = list(frame.columns)
    if by is None:
        if "n" not in columns or columns.index("n") == 0:
            raise ValueError("`by` was not given and `frame` has no columns before 'n'; "
                             "pass by=… naming the segment column(s)")
        by = columns[:columns.index("n")]
    from cxkit._validation import check_columns

    by = check_columns(frame, by, "by", data_name="frame")
    arrays = _check_table(frame, "frame", ["n", "estimate", "ci_low", "ci_high"],
                          ["n", "estimate", "ci_low", "ci_high"],
                          what="a table from nps_by (segment columns, n, estimate, ci_low, "
                               "ci_high)")
    _check_counts(arrays["n"], "frame", "n")
    if frame.empty:
        raise ValueError("`frame` has no segments (rows) to draw")
    table = frame.reset_index(drop=True)
    small = (table["small_n"].fillna(False).astype(bool) if "small_n" in columns
             else np.zeros(len(table), dtype=bool))
    small = np.asarray(small)
    ranked = np.flatnonzero(~small)
    if sort:
        ranked = ranked[np.argsort(-table["estimate"].to_numpy(float)[ranked], kind="stable")]
    order = np.concatenate([ranked, np.flatnonzero(small)])
    table, small = table.iloc[order].reset_index(drop=True), small[order]
    labels = [f"{name}  (n={int(n):,})" + (" (small n)" if s else "")
              for name, n, s in zip(_segment_labels(table, by), table["n"], small, strict=True)]

    fig, ax = _figure(ax, 8.0, 1.9 + _ITEM_INCH * len(table))
    y = np.arange(len(table))
    est = table["estimate"].to_numpy(float)
    lo, hi = table["ci_low"].to_numpy(float), table["ci_high"].to_numpy(float)
    if overall is not None:
        o_low, o_high = overall.ci
        ax.axvspan(o_low, o_high, color=_INK, alpha=0.09, linewidth=0, zorder=0)
        ax.axvline(overall.estimate, color=_INK, linewidth=1.0, alpha=0.7, zorder=1)
        ax.annotate("overall", xy=(overall.estimate, 1), xycoords=("data", "axes fraction"),
                    xytext=(0, 2), textcoords="offset points", ha="center", va="bottom",
                    fontsize="x-small", color=_INK)
    ax.axvline(0, color="0.55", linewidth=0.8, linestyle=":", zorder=1)
    for mask, colour, face, gid in ((~small, _INK, _INK, "estimate"),
                                    (small, _MUTED, "white", "estimate_small_n")):
        if mask.any():
            ax.hlines(y[mask], lo[mask], hi[mask], color=colour, linewidth=1.8, zorder=2,
                      gid=f"{gid}_interval")
            ax.plot(est[mask], y[mask], "o", color=colour, markerfacecolor=face,
                    markeredgewidth=1.4, markersize=7, zorder=3, gid=gid)
    if small.any() and (~small).any():
        ax.axhline(len(ranked) - 0.5, color="0.8", linewidth=0.8)
    ax.set_yticks(y, labels)
    for tick, s in zip(ax.get_yticklabels(), small, strict=True):
        tick.set_color(_MUTED if s else "0.15")
    ax.set_ylim(len(table) - 0.5, -0.7)
    extra = [0.0] if overall is None else [0.0, *overall.ci]
    ax.set_xlim(*_nps_span(lo, hi, *extra))
    ax.set_xlabel("NPS (points)")
    ax.spines[["top", "right", "left"]].set_visible(False)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", color="0.92", linewidth=0.8)
    ax.set_axisbelow(True)
    parts = []
    if "confidence_level" in columns and "method" in columns and len(table):
        parts.append(f"points and {_level(table['confidence_level'].iloc[0])} "
                     f"{table['method'].iloc[0]} intervals")
    if overall is not None:
        parts.append(f"line and band: overall {_nps_summary(overall)}")
    _titles(ax, title or f"NPS by {' · '.join(map(str, by))}", "; ".join(parts) or None,
            pad=8 if overall is not None else 0)
    if small.any():
        _footnote(ax, "Hollow grey: small segments (n below min_n). Their intervals are "
                      "too wide to rank them; they are listed last, unranked.")
    return fig


def nps_trend_plot(frame, *, time="period", ax=None, title=None):
    """NPS per period: the estimate as a line with points, its interval as a band.

    Points of periods flagged ``small_n`` are hollow; light grey bars on a secondary
    axis (right) show n per period. Dates are labelled concisely.

    Parameters
    ----------
    frame : pandas.DataFrame
        From :func:`cxkit.nps.nps_trend`: ``time``, ``n``, ``estimate``, ``ci_low``,
        ``ci_high`` and optionally ``small_n``, ``method``, ``confidence_level``.
    time : str, default "period"
        The period column: timestamps (start of period), pandas periods or labels.
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"period": pd.date_range("2024-01-01", periods=3, freq="MS"),
    ...                       "n": [310, 295, 18], "estimate": [21.0, 24.4, 30.0],
    ...                       "ci_low": [13.2, 16.4, -3.9], "ci_high": [28.5, 32.1, 58.6],
    ...                       "small_n": [False, False, True]})
    >>> fig = nps_trend_plot(table)
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    import matplotlib as mpl
    import matplotlib.dates as mdates
    import numpy as np
    import pandas as pd

    from cxkit._validation import check_columns, check_dataframe

    check_dataframe(frame, "frame")
    ax, title = _check_ax(ax), _check_title(title)
    if not isinstance(time, str):
        raise TypeError(f"`time` must be the name of the period column (a str); got "
                        f"{_typename(time)} {_fmt_value(time)}")
    check_columns(frame, [time], "time", data_name="frame")
    arrays = _check_table(frame, "frame", ["n", "estimate", "ci_low", "ci_high"],
                          ["n", "estimate", "ci_low", "ci_high"],
                          what=f"a table from nps_trend (with the period column {time!r})")
    _check_counts(arrays["n"], "frame", "n")
    if frame.empty:
        raise ValueError("`frame` has no periods (rows) to draw")
    table = frame.sort_values(time, kind="stable").reset_index(drop=True)
    when = table[time]
    if isinstance(when.dtype, pd.PeriodDtype):
        when = when.dt.to_timestamp()
    dated = pd.api.types.is_datetime64_any_dtype(when)
    if dated:
        x = pd.to_datetime(when).dt.tz_localize(None) if when.dt.tz is not None else when
        x = x.to_numpy()
        step = pd.Series(x).diff().median() if len(x) > 1 else pd.Timedelta(days=1)
        width = step * 0.7
    else:
        x, width = np.arange(len(table)), 0.7
    est = table["estimate"].to_numpy(float)
    lo, hi = table["ci_low"].to_numpy(float), table["ci_high"].to_numpy(float)
    small = (np.asarray(table["small_n"].fillna(False).astype(bool)) if "small_n" in table
             else np.zeros(len(table), dtype=bool))
    level = (f"{_level(table['confidence_level'].iloc[0])} "
             f"{table['method'].iloc[0]} interval"
             if {"confidence_level", "method"} <= set(table.columns) and len(table)
             else "interval")

    fig, ax = _figure(ax, min(11.0, max(7.5, 2.5 + 0.3 * len(table))), 4.4)
    counts = ax.twinx()
    counts.bar(x, table["n"].to_numpy(float), width=width, color="0.93", edgecolor="0.72",
               linewidth=0.6, zorder=0, label="n per period (right axis)")
    n_max = max(float(table["n"].max()), 1.0)
    counts.set_ylim(0, n_max * 4.0)  # bars in the lower quarter
    ticks = mpl.ticker.MaxNLocator(2, integer=True).tick_values(0, n_max)
    counts.set_yticks([t for t in ticks if 0 <= t <= n_max])
    counts.tick_params(axis="y", labelsize="x-small", colors="0.5")
    counts.set_ylabel("n per period", color="0.5", fontsize="small", loc="bottom")
    counts.spines[["top", "left"]].set_visible(False)
    counts.spines["right"].set_color("0.7")
    ax.set_zorder(counts.get_zorder() + 1)
    ax.patch.set_visible(False)

    ax.fill_between(x, lo, hi, color="#4A7FB0", alpha=0.25, linewidth=0, label=level)
    ax.plot(x, est, "-", color=_INK, linewidth=1.6, zorder=3)
    ax.plot(x[~small], est[~small], "o", color=_INK, markersize=5.5, zorder=4,
            gid="estimate", label="NPS")
    if small.any():
        ax.plot(x[small], est[small], "o", color=_INK, markerfacecolor="white",
                markeredgewidth=1.3, markersize=6, zorder=4, gid="estimate_small_n",
                label="small n (hollow)")
    low, high = _nps_span(lo, hi, est, pad=0.1)
    ax.set_ylim(low, high)
    if low < 0 < high:
        ax.axhline(0, color="0.55", linewidth=0.8, linestyle=":", zorder=1)
    ax.set_ylabel("NPS (points)")
    if dated:
        locator = mdates.AutoDateLocator(maxticks=10)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    else:
        ax.set_xticks(x, [str(v) for v in when])
        ax.set_xlabel(str(time))
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="0.92", linewidth=0.8)
    handles, names = ax.get_legend_handles_labels()
    handles, names = handles[1:] + handles[:1], names[1:] + names[:1]  # NPS first
    bar_handles, bar_names = counts.get_legend_handles_labels()
    ax.legend(handles + bar_handles, names + bar_names, loc="lower left",
              bbox_to_anchor=(0, 1.0), ncols=4, frameon=False, fontsize="small",
              borderaxespad=0.2, handlelength=1.4)
    ax.set_title(title or "NPS over time", loc="left", pad=22)
    return fig


_METHOD_STYLES = ("o", "s", "^", "D", "v", "P", "X", "*")


def coverage_plot(table, *, confidence_level=0.95, ax=None, title=None):
    """Coverage of interval methods against sample size, for teaching.

    One line per method (coverage vs n), the nominal level as a dashed line; with a
    ``scenario`` column, one small-multiples panel per scenario (shared axes). n is on
    a log scale when it spans more than a decade.

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``n``, ``method``, ``coverage`` (a share, 0–1, e.g. from
        :func:`cxkit.nps.nps_coverage`) and optionally ``scenario`` (a label such as
        ``"P=.50, D=.20"``).
    confidence_level : float, default 0.95
        The nominal level the intervals aim at.
    ax : matplotlib Axes, optional
        Only without a ``scenario`` column (or with a single scenario): a grid of panels
        needs its own figure.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If columns are missing, or ``ax`` is given with more than one scenario.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"n": [20, 50, 200] * 2, "method": ["wald"] * 3 + ["tango"] * 3,
    ...                       "coverage": [0.91, 0.93, 0.945, 0.952, 0.949, 0.95]})
    >>> fig = coverage_plot(table)
    >>> len(fig.axes)
    1
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    import math

    import matplotlib as mpl
    import matplotlib.pyplot as plt
    import numpy as np
    import pandas as pd

    from cxkit._validation import check_confidence_level

    confidence_level = check_confidence_level(confidence_level)
    ax, title = _check_ax(ax), _check_title(title)
    required = ["n", "method", "coverage"] + (["scenario"] if isinstance(
        getattr(table, "columns", None), pd.Index) and "scenario" in table.columns else [])
    arrays = _check_table(table, "table", required, ["n", "coverage"],
                          what="columns n, method, coverage and optionally scenario")
    if table.empty or np.isnan(arrays["coverage"]).all():
        raise ValueError("`table` has no coverage values to draw (no rows, or every "
                         "coverage is missing)")
    with np.errstate(invalid="ignore"):
        outside = (arrays["coverage"] < 0) | (arrays["coverage"] > 1)
    if outside.any():
        raise ValueError("`table` column 'coverage' must hold shares between 0 and 1; found "
                         f"{_fmt_value(arrays['coverage'][outside][0])} (percentages? divide "
                         "by 100)")
    scenarios = list(pd.unique(table["scenario"])) if "scenario" in table else [None]
    if ax is not None and len(scenarios) > 1:
        raise ValueError(f"`ax` was given but `table` has {len(scenarios)} scenarios; a grid "
                         "of panels needs its own figure: leave ax=None (or filter the table "
                         "to one scenario)")
    methods = list(pd.unique(table["method"]))
    palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
               "#F0E442"]
    style = {m: (palette[i % len(palette)], _METHOD_STYLES[i % len(_METHOD_STYLES)])
             for i, m in enumerate(methods)}
    if ax is not None:
        fig, axes = ax.figure, [ax]
    elif scenarios == [None]:
        fig, ax = _figure(None, 6.5, 4.2)
        axes = [ax]
    else:
        ncols = 2 if len(scenarios) == 4 else min(3, len(scenarios))
        nrows = math.ceil(len(scenarios) / ncols)
        fig, grid = plt.subplots(nrows, ncols, figsize=(3.5 * ncols + 0.6, 2.8 * nrows + 1.0),
                                 sharex=True, sharey=True, squeeze=False,
                                 layout="constrained")
        axes = list(grid.ravel())
        for i, extra in enumerate(axes[len(scenarios):], start=len(scenarios)):
            extra.set_visible(False)
            above = grid.ravel()[i - ncols]  # now the lowest panel of its column
            above.xaxis.set_tick_params(which="both", labelbottom=True)
        axes = axes[:len(scenarios)]
    n_values = arrays["n"][np.isfinite(arrays["n"])]
    log_x = n_values.size > 0 and n_values.min() > 0 and n_values.max() / n_values.min() > 10
    cover = arrays["coverage"]
    low = min(np.nanmin(cover), confidence_level)
    high = max(np.nanmax(cover), confidence_level)
    margin = max(0.1 * (high - low), 0.01)
    for panel, scenario in zip(axes, scenarios, strict=False):
        part = table if scenario is None else table[table["scenario"] == scenario]
        for method in methods:
            rows = part[part["method"] == method].sort_values("n")
            if rows.empty:
                continue
            colour, marker = style[method]
            panel.plot(rows["n"], rows["coverage"], marker=marker, color=colour,
                       linewidth=1.4, markersize=4, label=str(method), gid=str(method))
        panel.axhline(confidence_level, color="0.3", linestyle="--", linewidth=1.0,
                      label=f"nominal {_level(confidence_level)}", gid="nominal")
        if log_x:
            panel.set_xscale("log")
            panel.xaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
        panel.set_ylim(max(low - margin, 0.0), min(high + margin, 1.0))
        panel.yaxis.set_major_formatter(mpl.ticker.PercentFormatter(1.0))
        panel.spines[["top", "right"]].set_visible(False)
        panel.grid(color="0.93", linewidth=0.7)
        panel.set_axisbelow(True)
        if scenario is not None:
            panel.set_title(str(scenario), loc="left", fontsize="medium")
        if scenarios == [None] or panel.xaxis.get_tick_params()["labelbottom"] is not False:
            panel.set_xlabel("n (sample size)")
        if scenarios == [None] or panel.get_subplotspec().is_first_col():
            panel.set_ylabel("coverage")
    heading = title or f"Coverage of {_level(confidence_level)} intervals"
    if len(axes) == 1:
        if scenarios != [None]:  # one scenario drawn into one panel: say which
            heading = f"{heading}: {scenarios[0]}"
        axes[0].set_title(heading, loc="left")
        axes[0].legend(frameon=False, fontsize="small", loc="best")
    else:
        handles, names = axes[0].get_legend_handles_labels()
        fig.legend(handles, names, loc="outside lower center", ncols=len(names),
                   frameon=False, fontsize="small")
        fig.suptitle(heading, x=0.01, ha="left")
    return fig


def nps_sampling_distribution(values, probabilities, *, true_value=None, ax=None,
                              title=None):
    """Stem plot of the exact sampling distribution of the NPS (points).

    Parameters
    ----------
    values : array-like
        Possible NPS values in points; repeated values (different samples with the same
        NPS) are drawn as one stem with their probabilities added.
    probabilities : array-like
        Their probabilities (same length).
    true_value : float, optional
        The true NPS, marked with a dashed line.
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = nps_sampling_distribution([-50, 0, 50, 100], [0.1, 0.4, 0.4, 0.1], true_value=20)
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    import numpy as np

    from cxkit._validation import as_float_array

    values = as_float_array(values, "values")
    probabilities = as_float_array(probabilities, "probabilities")
    true_value = _check_number(true_value, "true_value")
    ax, title = _check_ax(ax), _check_title(title)
    for name, array in (("values", values), ("probabilities", probabilities)):
        if not np.isfinite(array).all():
            raise ValueError(f"`{name}` must hold finite numbers; found "
                             f"{_fmt_value(array[~np.isfinite(array)][0])}")
    outside = (probabilities < 0) | (probabilities > 1)
    if outside.any():
        raise ValueError("`probabilities` must lie between 0 and 1; found "
                         f"{_fmt_value(probabilities[outside][0])}")
    if values.size == 0 or values.size != probabilities.size:
        raise ValueError(f"`values` and `probabilities` must be non-empty and of the same "
                         f"length; found {values.size} and {probabilities.size}")
    points, index = np.unique(values, return_inverse=True)
    mass = np.bincount(index, weights=probabilities, minlength=points.size)
    fig, ax = _figure(ax, 7.5, 3.8)
    ax.vlines(points, 0, mass, color=_INK, linewidth=1.2 if points.size <= 120 else 0.8,
              gid="stems")
    if points.size <= 80:
        ax.plot(points, mass, "o", color=_INK, markersize=3.5, gid="heads")
    visible = points[mass >= mass.max() * 1e-3] if mass.max() > 0 else points
    extra = [] if true_value is None else [true_value]
    ax.set_xlim(*_nps_span(visible, visible, *extra, pad=0.05))
    ax.set_ylim(0, mass.max() * 1.12 if mass.max() > 0 else 1)
    if true_value is not None:
        ax.axvline(true_value, color=NPS_COLOURS["detractor"], linestyle="--", linewidth=1.3,
                   gid="true_value")
        ax.annotate(f"true NPS = {true_value:.4g}", xy=(true_value, 1),
                    xycoords=("data", "axes fraction"), xytext=(4, -4),
                    textcoords="offset points", ha="left", va="top", fontsize="small",
                    color=NPS_COLOURS["detractor"])
    ax.set_xlabel("NPS (points)")
    ax.set_ylabel("probability")
    ax.spines[["top", "right"]].set_visible(False)
    _titles(ax, title or "Exact sampling distribution of the NPS")
    return fig


# --------------------------------------------------------------------------------------
# Reliability
# --------------------------------------------------------------------------------------

_HIGHLIGHT = NPS_COLOURS["detractor"]  # Okabe–Ito vermillion: items that need a look
_ESTIMATOR_COLOURS = {"alpha": "#0072B2", "omega": "#D55E00"}  # Okabe–Ito blue, vermillion
_PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
_R_DROP_RULE = 0.3


def _require_columns(table, columns, what: str) -> None:
    missing = [c for c in columns if c not in table]
    if missing:
        raise ValueError(f"`table` lacks the column(s) {missing}; expected {what}")


def _two_panels(ax, width: float, height: float):
    """(figure, left, right): a new figure, a given pair of Axes, or one Axes split in two."""
    import matplotlib.pyplot as plt

    if ax is None:
        fig, (left, right) = plt.subplots(1, 2, figsize=(width, height), sharey=True,
                                          layout="constrained", width_ratios=[1.15, 1.0])
        return fig, left, right
    if isinstance(ax, (list, tuple)) or hasattr(ax, "ravel"):
        axes = list(ax.ravel()) if hasattr(ax, "ravel") else list(ax)
        if len(axes) != 2:
            raise ValueError(f"`ax` must be one Axes or a pair (left, right); got {len(axes)}")
        return axes[0].figure, axes[0], axes[1]
    spec = ax.get_subplotspec()
    if spec is None:
        raise ValueError("`ax` has no subplot slot to split into two panels; pass a pair of "
                         "Axes (left, right) instead")
    fig = ax.figure
    ax.remove()
    grid = spec.subgridspec(1, 2, width_ratios=[1.15, 1.0])
    left = fig.add_subplot(grid[0])
    right = fig.add_subplot(grid[1], sharey=left)
    return fig, left, right


def item_analysis(result, *, ax=None, title=None):
    """Item analysis of a scale: alpha if each item were deleted, and item–rest correlations.

    Two panels share one row per item (in the result's order, first item on top):

    * **left**: alpha if the item is deleted (points, joined to the overall alpha by a
      thin line); the overall alpha is a vertical line with its confidence interval as a
      light band. Items whose deletion *raises* alpha are drawn in vermillion, in both
      panels: the scale is more consistent without them.
    * **right**: the corrected item–total (item–rest) correlation ``r_drop`` as bars, with
      a dashed guide at 0.3, a common rule of thumb for the lowest acceptable value
      (e.g. Nunnally & Bernstein 1994; a convention, not a test), and a line at 0: a
      negative ``r_drop`` usually means an item that still needs re-keying.

    Reverse-keyed items are labelled "(R)".

    Parameters
    ----------
    result : cxkit.reliability.AlphaResult
        From :func:`cxkit.reliability.cronbach_alpha`: reads ``alpha``, ``ci``,
        ``reverse``, ``items`` (indexed by item, columns ``r_drop`` and
        ``alpha_if_deleted``) and, when present, ``n`` and ``k``.
    ax : matplotlib Axes or pair of Axes, optional
        A pair ``(left, right)`` is drawn into as is; a single Axes is replaced by two
        panels in its place in the grid.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> from cxkit._results import ConfidenceInterval
    >>> items = pd.DataFrame({"r_drop": [0.62, 0.55, 0.12],
    ...                       "alpha_if_deleted": [0.58, 0.63, 0.79]},
    ...                      index=["q1", "q2", "q3"])
    >>> result = SimpleNamespace(alpha=0.71, ci=ConfidenceInterval(0.68, 0.74, 0.95, "feldt"),
    ...                          reverse=("q2",), items=items, n=500, k=3)
    >>> fig = item_analysis(result)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['q1', 'q2 (R)', 'q3']
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    import numpy as np

    _check_result(result, "result", ("alpha", "items"),
                  "an AlphaResult (from cxkit.reliability.cronbach_alpha)")
    ax, title = _check_ax(ax, pair=True), _check_title(title)
    items = result.items
    import pandas as pd

    if not isinstance(items, pd.DataFrame):
        raise TypeError(f"`result` must be an AlphaResult whose `items` is a DataFrame; got "
                        f"{_typename(items)}")
    if not len(items):
        raise ValueError("`result` has no items to draw")
    arrays = _check_table(items, "result.items", ["r_drop", "alpha_if_deleted"],
                          ["r_drop", "alpha_if_deleted"],
                          what="the item table of an AlphaResult (r_drop, alpha_if_deleted)")
    names = [str(i) for i in items.index]
    reverse = {str(i) for i in (getattr(result, "reverse", None) or ())}
    labels = [f"{name} (R)" if name in reverse else name for name in names]
    alpha = _check_number(result.alpha, "result.alpha", allow_none=False, allow_nan=True)
    deleted = arrays["alpha_if_deleted"]
    r_drop = arrays["r_drop"]
    with np.errstate(invalid="ignore"):
        raises = deleted > alpha
    k = len(names)
    fig, left, right = _two_panels(ax, 10.0, 2.3 + _ITEM_INCH * k)
    y = np.arange(k)

    ci = getattr(result, "ci", None)
    if ci is not None:
        _check_result(ci, "result.ci", ("confidence_level", "method"),
                      "a ConfidenceInterval or None")
    if ci is not None and np.isfinite([ci[0], ci[1]]).all():
        left.axvspan(ci[0], ci[1], color=_INK, alpha=0.09, linewidth=0, zorder=0,
                     gid="alpha_ci")
    left.axvline(alpha, color=_INK, linewidth=1.2, zorder=1, gid="alpha")
    left.annotate(f"α = {alpha:.3f}", xy=(alpha, 1), xycoords=("data", "axes fraction"),
                  xytext=(0, 2), textcoords="offset points", ha="center", va="bottom",
                  fontsize="x-small", color=_INK)
    left.hlines(y, alpha, deleted, color="0.75", linewidth=1.0, zorder=1)
    for mask, colour, gid in ((~raises, _INK, "alpha_if_deleted"),
                              (raises, _HIGHLIGHT, "alpha_if_deleted_raises")):
        if mask.any():
            left.plot(deleted[mask], y[mask], "o", color=colour, markersize=7, zorder=3,
                      gid=gid)
    finite = deleted[np.isfinite(deleted)]
    span = np.concatenate([finite, [alpha], [c for c in (ci or ()) if np.isfinite(c)]])
    span = span[np.isfinite(span)]
    low, high = (float(span.min()), float(span.max())) if span.size else (0.0, 1.0)
    margin = max(0.08 * (high - low), 0.01)
    left.set_xlim(low - margin, high + margin)
    left.set_yticks(y, labels)
    for tick, flag in zip(left.get_yticklabels(), raises, strict=True):
        tick.set_color(_HIGHLIGHT if flag else "0.15")
    left.set_ylim(k - 0.5, -0.5)
    left.set_xlabel("α if the item is deleted")
    left.grid(axis="x", color="0.92", linewidth=0.8)

    colours = [_HIGHLIGHT if flag else "#4A7FB0" for flag in raises]
    bars = right.barh(y, r_drop, color=colours, height=0.7, gid="r_drop")
    right.bar_label(bars, labels=[f"{v:.2f}" if np.isfinite(v) else "" for v in r_drop],
                    padding=2, fontsize="x-small", color="0.3")
    right.axvline(0, color="0.25", linewidth=0.8)
    right.axvline(_R_DROP_RULE, color="0.45", linewidth=1.0, linestyle="--",
                  gid="rule_of_thumb")
    right.annotate(f"{_R_DROP_RULE:g}", xy=(_R_DROP_RULE, 1),
                   xycoords=("data", "axes fraction"), xytext=(0, 2),
                   textcoords="offset points", ha="center", va="bottom",
                   fontsize="x-small", color="0.35")
    finite = r_drop[np.isfinite(r_drop)]
    right.set_xlim(min(-0.05, float(finite.min(initial=0.0)) - 0.1),
                   max(_R_DROP_RULE + 0.1, float(finite.max(initial=0.0)) + 0.14))
    right.tick_params(axis="y", labelleft=False, length=0)
    right.set_xlabel("item–rest correlation (r_drop)")
    right.grid(axis="x", color="0.92", linewidth=0.8)
    for panel in (left, right):
        panel.spines[["top", "right", "left"]].set_visible(False)
        panel.tick_params(axis="y", length=0)
        panel.set_axisbelow(True)

    parts = []
    if ci is not None:
        parts.append(f"α = {alpha:.3f} [{ci[0]:.3f}, {ci[1]:.3f}] "
                     f"({_level(ci.confidence_level)} {ci.method})")
    else:
        parts.append(f"α = {alpha:.3f}")
    n = getattr(result, "n", None)
    if n is not None:
        parts.append(f"n = {int(n):,}")
    parts.append(f"k = {k} items")
    _titles(left, title or "Item analysis", ", ".join(parts), pad=6)
    notes = ["Vermillion: deleting the item raises α." if raises.any()
             else "Deleting any one item lowers α."]
    if reverse:
        notes.append("(R): reverse-keyed, re-keyed before the analysis.")
    _footnote(left, " ".join(notes))
    _footnote(right, f"Dashed: {_R_DROP_RULE:g}, a common rule of thumb for the lowest "
                     "acceptable item–rest correlation.")
    return fig


def _group_colours(groups) -> dict:
    colours, spare = {}, iter(p for p in _PALETTE if p not in _ESTIMATOR_COLOURS.values())
    for group in groups:
        key = str(group).lower()
        colours[group] = _ESTIMATOR_COLOURS.get(key) or next(spare, "0.3")
    return colours


def alpha_scatter(table, *, truth=None, ax=None, title=None):
    """Sample reliability estimates against sample size, around the true value (teaching).

    One column of jittered points per sample size (one point per simulated sample) with
    a box over it (quartiles; whiskers at the 5th and 95th percentiles), and the true
    (population) value as a dashed line: the spread narrows as n grows, and the boxes
    show any bias at small n. With an ``estimator`` column (e.g. ``alpha`` and
    ``omega``), each estimator is drawn side by side in its own colour. n is on a log
    scale when it spans more than a decade.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per simulated sample: ``n`` and ``alpha`` (the estimate) and optionally
        ``estimator``.
    truth : float or mapping of estimator to float, optional
        The population value(s), e.g. :attr:`cxkit.datasets.SimulatedSurvey.alpha`, or
        ``{"alpha": sim.alpha, "omega": sim.omega}``.
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"n": [30] * 3 + [300] * 3,
    ...                       "alpha": [0.71, 0.80, 0.77, 0.78, 0.79, 0.775]})
    >>> fig = alpha_scatter(table, truth=0.78)
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    import matplotlib as mpl
    import numpy as np
    import pandas as pd

    arrays = _check_table(table, "table", ["n", "alpha"], ["n", "alpha"],
                          what="columns n and alpha (one row per simulated sample) and "
                               "optionally estimator")
    ax, title = _check_ax(ax), _check_title(title)
    if truth is not None:
        if isinstance(truth, Mapping):
            truth = {key: _check_number(value, f"truth[{key!r}]", allow_none=False)
                     for key, value in truth.items()}
        else:
            truth = _check_number(truth, "truth")
    with np.errstate(invalid="ignore"):
        if (arrays["n"] <= 0).any():
            raise ValueError("`table` column 'n' must hold sample sizes of at least 1; found "
                             f"{_fmt_value(arrays['n'][arrays['n'] <= 0][0])}")
    table = table.assign(n=arrays["n"], alpha=arrays["alpha"]).dropna(subset=["n", "alpha"])
    if table.empty:
        raise ValueError("`table` has no rows with both n and alpha to draw")
    groups = list(pd.unique(table["estimator"])) if "estimator" in table else [None]
    colours = _group_colours(groups) if groups != [None] else {None: _INK}
    sizes = np.sort(pd.unique(table["n"].astype(float)))
    log_x = sizes.size > 1 and sizes.min() > 0 and sizes.max() / sizes.min() > 10
    where = np.log10(sizes) if log_x else sizes
    step = float(np.diff(where).min()) if sizes.size > 1 else 1.0
    slot = 0.6 * step
    width = slot / len(groups)
    jitter = np.random.default_rng(0)  # cosmetic, fixed: the figure is reproducible

    fig, ax = _figure(ax, 7.5, 4.4)
    for g, group in enumerate(groups):
        rows = table if group is None else table[table["estimator"] == group]
        colour = colours[group]
        offset = -slot / 2 + width * (g + 0.5)
        values, positions = [], []
        for size, centre in zip(sizes, where, strict=True):
            sample = rows.loc[rows["n"].astype(float) == size, "alpha"].to_numpy(float)
            if sample.size:
                values.append(sample)
                positions.append(centre + offset)
        if not values:
            continue
        points = np.concatenate(values)
        xs = np.concatenate([np.full(v.size, p) for v, p in zip(values, positions,
                                                               strict=True)])
        xs = xs + jitter.uniform(-0.32, 0.32, xs.size) * width
        shade = float(np.clip(40 / max(len(v) for v in values), 0.08, 0.6))
        label = None if group is None else str(group)
        ax.scatter(xs, points, s=9, color=colour, alpha=shade, linewidths=0, zorder=2,
                   gid=f"samples_{group}" if group is not None else "samples",
                   label=label)
        ax.boxplot(values, positions=positions, widths=width * 0.8, whis=(5, 95),
                   showfliers=False, manage_ticks=False, zorder=3,
                   boxprops={"color": colour, "linewidth": 1.2},
                   whiskerprops={"color": colour, "linewidth": 1.0},
                   capprops={"color": colour, "linewidth": 1.0},
                   medianprops={"color": colour, "linewidth": 2.0})
    if truth is not None:
        truths = truth if isinstance(truth, dict) else {None: truth}
        for key, value in truths.items():
            colour = "0.2" if key is None else colours.get(key, "0.2")
            if key is not None:
                name = f"true {key}"
            else:
                name = "true value" if groups != [None] else "true α"
            ax.axhline(float(value), color=colour, linestyle="--", linewidth=1.3, zorder=1,
                       gid=f"truth_{key}" if key is not None else "truth",
                       label=f"{name} = {float(value):.3f}")
    ax.set_xticks(where, [f"{s:,.0f}" for s in sizes])
    ax.set_xlim(where.min() - step * 0.6, where.max() + step * 0.6)
    ax.set_xlabel("n (sample size" + (", log scale)" if log_x else ")"))
    estimators = groups != [None]
    ax.set_ylabel("sample estimate" if estimators else "sample α")
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="0.92", linewidth=0.8)
    ax.set_axisbelow(True)
    if ax.get_legend_handles_labels()[0]:
        legend = ax.legend(frameon=False, fontsize="small", loc="lower right",
                           markerscale=1.8)
        for handle in legend.legend_handles:  # opaque markers even when points are faint
            if isinstance(handle, mpl.collections.PathCollection):
                handle.set_alpha(1.0)
    counts = table.groupby(["n"] + (["estimator"] if estimators else [])).size()
    per = (f"{int(counts.iloc[0]):,} simulated samples per n" if counts.nunique() == 1
           else f"{len(table):,} simulated samples")
    if not estimators:
        default = "Sample α around the truth"
    elif {str(g).lower() for g in groups} == {"alpha", "omega"}:
        default = "Sample α and ω around the truth"
    else:
        default = "Sample estimates around the truth"
    _titles(ax, title or default,
            f"{per}; boxes: quartiles, whiskers: 5th–95th percentile")
    return fig


def ranking_accuracy(table, *, ax=None, title=None):
    """How often the truly best employee is ranked first, by ratings per employee.

    A line with points of the share of simulations in which the employee with the
    highest true mean also had the highest observed mean, against the number of
    ratings each employee received; y in percent. With a ``chance`` column (``1 /
    n_employees``) a dotted line shows what random ranking achieves; with a single
    ``icc1`` value it is given in the subtitle, with several values one line is drawn
    per value.

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``ratings_per_employee`` and ``p_best_ranked_first`` (a share, 0–1) and
        optionally ``icc1`` and ``chance``.
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        Missing columns, or shares outside 0–1 (percentages).

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"ratings_per_employee": [5, 10, 20, 50, 100],
    ...                       "p_best_ranked_first": [0.18, 0.27, 0.39, 0.58, 0.74],
    ...                       "icc1": 0.05, "chance": 0.1})
    >>> fig = ranking_accuracy(table)
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    import matplotlib as mpl
    import numpy as np
    import pandas as pd

    optional = [c for c in ("icc1", "chance") if isinstance(
        getattr(table, "columns", None), pd.Index) and c in table.columns]
    arrays = _check_table(table, "table", ["ratings_per_employee", "p_best_ranked_first",
                                           *optional],
                          ["ratings_per_employee", "p_best_ranked_first", *optional],
                          what="columns ratings_per_employee and p_best_ranked_first (a "
                               "share, 0–1) and optionally icc1 and chance")
    ax, title = _check_ax(ax), _check_title(title)
    shares = arrays["p_best_ranked_first"]
    with np.errstate(invalid="ignore"):
        outside = (shares < 0) | (shares > 1)
    if outside.any():
        raise ValueError("`table` column 'p_best_ranked_first' must hold shares between 0 "
                         f"and 1; found {shares[outside][0]:g} (percentages? divide by 100)")
    if table.empty:
        raise ValueError("`table` has no rows to draw")
    if "chance" in optional:
        chances = arrays["chance"]
        with np.errstate(invalid="ignore"):
            if ((chances <= 0) | (chances > 1)).any():
                raise ValueError("`table` column 'chance' must hold shares above 0 and at "
                                 "most 1 (1 / n_employees)")
    table = table.assign(**{c: arrays[c] for c in arrays})
    table = table.sort_values("ratings_per_employee", kind="stable")
    x_all = table["ratings_per_employee"].to_numpy(float)
    log_x = x_all.min() > 0 and x_all.max() / x_all.min() > 10
    levels = sorted(pd.unique(table["icc1"].dropna())) if "icc1" in table else []
    split = len(levels) > 1
    fig, ax = _figure(ax, 7.0, 4.2)
    if "chance" in table and table["chance"].notna().any():
        chance = float(table["chance"].dropna().iloc[0])
        label = (f"chance (1 in {1 / chance:.0f})" if chance > 0 and
                 abs(1 / chance - round(1 / chance)) < 1e-9 else f"chance ({chance:.1%})")
        ax.axhline(chance, color="0.45", linestyle=":", linewidth=1.2, gid="chance",
                   label=label)
    groups = [(table[table["icc1"] == level], f"ICC(1) = {level:.3g}") for level in levels] \
        if split else [(table, None)]
    colours = _PALETTE if split else (_INK,)
    for i, (rows, label) in enumerate(groups):
        colour = colours[i % len(colours)]
        ax.plot(rows["ratings_per_employee"], rows["p_best_ranked_first"], "-o",
                color=colour, linewidth=1.6, markersize=5, label=label, zorder=3,
                gid="accuracy" if not split else f"accuracy_{i}", clip_on=False)
        if not split and len(rows) <= 15:
            for xv, yv in zip(rows["ratings_per_employee"], rows["p_best_ranked_first"],
                              strict=True):
                ax.annotate(f"{yv:.0%}", xy=(xv, yv), xytext=(0, 6),
                            textcoords="offset points", ha="center", va="bottom",
                            fontsize="x-small", color="0.3")
    if log_x:
        ax.set_xscale("log")
        ax.xaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
        ax.xaxis.set_minor_formatter(mpl.ticker.NullFormatter())
        ax.set_xticks(np.unique(x_all))
    ax.set_ylim(0, 1.06)
    ax.yaxis.set_major_formatter(mpl.ticker.PercentFormatter(1.0, decimals=0))
    ax.set_xlabel("ratings per employee" + (" (log scale)" if log_x else ""))
    ax.set_ylabel("best employee ranked first")
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="0.92", linewidth=0.8)
    ax.set_axisbelow(True)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(frameon=False, fontsize="small", loc="upper left")
    subtitle = (f"ICC(1) = {levels[0]:.3g}: share of a rating's variance due to the employee"
                if len(levels) == 1 else None)
    _titles(ax, title or "How often the best employee is ranked first", subtitle)
    return fig


# --------------------------------------------------------------------------------------
# CX-to-revenue
# --------------------------------------------------------------------------------------

#: Okabe–Ito colours of the three levers.
LEVER_COLOURS = {"retention": "#0072B2", "enrichment": "#E69F00", "advocacy": "#009E73"}


def _money(value: float, _pos=None) -> str:
    """$1.2B, $350M, $12k, $0 — for axes and labels (display only)."""
    sign = "−" if value < 0 else ""
    v = abs(value)
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if v >= size:
            text = f"{v / size:.3g}"
            return f"{sign}${text}{suffix}"
    return f"{sign}${v:.3g}" if v else "$0"


def _scenario_subtitle(scenario) -> str:
    low, high = scenario.interval
    level = _level(scenario.confidence_level)
    if scenario.uncertain:
        return (f"total {_money(scenario.total)} at central values; {level} Monte Carlo "
                f"interval {_money(low)} to {_money(high)} ({scenario.n_draws:,} draws)")
    return f"total {_money(scenario.total)}; every input fixed (no uncertainty propagated)"


def revenue_waterfall(scenario, *, ax=None, title=None):
    """Waterfall of a revenue scenario: each lever's contribution, year by year, to the total.

    Floating bars (one per year and lever with a non-zero contribution, coloured by
    lever) climb from zero to the total, drawn as the last bar with its Monte Carlo
    interval as an error bar. Values are at the central inputs; interactions between
    levers are split by the Shapley value (see :func:`cxkit.revenue.cx_revenue_scenario`).

    Parameters
    ----------
    scenario : cxkit.revenue.RevenueScenario
    ax : matplotlib Axes, optional
    title : str, optional

    Examples
    --------
    >>> from cxkit.revenue import cx_revenue_scenario
    >>> res = cx_revenue_scenario(customers=1000, revenue_per_customer=1000, retention=0.8,
    ...                           retention_lift=0.05, buy_more_lift=0.1, spend_uplift=0.2)
    >>> fig = revenue_waterfall(res)
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    import matplotlib as mpl
    import matplotlib.patches as mpatches

    _check_result(scenario, "scenario", ("by_year", "total", "interval", "uncertain",
                                         "horizon_years", "confidence_level", "n_draws"),
                  "a RevenueScenario (from cxkit.revenue.cx_revenue_scenario)")
    ax, title = _check_ax(ax), _check_title(title)
    rows = scenario.by_year[scenario.by_year["contribution"] != 0]
    fig, ax = _figure(ax, max(6.0, 1.2 + 0.62 * (len(rows) + 1)), 4.6)
    start = 0.0
    labels = []
    for i, row in enumerate(rows.itertuples(index=False)):
        colour = LEVER_COLOURS.get(row.lever, _INK)
        ax.bar(i, row.contribution, bottom=start, color=colour, width=0.7,
               edgecolor="white", linewidth=0.6, gid=f"y{row.year}_{row.lever}")
        ax.annotate(_money(row.contribution), xy=(i, start + max(row.contribution, 0)),
                    xytext=(0, 3), textcoords="offset points", ha="center", va="bottom",
                    fontsize="x-small", color="0.3")
        if i + 1 < len(rows) + 1:
            ax.plot([i + 0.35, i + 0.65], [start + row.contribution] * 2, color="0.6",
                    linewidth=0.8)
        start += row.contribution
        labels.append(f"year {row.year}\n{row.lever}")
    i = len(rows)
    low, high = scenario.interval
    ax.bar(i, scenario.total, color=_INK, width=0.7, gid="total")
    if scenario.uncertain:
        ax.errorbar(i, scenario.total, yerr=[[scenario.total - low], [high - scenario.total]],
                    color="0.15", capsize=5, linewidth=1.2, gid="interval")
    ax.annotate(_money(scenario.total), xy=(i, max(scenario.total, high)), xytext=(0, 3),
                textcoords="offset points", ha="center", va="bottom", fontsize="small",
                fontweight="bold", color=_INK)
    labels.append("total")
    ax.set_xticks(range(len(labels)), labels, fontsize="x-small")
    ax.axhline(0, color="0.25", linewidth=0.8)
    ax.yaxis.set_major_formatter(mpl.ticker.FuncFormatter(_money))
    ax.set_ylabel(f"revenue impact over {scenario.horizon_years} years (discounted)")
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="0.92", linewidth=0.8)
    ax.set_axisbelow(True)
    used = [lever for lever in LEVER_COLOURS if lever in set(rows["lever"])]
    ax.legend(handles=[mpatches.Patch(color=LEVER_COLOURS[v], label=v) for v in used],
              frameon=False, fontsize="small", loc="upper left")
    _titles(ax, title or "Where the revenue impact comes from, by lever and year",
            _scenario_subtitle(scenario))
    return fig


def revenue_distribution(scenario, *, target=None, ax=None, title=None):
    """Monte Carlo distribution of a scenario's total, with its interval (and a target).

    A histogram of the draws' totals, the interval shaded, the total at the central
    values as a solid line and, if given, a target (e.g. Temkin's $775M) as a dashed
    line with the share of draws that reach it.

    Parameters
    ----------
    scenario : cxkit.revenue.RevenueScenario
    target : float, optional
    ax : matplotlib Axes, optional
    title : str, optional

    Examples
    --------
    >>> from scipy import stats
    >>> from cxkit.revenue import cx_revenue_scenario
    >>> res = cx_revenue_scenario(customers=1000, revenue_per_customer=1000, retention=0.8,
    ...     retention_lift=stats.uniform(0.02, 0.06), n_draws=2000, rng=1)
    >>> fig = revenue_distribution(res, target=150_000)
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    import matplotlib as mpl
    import numpy as np

    _check_result(scenario, "scenario", ("draws", "total", "interval", "uncertain",
                                         "horizon_years", "confidence_level", "n_draws"),
                  "a RevenueScenario (from cxkit.revenue.cx_revenue_scenario)")
    target = _check_number(target, "target")
    ax, title = _check_ax(ax), _check_title(title)
    totals = scenario.draws["total"].to_numpy(float)
    low, high = scenario.interval
    fig, ax = _figure(ax, 7.5, 4.2)
    spread = np.ptp(totals)
    if spread > 0:
        ax.hist(totals, bins=60, color="#8FA8C8", edgecolor="white", linewidth=0.3,
                gid="draws")
        ax.axvspan(low, high, color=_INK, alpha=0.08, gid="interval",
                   label=f"{_level(scenario.confidence_level)} interval")
    ax.axvline(scenario.total, color=_INK, linewidth=1.6, gid="total",
               label=f"central: {_money(scenario.total)}")
    if target is not None:
        reach = int((totals >= target).sum())
        ax.axvline(target, color=NPS_COLOURS["detractor"], linestyle="--", linewidth=1.4,
                   gid="target", label=f"target {_money(target)} "
                                       f"(reached in {reach:,} of {totals.size:,} draws)")
    ax.xaxis.set_major_formatter(mpl.ticker.FuncFormatter(_money))
    ax.set_xlabel(f"revenue impact over {scenario.horizon_years} years (discounted)")
    ax.set_ylabel("Monte Carlo draws")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(frameon=False, fontsize="small", loc="upper right")
    _titles(ax, title or "How uncertain the revenue impact is", _scenario_subtitle(scenario))
    return fig


def revenue_tornado(scenario_or_table, *, ax=None, title=None, max_inputs=12):
    """Tornado chart: how far the total moves when each input goes from low to high.

    One horizontal bar per input (widest swing on top) from the total with the input at
    its low value to the total at its high value, the others at their central values;
    the vertical line is the total at the central values.

    Parameters
    ----------
    scenario_or_table : RevenueScenario or pandas.DataFrame
        A scenario (its :meth:`~cxkit.revenue.RevenueScenario.sensitivity` table is
        used) or such a table.
    max_inputs : int, default 12

    Examples
    --------
    >>> from scipy import stats
    >>> from cxkit.revenue import cx_revenue_scenario
    >>> res = cx_revenue_scenario(customers=1000, revenue_per_customer=1000, retention=0.8,
    ...     retention_lift=stats.uniform(0.02, 0.06), intent_to_behaviour=stats.uniform(0.3, 0.7),
    ...     n_draws=1000, rng=1)
    >>> fig = revenue_tornado(res)
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    import matplotlib as mpl
    import numpy as np

    from cxkit._validation import check_positive_int

    ax, title = _check_ax(ax), _check_title(title)
    max_inputs = check_positive_int(max_inputs, "max_inputs")
    total = None
    if hasattr(scenario_or_table, "sensitivity"):
        table = scenario_or_table.sensitivity()
        total = scenario_or_table.total
    else:
        table = scenario_or_table
    import pandas as pd

    if not isinstance(table, pd.DataFrame):
        raise TypeError("`scenario_or_table` must be a RevenueScenario or its sensitivity() "
                        f"table (a pandas DataFrame); got {_typename(scenario_or_table)}")
    numeric = ["low", "high", "total_low", "total_high"]
    _check_table(table, "scenario_or_table", ["input", *numeric], numeric,
                 what="the columns of RevenueScenario.sensitivity()")
    table = table.head(max_inputs)
    if table.empty:
        raise ValueError("`scenario_or_table`: nothing to draw, the scenario has no uncertain "
                         "inputs; give some inputs as distributions or pass "
                         "sensitivity(ranges=...)")
    table = table.assign(**{c: table[c].astype(float) for c in numeric})
    if total is None:
        total = float(np.median(np.r_[table["total_low"], table["total_high"]]))
    fig, ax = _figure(ax, 8.0, 1.4 + 0.45 * len(table))
    y = np.arange(len(table))
    for i, row in enumerate(table.itertuples(index=False)):
        for value, end, colour in ((row.low, row.total_low, "#8FA8C8"),
                                   (row.high, row.total_high, _INK)):
            ax.barh(i, end - total, left=total, color=colour, height=0.6,
                    gid=f"{row.input}_{'low' if colour != _INK else 'high'}")
            ax.annotate(f"{value:.3g}", xy=(end, i), xytext=(3 if end >= total else -3, 0),
                        textcoords="offset points", ha="left" if end >= total else "right",
                        va="center", fontsize="x-small", color="0.3")
    ax.axvline(total, color="0.2", linewidth=1.0)
    ax.set_yticks(y, table["input"].tolist())
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(mpl.ticker.FuncFormatter(_money))
    ax.set_xlabel("total revenue impact (numbers at the bar ends: the input's value)")
    ax.spines[["top", "right"]].set_visible(False)
    ax.margins(x=0.12)
    import matplotlib.patches as mpatches
    ax.legend(handles=[mpatches.Patch(color="#8FA8C8", label="input at its low value"),
                       mpatches.Patch(color=_INK, label="input at its high value")],
              frameon=False, fontsize="small", loc="lower right")
    _titles(ax, title or "Which assumptions move the total most",
            f"each input from low to high, the others at their central values; "
            f"central total {_money(total)}")
    return fig


def lever_effects(effects, *, truth=None, ax=None, title=None):
    """The estimated lifts in loyalty intentions, with their intervals (a forest plot).

    Parameters
    ----------
    effects : pandas.DataFrame
        From :func:`cxkit.revenue.estimate_lever_effects`.
    truth : str or mapping of outcome to float, optional
        Known true lifts (simulations, teaching), drawn as open diamonds: a column of
        ``effects`` or a mapping from the ``outcome`` label to the value.

    Examples
    --------
    >>> import pandas as pd
    >>> eff = pd.DataFrame({"outcome": ["stay", "recommend"], "lift": [0.16, 0.14],
    ...     "ci_low": [0.13, 0.09], "ci_high": [0.2, 0.18], "baseline_share": [0.33, 0.26],
    ...     "n": [250, 250], "shift": [1.0, 1.0], "confidence_level": [0.95, 0.95]})
    >>> fig = lever_effects(eff)
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    import matplotlib as mpl
    import numpy as np
    import pandas as pd

    numeric = ["lift", "ci_low", "ci_high", "baseline_share", "n"]
    optional = [c for c in ("shift", "confidence_level") if isinstance(
        getattr(effects, "columns", None), pd.Index) and c in effects.columns]
    arrays = _check_table(effects, "effects", ["outcome", *numeric, *optional],
                          [*numeric, *optional],
                          what="the columns of estimate_lever_effects()")
    ax, title = _check_ax(ax), _check_title(title)
    if effects.empty:
        raise ValueError("`effects` has no rows to draw")
    if truth is not None and not isinstance(truth, (str, Mapping)):
        raise TypeError("`truth` must be a column of `effects`, a mapping of outcome to "
                        f"value or None; got {_typename(truth)}")
    if isinstance(truth, str):
        _check_table(effects, "effects", [truth], [truth], what=f"the `truth` column {truth!r}")
    elif truth is not None:
        truth = {key: _check_number(value, f"truth[{key!r}]", allow_nan=True)
                 for key, value in truth.items()}
    if "confidence_level" in optional:
        from cxkit._validation import check_confidence_level

        check_confidence_level(arrays["confidence_level"][0], "effects['confidence_level']")
    with np.errstate(invalid="ignore"):
        outside = (arrays["ci_low"] > arrays["lift"]) | (arrays["lift"] > arrays["ci_high"])
    if outside.any():
        row = int(np.flatnonzero(outside)[0])
        raise ValueError(f"`effects` row {row} has a lift outside its interval (ci_low "
                         f"{_fmt_value(arrays['ci_low'][row])}, lift "
                         f"{_fmt_value(arrays['lift'][row])}, ci_high "
                         f"{_fmt_value(arrays['ci_high'][row])}); expected ci_low <= lift <= "
                         "ci_high")
    effects = effects.assign(**{c: arrays[c] for c in numeric + optional})
    fig, ax = _figure(ax, 7.0, 1.5 + 0.55 * len(effects))
    y = np.arange(len(effects))
    ax.errorbar(effects["lift"], y, xerr=[effects["lift"] - effects["ci_low"],
                                          effects["ci_high"] - effects["lift"]],
                fmt="o", color=_INK, capsize=4, markersize=6, gid="lifts")
    for i, row in enumerate(effects.itertuples(index=False)):
        ax.annotate(f"{100 * row.lift:+.1f} points  [{100 * row.ci_low:+.1f}, "
                    f"{100 * row.ci_high:+.1f}]",
                    xy=(row.ci_high, i), xytext=(6, 0), textcoords="offset points",
                    va="center", fontsize="x-small", color="0.3")
    if truth is not None:
        values = (effects[truth] if isinstance(truth, str) else
                  effects["outcome"].map(lambda o: truth.get(o, np.nan)))
        ax.scatter(values.to_numpy(float), y, marker="D", s=70, facecolors="none",
                   edgecolors=NPS_COLOURS["detractor"], linewidths=1.6, zorder=3, gid="truth",
                   label="truth")
        ax.legend(frameon=False, fontsize="small", loc="lower left")
    ax.set_yticks(y, [f"{row.outcome}  (top box now {row.baseline_share:.0%}, n={row.n:,})"
                      for row in effects.itertuples(index=False)])
    ax.set_ylim(len(effects) - 0.4, -0.6)
    ax.axvline(0, color="0.25", linewidth=0.8)
    ax.xaxis.set_major_formatter(mpl.ticker.PercentFormatter(1.0, decimals=0))
    ax.set_xlabel("change in the share of customers in the top box (points)")
    ax.spines[["top", "right"]].set_visible(False)
    ax.margins(x=0.35)
    shift = effects["shift"].iloc[0] if "shift" in effects else None
    level = effects["confidence_level"].iloc[0] if "confidence_level" in effects else None
    sub = (f"if every respondent's CX rating rose by {shift:g} point"
           f"{'s' * int(shift != 1)}" if shift is not None else None)
    if sub and level is not None:
        sub += f"; {_level(level)} intervals"
    _titles(ax, title or "Estimated lift in loyalty intentions", sub)
    return fig
