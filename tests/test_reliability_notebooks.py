"""The reliability studies, run through the same runner as `cxkit run`, on results.json."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import cxkit
from cxkit import studies
from cxkit.reliability import cronbach_alpha, group_reliability

pytestmark = pytest.mark.notebook
SPI_ITEMS = ["q_253", "q_90", "q_1763", "q_851", "q_1832"]


def test_empathy_defaults_on_spi_compassion(tmp_path):
    run = studies.run_study("empathy_reliability", {"n_resamples": 50}, out=tmp_path)
    assert run.ok, run.error
    res = run.results
    assert res["items"] == SPI_ITEMS and res["reverse"] == []
    ref = cronbach_alpha(cxkit.load_dataset("spi_compassion"), SPI_ITEMS, scale=(1, 6))
    assert res["alpha"]["alpha"] == pytest.approx(ref.alpha, abs=1e-12)
    assert (res["alpha"]["ci_low"], res["alpha"]["ci_high"]) == pytest.approx(tuple(ref.ci))
    assert res["alpha"]["n"] == 4000 and res["alpha"]["k"] == 5
    assert 0 < res["omega"]["omega_total"] <= 1
    assert res["omega"]["ci_low"] <= res["omega"]["omega_total"] <= res["omega"]["ci_high"]
    assert [row["method"] for row in res["alpha_intervals"]] == ["feldt", "duhachek", "bootstrap"]
    assert [v["item"] for v in res["verdicts"]] == SPI_ITEMS
    assert all(v["verdict"] for v in res["verdicts"])
    assert res["group"] is None
    assert set(res["figures"]) == {"item_analysis.png", "item_correlations.png"}


@pytest.mark.parametrize("reverse", [None, "A1"])
def test_empathy_on_bfi_agreeableness_matches_psych(tmp_path, reverse):
    params = {"dataset": "bfi", "items": "A1,A2,A3,A4,A5", "n_resamples": 0}
    if reverse:
        params["reverse"] = reverse
    run = studies.run_study("empathy_reliability", params, out=tmp_path)
    assert run.ok, run.error
    res = run.results
    assert res["reverse"] == ["A1"]  # documented reverse key used by default
    # R psych 2.2.9: alpha(bfi[1:5], keys = "A1"), pairwise
    assert res["alpha"]["alpha"] == pytest.approx(0.703018446057304, abs=1e-8)
    a1 = next(v for v in res["verdicts"] if v["item"] == "A1")
    assert a1["r_drop"] > 0  # re-keyed, so it fits


def test_empathy_wrongly_keyed_item_gets_a_verdict(tmp_path):
    run = studies.run_study("empathy_reliability", {"dataset": "bfi", "items": "A1,A2,A3,A4,A5",
                                                    "reverse": "[]", "n_resamples": 0},
                            out=tmp_path)
    assert run.ok, run.error
    a1 = next(v for v in run.results["verdicts"] if v["item"] == "A1")
    assert a1["r_drop"] < 0 and "re-key" in a1["verdict"]


def test_empathy_group_reliability(tmp_path):
    rng = np.random.default_rng(7)
    employees, per = 40, 12
    employee = np.repeat([f"e{i:02d}" for i in range(employees)], per)
    level = np.repeat(rng.normal(0, 0.6, employees), per)
    frame = pd.DataFrame({f"q{j}": np.clip(np.rint(4 + level + rng.normal(0, 1, employee.size)),
                                           1, 7).astype(int) for j in range(1, 5)})
    frame["employee"] = employee
    path = tmp_path / "ratings.csv"
    frame.to_csv(path, index=False)
    run = studies.run_study("empathy_reliability",
                            {"data_path": str(path), "items": "q1,q2,q3,q4", "scale_min": 1,
                             "scale_max": 7, "group": "employee", "n_resamples": 0,
                             "target_reliability": 0.9}, out=tmp_path / "r")
    assert run.ok, run.error
    res = run.results["group"]
    scored = frame.assign(s=frame[["q1", "q2", "q3", "q4"]].mean(axis=1))
    ref = group_reliability(scored, score="s", group="employee")
    assert res["icc1"] == pytest.approx(ref.icc1, abs=1e-12)
    assert res["icc2"] == pytest.approx(ref.icc2, abs=1e-12)
    assert res["n_groups"] == employees and res["mean_group_size"] == per
    assert res["responses_needed"] == ref.responses_needed(0.9)


def test_teaching_reliability(tmp_path):
    run = studies.run_study("teaching_reliability",
                            {"sizes": "30,200", "n_samples": 20, "ratings": "1,10,100",
                             "n_simulations": 400}, out=tmp_path)
    assert run.ok, run.error
    res = run.results
    pop = res["population"]
    assert 0 < pop["alpha"] < pop["omega"] < 1  # unequal loadings: alpha understates
    spread = pd.DataFrame(res["scatter_summary"])
    sd = spread[spread["estimator"] == "alpha"].set_index("n")["sd"]
    assert sd[30] > sd[200]  # small samples scatter more
    unrev = res["unreversed"]
    assert unrev["alpha_not_rekeyed"] < unrev["alpha_rekeyed"] and unrev["r_drop_not_rekeyed"] < 0
    ranking = pd.DataFrame(res["ranking"]).set_index("ratings_per_employee")
    assert ranking.loc[100, "p_best_ranked_first"] > ranking.loc[1, "p_best_ranked_first"]
    assert ranking.loc[10, "reliability_of_mean"] == pytest.approx(10 * 0.1 / (1 + 9 * 0.1))
    assert set(res["figures"]) == {"alpha_scatter.png", "unreversed_item.png",
                                   "ranking_accuracy.png"}
