"""The NPS studies, run through the same runner as `cxkit run`, checked on results.json."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import cxkit
from cxkit import studies
from cxkit.nps import NPS_METHODS, nps, nps_sample_size

pytestmark = pytest.mark.notebook


def test_nps_study_defaults_on_bank_satisfaction(tmp_path):
    run = studies.run_study("nps_study", {}, out=tmp_path)
    assert run.ok, run.error
    res = run.results
    scores = cxkit.load_dataset("bank_satisfaction")["loy3"]
    ref = nps(scores)
    overall = res["overall"]
    assert overall["n"] == 250 and overall["n_missing"] == 0
    assert overall["estimate"] == pytest.approx(ref.estimate, abs=1e-12)
    assert (overall["ci_low"], overall["ci_high"]) == pytest.approx(tuple(ref.ci), abs=1e-9)
    assert overall["method"] == "tango"
    assert [m["method"] for m in res["methods"]] == list(NPS_METHODS)
    for row in res["methods"]:
        assert row["ci_low"] <= overall["estimate"] <= row["ci_high"]
    assert {s["gender"] for s in res["segments"]} == {"female", "male"}
    assert sum(s["n"] for s in res["segments"]) == 250
    assert len(res["pairwise"]) == 1 and 0 <= res["pairwise"][0]["p_holm"] <= 1
    assert res["trend"] is None
    size = res["sample_size"]
    assert size["n_worst_case"] == nps_sample_size(5.0) == 1537
    assert size["n_observed_shares"] == nps_sample_size(
        5.0, promoters=ref.proportions["promoters"], detractors=ref.proportions["detractors"])
    assert set(res["figures"]) == {"nps_distribution.png", "nps_segments.png"}
    assert res["caveats"] == []


def test_nps_study_on_ecsi_cusl3_with_its_1_to_10_scale(tmp_path):
    run = studies.run_study("nps_study", {"dataset": "ecsi_mobile", "score": "CUSL3",
                                          "segment": "", "scale_min": 1, "method": "wald"},
                            out=tmp_path)
    assert run.ok, run.error
    res = run.results
    ref = nps(cxkit.load_dataset("ecsi_mobile")["CUSL3"], scale=(1, 10), method="wald")
    assert res["overall"]["estimate"] == pytest.approx(ref.estimate)
    assert res["overall"]["ci_low"] == pytest.approx(ref.ci.low)
    assert res["segments"] is None and res["pairwise"] is None
    assert any("not the standard 0–10" in c for c in res["caveats"])
    assert res["figures"] == ["nps_distribution.png"]


def test_nps_study_with_time_and_small_segments(tmp_path):
    rng = np.random.default_rng(3)
    rows = 900
    frame = pd.DataFrame({
        "ltr": rng.integers(0, 11, rows),
        "branch": rng.choice(["A", "B", "C", "tiny"], rows, p=[.4, .35, .23, .02]),
        "answered": pd.Timestamp("2026-03-02") + pd.to_timedelta(rng.integers(0, 56, rows), "D"),
    })
    frame.loc[:4, "ltr"] = np.nan
    path = tmp_path / "wave.csv"
    frame.to_csv(path, index=False)
    run = studies.run_study("nps_study", {"data_path": str(path), "score": "ltr",
                                          "segment": "branch", "time": "answered"},
                            out=tmp_path / "r")
    assert run.ok, run.error
    res = run.results
    assert res["overall"]["n"] == rows - 5 and res["overall"]["n_missing"] == 5
    tiny = next(s for s in res["segments"] if s["branch"] == "tiny")
    assert tiny["small_n"] is True
    assert len(res["pairwise"]) == 6
    assert len(res["trend"]) == 8 and sum(t["n"] for t in res["trend"]) == rows - 5
    assert any("fewer than 30 responses" in c for c in res["caveats"])
    assert any("5 responses have no score" in c for c in res["caveats"])
    assert "nps_trend.png" in res["figures"]


def test_nps_study_bad_column_is_refused_before_running(tmp_path):
    with pytest.raises(studies.StudyError, match="parameter 'score': column 'nope' not in"):
        studies.run_study("nps_study", {"score": "nope"}, out=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_teaching_notebook_exact_coverage(tmp_path):
    run = studies.run_study("teaching_nps_uncertainty",
                            {"sizes": "10,30", "scenarios": "0.5/0.2,0.95/0.01"}, out=tmp_path)
    assert run.ok, run.error
    res = run.results
    dist = res["sampling_distribution"]
    assert dist["total_probability"] == pytest.approx(1, abs=1e-12)
    assert dist["mean"] == pytest.approx(dist["true_nps"], abs=1e-9)
    assert dist["sd"] == pytest.approx(100 * np.sqrt((0.7 - 0.09) / 30), rel=1e-9)
    table = pd.DataFrame(res["coverage"])
    assert len(table) == 2 * 2 * 5
    assert ((table["coverage"] > 0) & (table["coverage"] <= 1)).all()
    tango = table[table["method"] == "tango"]
    assert (tango["coverage"] >= 0.94).all()
    wald = table[(table["method"] == "wald") & (table["n"] == 10)
                 & (table["promoters"] == 0.95)]
    assert (wald["coverage"] < 0.9).all()  # the textbook interval fails near +100
    assert set(res["figures"]) == {"coverage.png", "sampling_distribution.png"}
