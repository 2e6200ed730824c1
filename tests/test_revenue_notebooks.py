"""The cx_revenue study, run through the same runner as `cxkit run`, checked on results.json."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit

import cxkit
from cxkit import studies
from cxkit.revenue import INPUTS, cx_revenue_scenario, estimate_lever_effects

pytestmark = pytest.mark.notebook
SAT = ["sat1", "sat2", "sat3", "sat4"]
FIGURES = {"lever_effects.png", "revenue_waterfall.png", "revenue_distribution.png",
           "revenue_tornado.png"}


def central_inputs(res) -> dict[str, float]:
    return {row["input"]: row["central"] for row in res["inputs"]}


def hand_total(v: dict[str, float], horizon: int) -> float:
    """The issue's recurrence, written out independently of the library."""
    k = v["intent_to_behaviour"]
    a = a2 = v["customers"]
    total = 0.0
    for t in range(1, horizon + 1):
        revenue = a2 * v["revenue_per_customer"] * (1 + k * v["buy_more_lift"] * v["spend_uplift"])
        total += (revenue - a * v["revenue_per_customer"]) / (1 + v["discount_rate"]) ** (t - 1)
        new = a2 * k * v["recommend_lift"] * v["referrals_per_recommender"] \
            * v["referral_conversion"]
        a, a2 = a * v["retention"], a2 * (v["retention"] + k * v["retention_lift"]) + new
    return total


def test_defaults_on_bank_satisfaction(tmp_path):
    run = studies.run_study("cx_revenue", {"n_resamples": 300, "n_draws": 4000}, out=tmp_path)
    assert run.ok, run.error
    res = run.results
    assert res["source"] == "bank_satisfaction" and res["n_rows"] == 250
    assert set(res["figures"]) == FIGURES and all((run.run_dir / f).exists() for f in FIGURES)

    # the lifts are the library's, with the notebook's seed as the first random step
    lifts = pd.DataFrame(res["lifts"]).set_index("outcome")
    ref = estimate_lever_effects(cxkit.load_dataset("bank_satisfaction"), cx=SAT,
                                 outcomes={"stay": "loy1", "recommend": "loy3"},
                                 n_resamples=300, confidence_level=0.9,
                                 rng=np.random.default_rng(2018)).set_index("outcome")
    assert lifts["lift"].to_numpy() == pytest.approx(ref["lift"].to_numpy(), abs=1e-12)
    assert lifts["ci_low"].to_numpy() == pytest.approx(ref["ci_low"].to_numpy(), abs=1e-12)
    assert (lifts["lift"] > 0).all() and (lifts["n"] == 250).all()

    # the scenario: central total by hand, interval around it, pieces adding up
    scen = res["scenario"]
    v = central_inputs(res)
    assert v["revenue_per_customer"] == 10_000 and v["retention"] == 0.85
    assert scen["total"] == pytest.approx(hand_total(v, 3), rel=1e-9)
    assert scen["ci_low"] < scen["total"] < scen["ci_high"]
    assert sum(r["contribution"] for r in res["levers"]) == pytest.approx(scen["total"])
    assert sum(r["contribution"] for r in res["by_year"]) == pytest.approx(scen["total"])
    assert set(scen["uncertain"]) >= {"retention_lift", "recommend_lift", "intent_to_behaviour"}
    sens = pd.DataFrame(res["sensitivity"])
    assert sens["swing"].is_monotonic_decreasing and sens["input"].iloc[0] in scen["uncertain"]

    # the headline: far out of reach with what this survey supports
    assert res["target"] == 775e6
    assert res["share_of_draws_reaching_target"] == 0
    assert scen["ci_high"] < 775e6
    needed = pd.DataFrame(res["what_it_takes"]).set_index("input")
    assert needed.loc["retention_lift", "needed"] is None or \
        np.isnan(needed.loc["retention_lift", "needed"])
    assert "no value of `retention_lift`" in needed.loc["retention_lift", "unreachable_because"]
    assert "no CX shift" in needed.loc["cx_shift", "unreachable_because"]
    # a value that is found really reaches the target when re-run by the library
    referrals = needed.loc["referrals_per_recommender", "needed"]
    check = cx_revenue_scenario(**{**v, "referrals_per_recommender": referrals}, n_draws=1)
    assert check.total == pytest.approx(775e6, rel=1e-6)
    assert not needed.loc["referrals_per_recommender", "within_supported_range"]
    combined = pd.DataFrame(res["combined"])
    assert not combined["reaches_target"].any()
    assert combined["total"].iloc[0] == pytest.approx(scen["total"])
    assert combined["total"].iloc[3] >= combined["total"].iloc[1:3].max()
    assert any("not behaviour" in c for c in res["caveats"])
    assert any("not causal" in c for c in res["caveats"])


