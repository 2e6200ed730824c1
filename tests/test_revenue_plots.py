"""Revenue figures in cxkit.plots: they draw what the result holds, nothing else."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from scipy import stats  # noqa: E402

from cxkit import plots  # noqa: E402
from cxkit.revenue import cx_revenue_scenario  # noqa: E402

BASE = {"customers": 1000, "revenue_per_customer": 1000, "retention": 0.8}


@pytest.fixture
def scenario():
    return cx_revenue_scenario(**BASE, retention_lift=stats.uniform(0.03, 0.04),
                               buy_more_lift=0.1, spend_uplift=0.2,
                               intent_to_behaviour=stats.uniform(0.4, 0.6), n_draws=3000, rng=1)


def by_gid(ax, gid):
    return [a for a in ax.get_children() if a.get_gid() == gid]


def test_waterfall_bars_climb_to_the_total(scenario):
    fig = plots.revenue_waterfall(scenario)
    ax = fig.axes[0]
    rows = scenario.by_year[scenario.by_year["contribution"] != 0]
    tops = []
    for row in rows.itertuples(index=False):
        (bar,) = [p for p in ax.patches if p.get_gid() == f"y{row.year}_{row.lever}"]
        assert bar.get_height() == pytest.approx(row.contribution)
        tops.append(bar.get_y() + bar.get_height())
    assert tops[-1] == pytest.approx(scenario.total)
    (total,) = [p for p in ax.patches if p.get_gid() == "total"]
    assert total.get_height() == pytest.approx(scenario.total)
    assert by_gid(ax, "interval")  # the Monte Carlo interval as an error bar
    assert "year 1\nretention" not in [t.get_text() for t in ax.get_xticklabels()]  # zero
    plt.close(fig)


def test_distribution_marks_total_interval_and_target(scenario):
    fig = plots.revenue_distribution(scenario, target=150_000)
    ax = fig.axes[0]
    (line,) = by_gid(ax, "total")
    assert line.get_xdata()[0] == pytest.approx(scenario.total)
    (target,) = by_gid(ax, "target")
    assert target.get_xdata()[0] == 150_000
    reach = int((scenario.draws["total"] >= 150_000).sum())
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(f"reached in {reach:,} of 3,000 draws" in t for t in labels)
    bars = [p for p in ax.patches if p.get_gid() == "draws"]
    assert sum(p.get_height() for p in bars) == 3000
    plt.close(fig)


def test_tornado_bars_span_low_to_high(scenario):
    table = scenario.sensitivity()
    fig = plots.revenue_tornado(scenario)
    ax = fig.axes[0]
    for row in table.itertuples(index=False):
        (high,) = [p for p in ax.patches if p.get_gid() == f"{row.input}_high"]
        assert high.get_x() + high.get_width() == pytest.approx(row.total_high)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == table["input"].tolist()  # widest swing on top (y axis inverted)
    plt.close(fig)
    fixed = cx_revenue_scenario(**BASE, retention_lift=0.05)
    with pytest.raises(ValueError, match="no uncertain inputs"):
        plots.revenue_tornado(fixed)


def test_lever_effects_forest():
    eff = pd.DataFrame({"outcome": ["stay", "recommend"], "lift": [0.16, -0.02],
                        "ci_low": [0.13, -0.05], "ci_high": [0.2, 0.01],
                        "baseline_share": [0.33, 0.26], "n": [250, 248], "shift": [1.0, 1.0],
                        "confidence_level": [0.9, 0.9]})
    fig = plots.lever_effects(eff)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[1].startswith("recommend") and "n=248" in labels[1]
    texts = [t.get_text() for t in ax.texts]
    assert any(t.startswith("-2.0 points") for t in texts)  # negative lifts are drawn as such
    plt.close(fig)
    fig = plots.lever_effects(eff, truth={"stay": 0.15, "recommend": 0.0})
    (truth,) = [c for c in fig.axes[0].collections if c.get_gid() == "truth"]
    assert truth.get_offsets()[:, 0].tolist() == [0.15, 0.0]
    plt.close(fig)
    with pytest.raises(ValueError, match="estimate_lever_effects"):
        plots.lever_effects(eff.drop(columns="ci_low"))
    assert np.isfinite(eff["lift"]).all()
