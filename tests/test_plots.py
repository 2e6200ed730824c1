"""NPS figures in cxkit.plots: drawn from stand-in results and tables (no statistics).

Stand-ins follow the NPS API contract (NPSResult fields, nps_by / nps_trend columns) so
these tests do not depend on cxkit.nps. Each figure is also written to
/tmp/nps_plots/<name>.png for a visual check.
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

PNG_DIR = Path("/tmp/nps_plots")


@dataclass(frozen=True)
class FakeNPS:
    """The NPSResult fields the plots read."""

    estimate: float
    ci: ConfidenceInterval
    n: int
    counts: dict
    proportions: dict
    method: str = "tango"
    confidence_level: float = 0.95
    promoter_min: int = 9
    detractor_max: int = 6
    scale: tuple = (0, 10)
    score_counts: pd.Series | None = None
    n_missing: int = 0
    se: float = float("nan")
    notes: tuple = field(default_factory=tuple)


def fake_nps(score_counts=None, *, counts=None, promoter_min=9, detractor_max=6,
             ci=(4.4, 15.6)):
    """A stand-in result; categories and estimate are tallied here, not in plots."""
    if score_counts is not None:
        s = pd.Series(score_counts, index=range(len(score_counts)), dtype="int64")
        counts = {"detractors": int(s[s.index <= detractor_max].sum()),
                  "passives": int(s[(s.index > detractor_max) & (s.index < promoter_min)].sum()),
                  "promoters": int(s[s.index >= promoter_min].sum())}
    else:
        s = None
    n = sum(counts.values())
    proportions = {k: v / n for k, v in counts.items()}
    estimate = 100 * (proportions["promoters"] - proportions["detractors"])
    return FakeNPS(estimate=estimate, ci=ConfidenceInterval(*ci, 0.95, "tango"), n=n,
                   counts=counts, proportions=proportions, promoter_min=promoter_min,
                   detractor_max=detractor_max, score_counts=s)


# 1000 answers: 300 detractors (0-6), 300 passives (7-8), 400 promoters (9-10): NPS = 10
SCORE_COUNTS = [20, 10, 15, 25, 30, 80, 120, 140, 160, 170, 230]


def segment_table():
    return pd.DataFrame({
        "region": ["North", "North", "South", "South", "East", "West"],
        "channel": ["web", "app", "web", "app", "web", "web"],
        "n": [812, 455, 604, 21, 350, 9],
        "n_missing": [3, 0, 5, 0, 1, 0],
        "detractors": [240, 110, 150, 6, 120, 3],
        "passives": [250, 150, 190, 5, 100, 2],
        "promoters": [322, 195, 264, 10, 130, 4],
        "estimate": [10.1, 18.7, 18.9, 19.0, 2.9, 11.1],
        "ci_low": [5.2, 12.0, 13.4, -13.5, -4.4, -33.0],
        "ci_high": [15.0, 25.2, 24.3, 48.6, 10.1, 53.3],
        "small_n": [False, False, False, True, False, True],
        "method": "tango",
        "confidence_level": 0.95,
    })


def trend_table(periods=12):
    rng = np.random.default_rng(3)
    n = rng.integers(180, 420, periods)
    small = [i for i in (4, 9) if i < periods]
    n[small] = [14, 22][:len(small)]
    estimate = np.round(15 + np.cumsum(rng.normal(0, 3, periods)), 1)
    half = 190 / np.sqrt(n)
    return pd.DataFrame({
        "period": pd.date_range("2024-01-01", periods=periods, freq="W-MON"),
        "n": n, "estimate": estimate,
        "ci_low": np.maximum(estimate - half, -100), "ci_high": np.minimum(estimate + half, 100),
        "small_n": n < 30, "method": "tango", "confidence_level": 0.95,
    })


def coverage_table(scenarios=("P=.50, D=.20", "P=.70, D=.10", "P=.30, D=.30", "P=.90, D=.02")):
    rng = np.random.default_rng(7)
    rows = []
    for scenario in scenarios:
        for method, bias in (("wald", -0.04), ("adjusted-wald", 0.0), ("tango", 0.002)):
            for n in (10, 20, 50, 100, 200, 500, 1000):
                wobble = rng.normal(0, 0.012 / np.sqrt(n / 10))
                rows.append({"scenario": scenario, "method": method, "n": n,
                             "coverage": min(0.95 + bias * 10 / np.sqrt(n) + wobble, 1.0)})
    return pd.DataFrame(rows)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def save(fig, name):
    PNG_DIR.mkdir(parents=True, exist_ok=True)
    return plots.save_figure(fig, PNG_DIR, name)


def hexes(patches):
    return [to_hex(p.get_facecolor()) for p in patches]


def lines_by_gid(ax, gid):
    return [line for line in ax.get_lines() if line.get_gid() == gid]


def ytick_texts(ax):
    return [t.get_text() for t in ax.get_yticklabels()]


# --------------------------------------------------------------------------------------
# nps_distribution
# --------------------------------------------------------------------------------------

def test_distribution_bars_shares_labels_and_title():
    result = fake_nps(SCORE_COUNTS)
    fig = plots.nps_distribution(result)
    save(fig, "nps_distribution")
    assert isinstance(fig, matplotlib.figure.Figure)
    ax = fig.axes[0]
    bars = ax.containers[0]
    assert len(bars) == 11
    heights = [b.get_height() for b in bars]
    np.testing.assert_allclose(heights, np.array(SCORE_COUNTS) / 1000)
    labels = [t.get_text() for t in ax.texts if t.get_text().replace(",", "").isdigit()]
    assert labels == [f"{c:,}" for c in SCORE_COUNTS]
    colours = hexes(bars)
    detractor, passive, promoter = (plots.NPS_COLOURS[k].lower()
                                    for k in ("detractor", "passive", "promoter"))
    assert colours == [detractor] * 7 + [passive] * 2 + [promoter] * 2
    assert len({detractor, passive, promoter}) == 3
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["detractors (0–6): 30.0%", "passives (7–8): 30.0%",
                      "promoters (9–10): 40.0%"]
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "NPS = 10.0 [4.4, 15.6] (95% tango), n = 1,000" in texts
    assert ax.get_title(loc="left") == "Score distribution"


def test_distribution_colours_follow_the_thresholds():
    result = fake_nps(SCORE_COUNTS, promoter_min=8, detractor_max=5)
    ax = plots.nps_distribution(result).axes[0]
    colours = dict(zip(range(11), hexes(ax.containers[0]), strict=True))
    assert colours[8] == colours[10] == plots.NPS_COLOURS["promoter"].lower()
    assert colours[5] == colours[0] == plots.NPS_COLOURS["detractor"].lower()
    assert colours[6] == colours[7] == plots.NPS_COLOURS["passive"].lower()


def test_distribution_from_counts_draws_three_category_bars():
    result = fake_nps(counts={"detractors": 120, "passives": 200, "promoters": 180},
                      ci=(-0.5, 24.3))
    fig = plots.nps_distribution(result, title="From counts")
    save(fig, "nps_distribution_counts")
    ax = fig.axes[0]
    bars = ax.containers[0]
    assert len(bars) == 3
    np.testing.assert_allclose([b.get_height() for b in bars], [0.24, 0.40, 0.36])
    assert hexes(bars) == [plots.NPS_COLOURS[k].lower()
                           for k in ("detractor", "passive", "promoter")]
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks[0].startswith("Detractors") and "0–6" in ticks[0]
    assert ax.get_title(loc="left") == "From counts"


def test_distribution_draws_into_given_axes():
    fig, (left, right) = plt.subplots(1, 2)
    out = plots.nps_distribution(fake_nps(SCORE_COUNTS), ax=right)
    assert out is fig
    assert len(right.containers) == 1 and not left.containers


# --------------------------------------------------------------------------------------
# nps_forest
# --------------------------------------------------------------------------------------

def test_forest_rows_labels_and_sorting():
    table = segment_table()
    overall = fake_nps(SCORE_COUNTS)
    fig = plots.nps_forest(table, overall=overall)
    save(fig, "nps_forest")
    ax = fig.axes[0]
    labels = ytick_texts(ax)
    assert len(labels) == len(table)
    assert all("n=" in label for label in labels)
    # ranked by estimate (highest first), small segments last and unranked
    assert labels[:4] == ["South · web  (n=604)", "North · app  (n=455)",
                          "North · web  (n=812)", "East · web  (n=350)"]
    assert labels[4:] == ["South · app  (n=21) (small n)", "West · web  (n=9) (small n)"]
    filled, = lines_by_gid(ax, "estimate")
    hollow, = lines_by_gid(ax, "estimate_small_n")
    assert len(filled.get_xdata()) == 4 and len(hollow.get_xdata()) == 2
    np.testing.assert_allclose(filled.get_xdata(), [18.9, 18.7, 10.1, 2.9])
    assert to_hex(hollow.get_markerfacecolor()) == "#ffffff"
    assert to_hex(filled.get_markerfacecolor()) != to_hex(hollow.get_markerfacecolor())
    assert to_hex(hollow.get_color()) != to_hex(filled.get_color())
    low, high = ax.get_xlim()
    assert -100 <= low < -33.0 and 53.3 < high <= 100
    assert ax.get_xlabel() == "NPS (points)"
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "rank" in texts and "small" in texts.lower()  # footnote
    assert "overall NPS = 10.0" in texts
    # the overall line and its band
    assert any(np.allclose(line.get_xdata(), 10.0) for line in ax.get_lines())


def test_forest_keeps_order_without_sort_and_by_column():
    table = segment_table().drop(columns="small_n")
    ax = plots.nps_forest(table, by="region", sort=False).axes[0]
    assert [label.split("  ")[0] for label in ytick_texts(ax)] == list(table["region"])
    assert not lines_by_gid(ax, "estimate_small_n")
    assert ax.get_title(loc="left") == "NPS by region"


def test_forest_limits_stay_within_the_scale():
    table = segment_table()
    table.loc[5, ["ci_low", "ci_high"]] = [-100.0, 100.0]
    ax = plots.nps_forest(table).axes[0]
    low, high = ax.get_xlim()
    assert low >= -100 and high <= 100


def test_forest_draws_into_given_axes_and_rejects_bad_frames():
    fig, ax = plt.subplots()
    assert plots.nps_forest(segment_table(), ax=ax) is fig
    assert len(ax.get_yticklabels()) == 6
    with pytest.raises(ValueError, match="ci_low"):
        plots.nps_forest(segment_table().drop(columns="ci_low"))
    with pytest.raises(ValueError, match="by="):
        plots.nps_forest(segment_table()[["n", "estimate", "ci_low", "ci_high"]])


# --------------------------------------------------------------------------------------
# nps_trend_plot
# --------------------------------------------------------------------------------------

def test_trend_points_band_small_n_and_counts():
    table = trend_table()
    fig = plots.nps_trend_plot(table)
    save(fig, "nps_trend")
    ax = next(a for a in fig.axes if a.get_ylabel() == "NPS (points)")
    filled, = lines_by_gid(ax, "estimate")
    hollow, = lines_by_gid(ax, "estimate_small_n")
    assert len(filled.get_xdata()) + len(hollow.get_xdata()) == len(table)
    assert len(hollow.get_xdata()) == int(table["small_n"].sum()) == 2
    assert to_hex(hollow.get_markerfacecolor()) == "#ffffff"
    assert len(ax.collections) >= 1  # the interval band
    counts_ax = next(a for a in fig.axes if a is not ax)
    bars = counts_ax.containers[0]
    assert [b.get_height() for b in bars] == list(table["n"])
    low, high = ax.get_ylim()
    assert -100 <= low <= table["ci_low"].min() and table["ci_high"].max() <= high <= 100
    assert isinstance(ax.xaxis.get_major_formatter(), matplotlib.dates.ConciseDateFormatter)


def test_trend_with_labels_and_given_axes():
    table = trend_table(4).assign(wave=["W1", "W2", "W3", "W4"]).drop(columns="small_n")
    fig, ax = plt.subplots()
    assert plots.nps_trend_plot(table, time="wave", ax=ax, title="Waves") is fig
    assert [t.get_text() for t in ax.get_xticklabels()] == ["W1", "W2", "W3", "W4"]
    assert ax.get_title(loc="left") == "Waves"
    assert not lines_by_gid(ax, "estimate_small_n")


def test_trend_unsorted_periods_are_drawn_in_time_order():
    table = trend_table(6)
    ax = plots.nps_trend_plot(table.iloc[::-1]).axes[0]
    line = next(line for line in ax.get_lines() if line.get_linestyle() == "-")
    x = matplotlib.dates.date2num(line.get_xdata())
    assert np.all(np.diff(x) > 0)


# --------------------------------------------------------------------------------------
# coverage_plot
# --------------------------------------------------------------------------------------

def test_coverage_one_panel_per_scenario():
    table = coverage_table()
    fig = plots.coverage_plot(table)
    save(fig, "coverage")
    panels = [a for a in fig.axes if a.get_visible()]
    assert len(panels) == 4
    assert [p.get_title(loc="left") for p in panels] == list(table["scenario"].unique())
    for panel in panels:
        assert panel.get_xscale() == "log"  # n spans 10…1000
        for method in ("wald", "adjusted-wald", "tango"):
            line, = lines_by_gid(panel, method)
            assert len(line.get_xdata()) == 7
        nominal, = lines_by_gid(panel, "nominal")
        assert nominal.get_linestyle() == "--" and np.allclose(nominal.get_ydata(), 0.95)
    assert fig.legends  # one legend for the whole grid


def test_coverage_without_scenario_into_given_axes():
    table = coverage_table(("x",)).drop(columns="scenario")
    table = table[table["n"] <= 100]  # one decade: linear axis
    fig, ax = plt.subplots()
    assert plots.coverage_plot(table, confidence_level=0.9, ax=ax) is fig
    assert ax.get_xscale() == "linear"
    assert len([line for line in ax.get_lines() if line.get_gid() != "nominal"]) == 3
    nominal, = lines_by_gid(ax, "nominal")
    assert np.allclose(nominal.get_ydata(), 0.9)
    save(fig, "coverage_single")


def test_coverage_rejects_ax_with_several_scenarios():
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match="scenario"):
        plots.coverage_plot(coverage_table(), ax=ax)
    with pytest.raises(ValueError, match="coverage"):
        plots.coverage_plot(coverage_table().drop(columns="coverage"))


def test_coverage_odd_number_of_scenarios_hides_spare_panels():
    fig = plots.coverage_plot(coverage_table(("a", "b", "c", "d", "e")))
    save(fig, "coverage_five")
    panels = [a for a in fig.axes if a.get_visible()]
    assert len(panels) == 5
    # the panel above the empty slot shows its n axis
    assert panels[2].get_xlabel() == "n (sample size)"
    assert panels[0].get_xlabel() == ""


# --------------------------------------------------------------------------------------
# nps_sampling_distribution
# --------------------------------------------------------------------------------------

def test_sampling_distribution_stems_and_true_value():
    # exact distribution of the NPS for n = 20, P = .5, D = .2 (multinomial, tallied here)
    from scipy.stats import multinomial

    n = 20
    values, probs = [], []
    for d in range(n + 1):
        for p in range(n + 1 - d):
            values.append(100 * (p - d) / n)
            probs.append(multinomial.pmf([d, n - d - p, p], n, [0.2, 0.3, 0.5]))
    fig = plots.nps_sampling_distribution(values, probs, true_value=30.0)
    save(fig, "nps_sampling_distribution")
    ax = fig.axes[0]
    stems = next(c for c in ax.collections if c.get_gid() == "stems")
    distinct = np.unique(values)
    assert len(stems.get_segments()) == len(distinct) == 41
    tops = sorted((seg[0][0], seg[1][1]) for seg in stems.get_segments())
    assert sum(top for _, top in tops) == pytest.approx(1.0)
    true_line, = lines_by_gid(ax, "true_value")
    assert np.allclose(true_line.get_xdata(), 30.0)
    low, high = ax.get_xlim()
    assert -100 <= low and high <= 100
    assert "true NPS = 30" in " ".join(t.get_text() for t in ax.texts)


def test_sampling_distribution_into_axes_and_bad_input():
    fig, ax = plt.subplots()
    assert plots.nps_sampling_distribution([0, 50], [0.5, 0.5], ax=ax) is fig
    assert not lines_by_gid(ax, "true_value")
    with pytest.raises(ValueError, match="same"):
        plots.nps_sampling_distribution([0, 50], [1.0])
