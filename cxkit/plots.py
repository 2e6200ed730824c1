"""Figures, one function per chart. They draw result objects and compute no statistics.

Each function returns the matplotlib ``Figure`` (draw into ``ax`` if given) so that a
notebook can show it and save it; matplotlib and seaborn are imported when called.
"""

from __future__ import annotations

__all__ = ["correlation_heatmap", "likert_bars", "missing_bars", "save_figure"]

_ITEM_INCH = 0.34  # vertical space per item in horizontal bar charts


def _figure(ax, width: float, height: float):
    import matplotlib.pyplot as plt

    if ax is not None:
        return ax.figure, ax
    fig, ax = plt.subplots(figsize=(width, height), layout="constrained")
    return fig, ax


def likert_bars(profile, *, ax=None, labels=None, title=None):
    """Diverging stacked bars: each item's response distribution around the scale midpoint.

    Shares of responses below the midpoint extend left, above it right; a middle
    category (odd number of points) is split evenly across zero, so items can be compared
    by how far their bars lean to either side. Bar labels give each item's n.

    Parameters
    ----------
    profile : cxkit.profile.ItemProfile
        From :func:`cxkit.profile_items`.
    ax : matplotlib Axes, optional
    labels : mapping of item to label, optional
        E.g. item wordings, shown instead of column names.
    title : str, optional
    """
    import matplotlib as mpl
    import numpy as np

    dist = profile.distribution
    values = np.sort(dist["value"].unique())
    items = list(profile.items)
    shares = (dist.pivot(index="item", columns="value", values="share")
              .reindex(index=items, columns=values).fillna(0.0).to_numpy())
    counts = dist.groupby("item", sort=False)["count"].sum().reindex(items)
    mid = (profile.scale[0] + profile.scale[1]) / 2
    below = np.where(values < mid, 1.0, np.where(values == mid, 0.5, 0.0))
    left = -(shares * below).sum(axis=1)
    colours = mpl.colormaps["RdBu"](np.linspace(0.08, 0.92, len(values)))
    fig, ax = _figure(ax, 9.5, 1.6 + _ITEM_INCH * len(items))
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
    ax.set_title(title or "Response distribution per item", loc="left", pad=34)
    return fig


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
    import seaborn as sns

    corr = getattr(profile_or_corr, "correlations", profile_or_corr)
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


def save_figure(fig, output_dir, name: str, *, dpi: int = 150):
    """Save ``fig`` as ``output_dir/name.png`` and return the path."""
    from pathlib import Path

    path = Path(output_dir) / f"{name}.png"
    fig.savefig(path, dpi=dpi, bbox_inches="tight")
    return path