def survey(n=1200, seed=3):
    """A survey with a CX item and stay / recommend / buy-more intentions on 1-7."""
    rng = np.random.default_rng(seed)
    cx = np.clip(np.rint(rng.normal(4.5, 1.3, n)), 1, 7)
    cols = {"cx_overall": cx}
    for name, (a, b) in {"stay": (-4.0, 0.7), "rec": (-4.5, 0.6), "more": (-5.0, 0.6)}.items():
        top = rng.random(n) < expit(a + b * cx)
        cols[name] = np.where(top, 7, rng.integers(1, 7, n)).astype(float)
    frame = pd.DataFrame(cols)
    frame.loc[:9, "rec"] = np.nan  # ten missing answers, counted not dropped silently
    return frame


def test_own_survey_with_fixed_assumptions_and_a_reachable_target(tmp_path):
    path = tmp_path / "survey.csv"
    survey().to_csv(path, index=False)
    params = {"data_path": str(path), "cx_items": "cx_overall", "stay_item": "stay",
              "recommend_item": "rec", "buy_more_item": "more", "scale_min": 1, "scale_max": 7,
              "top_box": 7, "cx_shift": 0.5, "annual_revenue": 2e8, "customers": 50000,
              "retention": 0.8, "intent_to_behaviour_range": "[]", "assumption_spread": 0,
              "target": 2.5e7, "n_resamples": 200, "n_draws": 2000}
    run = studies.run_study("cx_revenue", params, out=tmp_path / "run")
    assert run.ok, run.error
    res = run.results
    lifts = pd.DataFrame(res["lifts"]).set_index("outcome")
    assert list(lifts.index) == ["stay", "recommend", "buy_more"]
    assert lifts.loc["recommend", "n_excluded"] == 10 and lifts.loc["stay", "n_excluded"] == 0
    assert lifts.loc["stay", "cx"] == "cx_overall"
    scen = res["scenario"]
    # only the three survey lifts are uncertain; every assumption is fixed
    assert set(scen["uncertain"]) == {"retention_lift", "recommend_lift", "buy_more_lift"}
    v = central_inputs(res)
    assert v["intent_to_behaviour"] == 0.5 and v["spend_uplift"] == 0.2
    assert v["retention_lift"] == pytest.approx(lifts.loc["stay", "lift"], rel=1e-6)
    assert scen["total"] == pytest.approx(hand_total(v, 3), rel=1e-9)
    needed = pd.DataFrame(res["what_it_takes"]).set_index("input")
    solved = needed[needed["needed"].notna()]
    assert {"retention_lift", "intent_to_behaviour", "cx_shift"} <= set(solved.index)
    for name, row in solved.iterrows():
        if name in INPUTS:
            total = cx_revenue_scenario(**{**v, name: row["needed"]}, n_draws=1).total
            assert total == pytest.approx(2.5e7, rel=1e-6), name
    lifts_k = needed.loc["lifts", "needed"]
    scaled = {k: v[k] * lifts_k for k in ("retention_lift", "recommend_lift", "buy_more_lift")}
    assert cx_revenue_scenario(**{**v, **scaled}, n_draws=1).total == pytest.approx(2.5e7, rel=1e-6)
    # the CX shift needed, re-estimated by the library, reaches the target too
    shift = needed.loc["cx_shift", "needed"]
    eff = estimate_lever_effects(pd.read_csv(path), cx="cx_overall",
                                 outcomes={"stay": "stay", "recommend": "rec", "buy_more": "more"},
                                 shift=shift, top_box=7, scale=(1, 7),
                                 method="delta").set_index("outcome")
    at_shift = {"retention_lift": eff.loc["stay", "lift"],
                "recommend_lift": eff.loc["recommend", "lift"],
                "buy_more_lift": eff.loc["buy_more", "lift"]}
    total = cx_revenue_scenario(**{**v, **at_shift}, n_draws=1).total
    assert total == pytest.approx(2.5e7, rel=1e-6)


def test_unknown_item_fails_with_a_clear_error(tmp_path):
    with pytest.raises(studies.StudyError, match=r"parameter 'stay_item': column 'loy9' .*"
                                                 r"did you mean 'loy4'"):
        studies.run_study("cx_revenue", {"stay_item": "loy9", "n_resamples": 10,
                                         "n_draws": 10}, out=tmp_path)
    assert list(tmp_path.iterdir()) == []
