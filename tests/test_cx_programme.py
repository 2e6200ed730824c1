"""The simulated CX programme: determinism, the bundled file, loading, and truth recovery."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cxkit
from cxkit.datasets import (
    CX_COLUMNS,
    CX_EMPATHY_ITEMS,
    CX_REGIONS,
    cx_branch_names,
    dataset_info,
    list_datasets,
    load_dataset,
    simulate_cx_programme,
)

REPO_DATA = Path(__file__).resolve().parent.parent / "datasets"


@pytest.fixture(autouse=True)
def _default_data_dir(monkeypatch):
    monkeypatch.delenv("CXKIT_DATA_DIR", raising=False)


@pytest.fixture(scope="module")
def sim():
    return simulate_cx_programme()


@pytest.fixture(scope="module")
def big():
    """A large sample of the same population (same branches: the model comes first)."""
    return simulate_cx_programme(200_000)


def _wald_se(table: pd.DataFrame) -> np.ndarray:
    n = table["n"].to_numpy(float)
    p, d = table["promoters"] / n, table["detractors"] / n
    return 100.0 * np.sqrt((p + d - (p - d) ** 2) / n).to_numpy()


# --------------------------------------------------------------------------- the generator


def test_same_seed_same_data_and_truth(sim):
    again = simulate_cx_programme()
    pd.testing.assert_frame_equal(again.data, sim.data)
    pd.testing.assert_frame_equal(again.truth.nps_by_branch, sim.truth.nps_by_branch)
    assert again.truth.nps == sim.truth.nps
    other = simulate_cx_programme(rng=7)
    assert not other.data["ltr"].equals(sim.data["ltr"])
    assert other.truth.nps != sim.truth.nps  # another seed draws other branches


def test_generator_accepts_a_generator_and_does_not_touch_global_state():
    state = np.random.get_state()[1].copy()  # noqa: NPY002 - checking it is untouched
    a = simulate_cx_programme(300, rng=np.random.default_rng(3))
    b = simulate_cx_programme(300, rng=3)
    pd.testing.assert_frame_equal(a.data, b.data)
    assert (np.random.get_state()[1] == state).all()  # noqa: NPY002


def test_shape_columns_and_dtypes(sim):
    data = sim.data
    assert data.shape == (5000, 13)
    assert tuple(data.columns) == CX_COLUMNS
    assert data["response_id"].tolist() == list(range(1, 5001))
    assert str(data["date"].dtype).startswith("datetime64")
    assert data["date"].is_monotonic_increasing
    assert data["date"].min() >= pd.Timestamp("2024-01-01")
    assert data["date"].max() <= pd.Timestamp("2024-12-29")
    assert data["region"].cat.categories.tolist() == list(CX_REGIONS)
    assert data["channel"].cat.categories.tolist() == ["branch", "phone", "web", "app"]
    for column, (lo, hi) in {"ltr": (0, 10), "csat": (1, 5),
                             **dict.fromkeys(CX_EMPATHY_ITEMS, (1, 5))}.items():
        assert str(data[column].dtype) == "Int64", column
        assert data[column].min() == lo and data[column].max() == hi, column
    assert str(data["comment"].dtype).startswith("string")


def test_branches_nested_in_regions_and_of_unequal_size(sim):
    data = sim.data
    assert data["branch"].cat.categories.tolist() == list(cx_branch_names(4, 40))
    prefix = data["branch"].astype(str).str.split("-").str[0]
    assert (prefix == data["region"].astype(str)).all()
    assert data.groupby("region", observed=True)["branch"].nunique().tolist() == [10] * 4
    sizes = data["branch"].value_counts()
    assert len(sizes) == 40 and sizes.max() > 5 * sizes.min()
    assert sizes.min() < 30  # a few branches are small: small_n must show up


def test_traps_an_export_has(sim):
    data = sim.data
    assert (data["region"] == "NA").sum() > 500
    ltr_blank = data["ltr"].isna().mean()
    assert 0.02 < ltr_blank < 0.045, ltr_blank
    assert (data["comment"] == "N/A").sum() > 200
    assert (data["comment"] == "None").sum() > 50
    assert 0.35 < data["comment"].isna().mean() < 0.55


def test_truth_is_internally_consistent(sim):
    truth = sim.truth
    branches = truth.nps_by_branch
    assert branches["branch"].tolist() == list(cx_branch_names(4, 40))
    assert branches["share"].sum() == pytest.approx(1.0, abs=1e-12)
    assert truth.nps == pytest.approx(float(branches["share"] @ branches["nps"]), abs=1e-10)
    by_region = branches.groupby("region", sort=False).apply(
        lambda g: np.average(g["nps"], weights=g["share"]), include_groups=False)
    np.testing.assert_allclose(truth.nps_by_region.to_numpy(), by_region.to_numpy(),
                               atol=1e-10)
    channel_share = np.array([0.35, 0.20, 0.25, 0.20])
    assert float(channel_share @ truth.nps_by_channel) == pytest.approx(truth.nps, abs=1e-10)
    assert truth.nps_by_week.mean() == pytest.approx(truth.nps, abs=1e-10)
    assert len(truth.nps_by_week) == 52
    assert truth.nps_by_week.is_monotonic_increasing  # the model's trend is positive
    assert truth.trend_per_week > 0.2
    assert truth.reverse_keyed == ("emp3",)
    assert 0.7 < truth.alpha < 0.85 and 0.7 < truth.omega < 0.9


def test_truth_alpha_is_simulate_surveys_population_alpha(sim):
    ref = cxkit.datasets.simulate_survey(
        2, loadings=list(sim.truth.empathy_loadings), reverse=["item_3"],
        thresholds=[-1.8, -0.9, 0.1, 1.1], rng=0)
    assert sim.truth.alpha == pytest.approx(ref.alpha, abs=1e-12)
    assert sim.truth.omega == pytest.approx(ref.omega, abs=1e-12)


@pytest.mark.parametrize(("kwargs", "error", "fragment"), [
    ({"n": 1}, ValueError, "`n`"),
    ({"n": 2.5}, ValueError, "`n`"),
    ({"n_regions": 5}, ValueError, "`n_regions`"),
    ({"n_regions": 0}, ValueError, "`n_regions`"),
    ({"n_branches": 3}, ValueError, "`n_branches`"),
    ({"n_branches": 5000}, ValueError, "`n_branches`"),
    ({"weeks": 0}, ValueError, "`weeks`"),
    ({"weeks": 10_000}, ValueError, "`weeks`"),
    ({"start": "not a date"}, ValueError, "`start`"),
    ({"start": 20240101}, TypeError, "`start`"),
    ({"rng": 1.5}, TypeError, "`rng`"),
])
def test_bad_arguments_name_the_argument(kwargs, error, fragment):
    with pytest.raises(error, match=fragment):
        simulate_cx_programme(**kwargs)


def test_smaller_programmes():
    small = simulate_cx_programme(400, n_regions=2, n_branches=5, start="2025-03-03",
                                  weeks=4, rng=5)
    assert small.data["region"].cat.categories.tolist() == ["NA", "EMEA"]
    assert small.data["branch"].cat.categories.tolist() == list(cx_branch_names(2, 5))
    assert small.data["date"].min() >= pd.Timestamp("2025-03-03")
    assert small.data["date"].max() <= pd.Timestamp("2025-03-30")
    assert small.truth.nps_by_week.index[0] == pd.Timestamp("2025-03-03")
    assert len(small.truth.nps_by_branch) == 5


# --------------------------------------------------------------------------- the bundled file


def test_bundled_file_is_the_generators_output(sim, tmp_path):
    written = sim.to_csv(tmp_path / "cx_programme.csv")
    digest = hashlib.sha256(written.read_bytes()).hexdigest()
    sums = dict(line.split()[::-1] for line in
                (REPO_DATA / "SHA256SUMS").read_text().splitlines() if line.strip())
    assert sums["cx_programme.csv"] == digest
    assert (REPO_DATA / "cx_programme.csv").read_bytes() == written.read_bytes()


def test_load_dataset_equals_the_simulated_frame(sim):
    loaded = load_dataset("cx_programme")
    pd.testing.assert_frame_equal(loaded, sim.data)


def test_load_keeps_na_region_and_na_comments_as_text():
    loaded = load_dataset("cx_programme")
    raw = pd.read_csv(REPO_DATA / "cx_programme.csv", keep_default_na=False, dtype=str)
    assert (loaded["region"] == "NA").sum() == (raw["region"] == "NA").sum() > 0
    assert loaded["region"].isna().sum() == 0
    assert (loaded["comment"] == "N/A").sum() == (raw["comment"] == "N/A").sum() > 0
    assert loaded["comment"].isna().sum() == (raw["comment"] == "").sum()
    assert loaded["ltr"].isna().sum() == (raw["ltr"] == "").sum() > 0
    # the trap the data set exists for: pandas' defaults would lose North America
    naive = pd.read_csv(REPO_DATA / "cx_programme.csv")
    assert naive["region"].isna().sum() == (raw["region"] == "NA").sum()
    segments = cxkit.nps_by(loaded, "ltr", "region")
    assert segments["region"].astype(str).tolist() == list(CX_REGIONS)
    assert segments["n_missing"].sum() == loaded["ltr"].isna().sum()


def test_registry_entry_and_list_datasets():
    info = dataset_info("cx_programme")
    assert info.simulated is True
    assert info.items == CX_EMPATHY_ITEMS and info.scale == (1, 5)
    assert info.reverse_keyed == ("emp3",)
    assert dict(info.blocks) == {"empathy": CX_EMPATHY_ITEMS}
    assert list(info.categorical["branch"]) == list(cx_branch_names(4, 40))
    assert set(info.columns) == set(CX_COLUMNS)
    row = list_datasets().set_index("name").loc["cx_programme"]
    assert (row["rows"], row["columns"]) == (5000, 13)
    assert "SIMULATED" in row["description"]
    assert all(not dataset_info(name).simulated for name in
               ("bank_satisfaction", "bfi", "ecsi_mobile", "spi_compassion"))


def test_data_card_says_simulated_and_lists_the_checksum():
    card = (REPO_DATA / "README.md").read_text(encoding="utf-8")
    section = card[card.index("## `cx_programme`"):]
    assert "SIMULATED" in section[:2000]
    digest = hashlib.sha256((REPO_DATA / "cx_programme.csv").read_bytes()).hexdigest()
    assert f"{digest}  cx_programme.csv" in card


# --------------------------------------------------------------------------- truth recovery


def test_branch_nps_within_a_few_standard_errors(sim):
    table = cxkit.nps_by(sim.data, "ltr", "branch", min_n=1)
    truth = sim.truth.nps_by_branch.set_index("branch")["nps"]
    z = (table["estimate"].to_numpy() - truth.loc[table["branch"].astype(str)].to_numpy()) \
        / _wald_se(table)
    assert np.abs(z).max() < 4, np.abs(z).max()
    assert 0.5 < float(np.mean(z ** 2)) < 1.8  # about chi-square(40) / 40


def test_region_and_overall_nps_within_a_few_standard_errors(sim):
    table = cxkit.nps_by(sim.data, "ltr", "region")
    truth = sim.truth.nps_by_region.loc[table["region"].astype(str)].to_numpy()
    assert np.abs((table["estimate"].to_numpy() - truth) / _wald_se(table)).max() < 3.5
    overall = cxkit.nps(data=sim.data, column="ltr")
    assert overall.ci.low < sim.truth.nps < overall.ci.high


def test_exact_truth_agrees_with_a_large_sample(big):
    """The exact sums against 200,000 draws: a wrong formula would be many SE off."""
    overall = cxkit.nps_by(big.data.assign(all="all"), "ltr", "all")
    z = (overall["estimate"].iloc[0] - big.truth.nps) / _wald_se(overall)[0]
    assert abs(z) < 4, z
    channels = cxkit.nps_by(big.data, "ltr", "channel")
    truth = big.truth.nps_by_channel.loc[channels["channel"].astype(str)].to_numpy()
    assert np.abs((channels["estimate"].to_numpy() - truth) / _wald_se(channels)).max() < 4
    share = big.data["branch"].value_counts(normalize=True)
    expected = big.truth.nps_by_branch.set_index("branch")["share"]
    np.testing.assert_allclose(share.loc[expected.index].to_numpy(), expected.to_numpy(),
                               atol=0.004)


def test_weekly_trend_recovered(sim):
    trend = cxkit.nps_trend(sim.data, "ltr", "date", freq="W", min_n=1)
    assert len(trend) == 52
    week = np.arange(52, dtype=float)
    y = trend["estimate"].to_numpy()
    slope, intercept = np.polyfit(week, y, 1)
    resid = y - (intercept + slope * week)
    se = np.sqrt(resid @ resid / 50 / ((week - week.mean()) ** 2).sum())
    assert slope > 0 and slope / se > 3  # the improvement is visible in a year of data
    assert abs(slope - sim.truth.trend_per_week) < 4 * se
    np.testing.assert_array_equal(trend["period"].to_numpy(),
                                  sim.truth.nps_by_week.index.to_numpy())


def test_reverse_item_has_negative_item_rest_correlation(sim):
    items = sim.data[list(CX_EMPATHY_ITEMS)].astype(float)
    for item in CX_EMPATHY_ITEMS:
        rest = items.drop(columns=item).sum(axis=1, min_count=4)
        r = items[item].corr(rest)
        assert (r < -0.2) if item == "emp3" else (r > 0.2), (item, r)


def test_sample_alpha_recovers_population_alpha_only_after_rekeying(sim):
    items = list(CX_EMPATHY_ITEMS)
    right = cxkit.cronbach_alpha(sim.data, items, reverse=["emp3"], scale=(1, 5))
    assert right.ci.low < sim.truth.alpha < right.ci.high
    assert abs(right.alpha - sim.truth.alpha) < 0.03
    with pytest.warns(UserWarning, match="emp3"):
        wrong = cxkit.cronbach_alpha(sim.data, items, scale=(1, 5))
    assert wrong.alpha < sim.truth.alpha - 0.2


# --------------------------------------------------------------------------- the studies


@pytest.mark.notebook
def test_nps_study_on_cx_programme_as_the_readme_runs_it(tmp_path, sim):
    """`cxkit run nps_study -p dataset cx_programme -p score ltr -p segment region -p time date`."""
    from cxkit import studies

    run = studies.run_study("nps_study", {"dataset": "cx_programme", "score": "ltr",
                                          "segment": "region", "time": "date"},
                            out=tmp_path)
    assert run.ok, run.error
    res = run.results
    assert res["overall"]["n"] == 4833 and res["overall"]["n_missing"] == 167
    segments = pd.DataFrame(res["segments"])
    assert segments["region"].tolist() == list(CX_REGIONS)  # "NA" is a region, not missing
    truth = sim.truth.nps_by_region.loc[segments["region"]].to_numpy()
    assert np.abs((segments["estimate"].to_numpy() - truth) / _wald_se(segments)).max() < 3.5
    assert len(res["pairwise"]) == 6
    assert len(res["trend"]) == 52
    assert "nps_trend.png" in res["figures"]


@pytest.mark.notebook
def test_empathy_reliability_on_cx_programme_uses_the_documented_reverse_item(tmp_path, sim):
    from cxkit import studies

    run = studies.run_study("empathy_reliability",
                            {"dataset": "cx_programme", "group": "branch",
                             "n_resamples": 50}, out=tmp_path)
    assert run.ok, run.error
    res = run.results
    assert res["items"] == list(CX_EMPATHY_ITEMS) and res["reverse"] == ["emp3"]
    alpha = res["alpha"]
    assert alpha["ci_low"] < sim.truth.alpha < alpha["ci_high"]
    assert res["group"]["n_groups"] == 40
