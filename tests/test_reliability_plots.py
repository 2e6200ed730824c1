"""Reliability figures in cxkit.plots, drawn from stand-in results and tables.

The stand-ins follow the reliability API contract (AlphaResult: alpha, ci, reverse,
items with r_drop / alpha_if_deleted, n, k) so that these tests do not depend on
cxkit.reliability. Each figure is also written to /tmp/rel_plots/<name>.png for a visual
check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from cxkit import plots  # noqa: E402
from cxkit._results import ConfidenceInterval  # noqa: E402
from cxkit.datasets import _omega_total, simulate_survey  # noqa: E402

PNG_DIR = Path("/tmp/rel_plots")
VERMILLION = "#d55e00"


@dataclass(frozen=True)
class FakeAlpha:
    """The AlphaResult fields the plots read."""

    alpha: float
    items: pd.DataFrame
    ci: ConfidenceInterval
    reverse: tuple = ()
    n: int = 1000
    k: int = 0
    method: str = "feldt"
    confidence_level: float = 0.95
    notes: tuple = field(default_factory=tuple)


def fake_alpha(r_drop, alpha_if_deleted, *, alpha=0.81, reverse=(), names=None,
               ci=(0.79, 0.83)):
    k = len(r_drop)
    names = names or [f"q{j}" for j in range(1, k + 1)]
    items = pd.DataFrame({"n": 1000, "mean": 3.2, "sd": 1.1, "r_drop": r_drop,
                          "alpha_if_deleted": alpha_if_deleted}, index=pd.Index(names))
    return FakeAlpha(alpha=alpha, items=items, reverse=tuple(reverse), k=k,
                     ci=ConfidenceInterval(*ci, 0.95, "feldt"))


#: ten items: q4 is a weak item, q7 a forgotten reverse-keyed one (negative r_drop)
TEN = fake_alpha(
    r_drop=[0.62, 0.58, 0.55, 0.21, 0.66, 0.49, -0.18, 0.52, 0.60, 0.45],
    alpha_if_deleted=[0.781, 0.786, 0.789, 0.818, 0.776, 0.795, 0.846, 0.791, 0.783, 0.798],
    reverse=("q2", "q9"),
)


def save(fig, name: str) -> None:
    PNG_DIR.mkdir(parents=True, exist_ok=True)
    fig.savefig(PNG_DIR / f"{name}.png", dpi=110, bbox_inches="tight")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def by_gid(ax, gid):
    return [a for a in ax.get_children() if a.get_gid() == gid]


def points(ax, gid) -> np.ndarray:
    lines = by_gid(ax, gid)
    return np.concatenate([line.get_xdata() for line in lines]) if lines else np.array([])


# --------------------------------------------------------------------------- item_analysis


def test_item_analysis_points_bars_and_highlight():
    fig = plots.item_analysis(TEN)
    save(fig, "item_analysis")
    left, right = fig.axes
    assert points(left, "alpha_if_deleted").size + points(left, "alpha_if_deleted_raises").size \
        == 10
    raised = points(left, "alpha_if_deleted_raises")
    assert sorted(raised) == [0.818, 0.846]  # the two items whose deletion raises alpha
    assert to_hex(by_gid(left, "alpha_if_deleted_raises")[0].get_color()) == VERMILLION
    assert len(right.containers) == 1 and len(right.containers[0]) == 10
    bars = list(right.containers[0])
    widths = [bar.get_width() for bar in bars]
    assert widths == pytest.approx(list(TEN.items["r_drop"]))
    coloured = [to_hex(bar.get_facecolor()) for bar in bars]
    assert coloured[3] == coloured[6] == VERMILLION and coloured[0] != VERMILLION
    # reference lines: alpha on the left, 0.3 and 0 on the right
    assert by_gid(left, "alpha")[0].get_xdata()[0] == pytest.approx(0.81)
    assert by_gid(right, "rule_of_thumb")[0].get_xdata()[0] == pytest.approx(0.3)
    assert any(line.get_xdata()[0] == 0 for line in right.get_lines())
    band = by_gid(left, "alpha_ci")[0].get_extents()
    assert band.width > 0
    lo, hi = right.get_xlim()
    assert lo < -0.18 and hi > 0.66  # the negative bar and the longest bar are visible


def test_item_analysis_labels_reverse_items_and_titles():
    fig = plots.item_analysis(TEN)
    left, right = fig.axes
    labels = [t.get_text() for t in left.get_yticklabels()]
    assert labels[:3] == ["q1", "q2 (R)", "q3"] and labels[8] == "q9 (R)"
    assert sum(label.endswith("(R)") for label in labels) == 2
    assert labels[0] == "q1"  # first item on top
    assert left.get_ylim()[0] > left.get_ylim()[1]
    colours = [to_hex(t.get_color()) for t in left.get_yticklabels()]
    assert colours[3] == colours[6] == VERMILLION
    assert left.get_title(loc="left") == "Item analysis"
    texts = " ".join(t.get_text() for t in left.texts)
    assert "α = 0.810 [0.790, 0.830] (95% feldt)" in texts and "n = 1,000" in texts
    assert "(R): reverse-keyed" in texts
    assert "rule of thumb" in " ".join(t.get_text() for t in right.texts)
    assert "item–rest" in right.get_xlabel()
    assert not any(t.get_visible() and t.get_text() for t in right.get_yticklabels())


def test_item_analysis_no_reverse_and_no_highlight():
    result = fake_alpha([0.6, 0.5, 0.55], [0.7, 0.72, 0.71], alpha=0.78, ci=(0.75, 0.8))
    fig = plots.item_analysis(result, title="Satisfaction block")
    save(fig, "item_analysis_clean")
    left, _ = fig.axes
    assert by_gid(left, "alpha_if_deleted_raises") == []
    assert all("(R)" not in t.get_text() for t in left.get_yticklabels())
    notes = " ".join(t.get_text() for t in left.texts)
    assert "(R)" not in notes and "Deleting any one item lowers α." in notes
    assert left.get_title(loc="left") == "Satisfaction block"


def test_item_analysis_ax_pair_and_single_ax():
    fig, pair = plt.subplots(1, 2, figsize=(10, 5))
    assert plots.item_analysis(TEN, ax=pair) is fig
    assert pair[1].containers and len(pair[1].containers[0]) == 10
    fig, grid = plt.subplots(2, 1, figsize=(10, 9), layout="constrained")
    grid[0].plot([0, 1], [0, 1])
    out = plots.item_analysis(TEN, ax=grid[1], title="Into the lower slot")
    save(out, "item_analysis_split")
    assert out is fig and grid[1] not in fig.axes and len(fig.axes) == 3
    with pytest.raises(ValueError, match="pair"):
        plots.item_analysis(TEN, ax=[grid[0]])
    bad = FakeAlpha(alpha=0.8, items=pd.DataFrame({"r_drop": [0.5]}),
                    ci=ConfidenceInterval(0.7, 0.9, 0.95, "feldt"))
    with pytest.raises(ValueError, match="alpha_if_deleted"):
        plots.item_analysis(bad)


def test_item_analysis_many_items_is_tall_enough():
    k = 25
    rng = np.random.default_rng(1)
    result = fake_alpha(rng.uniform(0.1, 0.7, k), rng.uniform(0.86, 0.9, k), alpha=0.885,
                        ci=(0.88, 0.89), reverse=("q5", "q12"))
    fig = plots.item_analysis(result)
    save(fig, "item_analysis_25")
    assert fig.get_figheight() >= 0.3 * k


# --------------------------------------------------------------------------- alpha_scatter


def _sample_table(reps=60, sizes=(20, 50, 100, 300, 1000), seed=3):
    """Sample alpha and omega of repeated samples from one population (plain numpy)."""
    sim = simulate_survey(reps * sum(sizes), loadings=[0.8, 0.7, 0.6, 0.6, 0.5, 0.4],
                          rng=seed)
    x = sim.data.to_numpy(dtype=float)
    rows, start = [], 0
    for n in sizes:
        for _ in range(reps):
            part = x[start:start + n]
            start += n
            cov = np.cov(part, rowvar=False)
            alpha = 6 / 5 * (1 - np.trace(cov) / cov.sum())
            omega = _omega_total(np.corrcoef(part, rowvar=False), 1)
            rows += [{"n": n, "estimator": "alpha", "alpha": alpha},
                     {"n": n, "estimator": "omega", "alpha": omega}]
    return pd.DataFrame(rows), sim


def test_alpha_scatter_single_estimator():
    table, sim = _sample_table()
    alpha_only = table[table["estimator"] == "alpha"].drop(columns="estimator")
    fig = plots.alpha_scatter(alpha_only, truth=sim.alpha)
    save(fig, "alpha_scatter")
    ax = fig.axes[0]
    cloud = by_gid(ax, "samples")[0]
    assert cloud.get_offsets().shape[0] == len(alpha_only)
    truth = by_gid(ax, "truth")[0]
    assert truth.get_ydata()[0] == pytest.approx(sim.alpha)
    assert truth.get_linestyle() == "--"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["20", "50", "100", "300", "1,000"]
    assert "log scale" in ax.get_xlabel()
    assert np.allclose(ax.get_xticks(), np.log10([20, 50, 100, 300, 1000]))
    assert ax.get_title(loc="left") == "Sample α around the truth"
    assert "60 simulated samples per n" in " ".join(t.get_text() for t in ax.texts)
    # jittered points stay inside their column
    xs = cloud.get_offsets()[:, 0]
    assert np.abs(xs - np.log10(alpha_only["n"].to_numpy())).max() < 0.25


def test_alpha_scatter_two_estimators_two_colours():
    table, sim = _sample_table()
    fig = plots.alpha_scatter(table, truth={"alpha": sim.alpha, "omega": sim.omega})
    save(fig, "alpha_scatter_estimators")
    ax = fig.axes[0]
    a, o = by_gid(ax, "samples_alpha")[0], by_gid(ax, "samples_omega")[0]
    assert to_hex(a.get_facecolor()[0]) == "#0072b2"
    assert to_hex(o.get_facecolor()[0]) == VERMILLION
    assert a.get_offsets().shape[0] == o.get_offsets().shape[0] == len(table) // 2
    assert np.mean(a.get_offsets()[:, 0]) < np.mean(o.get_offsets()[:, 0])  # side by side
    assert to_hex(by_gid(ax, "truth_omega")[0].get_color()) == VERMILLION
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[:2] == ["alpha", "omega"]
    assert f"true omega = {sim.omega:.3f}" in labels


def test_alpha_scatter_linear_axis_ax_and_errors():
    table = pd.DataFrame({"n": [50] * 4 + [100] * 4 + [150] * 4,
                          "alpha": np.linspace(0.7, 0.8, 12)})
    fig, ax = plt.subplots()
    assert plots.alpha_scatter(table, ax=ax, title="Linear") is fig
    assert "log" not in ax.get_xlabel() and list(ax.get_xticks()) == [50, 100, 150]
    assert by_gid(ax, "truth") == []
    with pytest.raises(ValueError, match=r"\['alpha'\]"):
        plots.alpha_scatter(table.rename(columns={"alpha": "estimate"}))


# --------------------------------------------------------------------------- ranking_accuracy

RANKING = pd.DataFrame({"ratings_per_employee": [5, 10, 20, 50, 100, 200],
                        "p_best_ranked_first": [0.19, 0.26, 0.37, 0.55, 0.71, 0.86],
                        "icc1": 0.05, "chance": 0.1})


def test_ranking_accuracy_line_chance_and_subtitle():
    fig = plots.ranking_accuracy(RANKING)
    save(fig, "ranking_accuracy")
    ax = fig.axes[0]
    line = by_gid(ax, "accuracy")[0]
    assert list(line.get_xdata()) == [5, 10, 20, 50, 100, 200]
    assert list(line.get_ydata()) == pytest.approx([0.19, 0.26, 0.37, 0.55, 0.71, 0.86])
    assert line.get_marker() == "o"
    assert by_gid(ax, "chance")[0].get_ydata()[0] == pytest.approx(0.1)
    assert "chance (1 in 10)" in [t.get_text() for t in ax.get_legend().get_texts()]
    assert ax.yaxis.get_major_formatter()(0.5, 0) == "50%"
    assert ax.get_xscale() == "log"
    assert "ICC(1) = 0.05" in " ".join(t.get_text() for t in ax.texts)
    assert "86%" in [t.get_text() for t in ax.texts]


def test_ranking_accuracy_several_icc_ax_and_errors():
    table = pd.concat([RANKING.assign(icc1=0.05),
                       RANKING.assign(icc1=0.15, p_best_ranked_first=lambda t:
                                      np.minimum(1, t["p_best_ranked_first"] * 1.3))])
    fig, ax = plt.subplots()
    assert plots.ranking_accuracy(table, ax=ax) is fig
    save(fig, "ranking_accuracy_icc")
    assert len(by_gid(ax, "accuracy_0")) == len(by_gid(ax, "accuracy_1")) == 1
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "ICC(1) = 0.05" in labels and "ICC(1) = 0.15" in labels
    plain = RANKING.drop(columns=["icc1", "chance"])
    fig = plots.ranking_accuracy(plain)
    assert by_gid(fig.axes[0], "chance") == []
    with pytest.raises(ValueError, match="percentages"):
        plots.ranking_accuracy(RANKING.assign(p_best_ranked_first=RANKING[
            "p_best_ranked_first"] * 100))
    with pytest.raises(ValueError, match="ratings_per_employee"):
        plots.ranking_accuracy(RANKING.drop(columns="ratings_per_employee"))
