"""CX-to-revenue: the scenario model against hand-computed values, and lever estimation."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from scipy.special import expit

import cxkit
from cxkit.revenue import (
    INPUTS,
    LEVERS,
    cx_revenue_scenario,
    estimate_lever_effects,
    lift_distribution,
)

BASE = {"customers": 1000, "revenue_per_customer": 1000, "retention": 0.8}
SAT = ["sat1", "sat2", "sat3", "sat4"]


def lever(res, name):
    return float(res.levers.set_index("lever").loc[name, "contribution"])


# --------------------------------------------------------------------------------------
# Hand-computed scenarios
# --------------------------------------------------------------------------------------


def test_retention_only_example_from_the_issue():
    # A = 1000, 800, 640; A' = 1000, 850, 722.5 → 132.5 customer-years × $1,000
    res = cx_revenue_scenario(**BASE, retention_lift=0.05)
    assert res.total == pytest.approx(132_500, rel=1e-12)
    t = res.timeline
    assert t["customers_baseline"].tolist() == pytest.approx([1000, 800, 640])
    assert t["customers_improved"].tolist() == pytest.approx([1000, 850, 722.5])
    assert t["discounted_impact"].tolist() == pytest.approx([0, 50_000, 82_500])
    assert lever(res, "retention") == pytest.approx(132_500, rel=1e-12)
    assert lever(res, "enrichment") == 0 and lever(res, "advocacy") == 0


def test_enrichment_only_example_from_the_issue():
    # 2,440 customer-years × $1,000 × (1 + 0.1 × 0.2) − 2,440,000 = 48,800
    res = cx_revenue_scenario(**BASE, buy_more_lift=0.1, spend_uplift=0.2)
    assert res.total == pytest.approx(48_800, rel=1e-12)
    years = res.by_year[res.by_year["lever"] == "enrichment"]["contribution"].tolist()
    assert years == pytest.approx([20_000, 16_000, 12_800])


def test_advocacy_only_by_hand():
    # new customers: 10% recommend more × 2 referrals × 50% conversion = 0.1 of A'_t,
    # so A' = 1000, 900, 810 against 1000, 800, 640: 270 customer-years
    res = cx_revenue_scenario(**BASE, recommend_lift=0.1, referrals_per_recommender=2,
                              referral_conversion=0.5)
    assert res.total == pytest.approx(270_000, rel=1e-12)
    assert res.timeline["new_customers"].tolist() == pytest.approx([0, 100, 90])
    assert lever(res, "advocacy") == pytest.approx(270_000, rel=1e-12)


def test_intent_to_behaviour_and_discounting_by_hand():
    # κ = 0.5 halves the retention lift (Δr = 0.05 → 0.025); d = 10% discounts year t
    # by 1.1^-(t-1): A' = 1000, 825, 680.625
    res = cx_revenue_scenario(**BASE, retention_lift=0.05, intent_to_behaviour=0.5,
                              discount_rate=0.1)
    expected = (825 - 800) * 1000 / 1.1 + (680.625 - 640) * 1000 / 1.1 ** 2
    assert res.total == pytest.approx(expected, rel=1e-12)


def test_all_lifts_zero_is_exactly_zero():
    res = cx_revenue_scenario(**BASE, spend_uplift=0.3, referrals_per_recommender=2,
                              referral_conversion=0.4, intent_to_behaviour=0.7,
                              discount_rate=0.05)
    assert res.total == 0.0
    assert tuple(res.interval) == (0.0, 0.0)
    assert (res.by_year["contribution"] == 0).all()
    assert (res.draws["total"] == 0).all()


@pytest.mark.parametrize("factor", [0.5, 3.0, 1e4])
def test_impact_scales_linearly_with_customers_times_revenue(factor):
    lifts = {"retention_lift": 0.04, "buy_more_lift": 0.1, "spend_uplift": 0.25,
             "recommend_lift": 0.08, "referrals_per_recommender": 1.5,
             "referral_conversion": 0.2, "intent_to_behaviour": 0.6, "discount_rate": 0.07}
    one = cx_revenue_scenario(**BASE, **lifts)
    more_customers = cx_revenue_scenario(**{**BASE, "customers": 1000 * factor}, **lifts)
    more_revenue = cx_revenue_scenario(**{**BASE, "revenue_per_customer": 1000 * factor},
                                       **lifts)
    assert more_customers.total == pytest.approx(one.total * factor, rel=1e-12)
    assert more_revenue.total == pytest.approx(one.total * factor, rel=1e-12)
    assert more_customers.by_year["contribution"].to_numpy() == pytest.approx(
        one.by_year["contribution"].to_numpy() * factor, rel=1e-12)


def test_fixed_inputs_give_a_zero_width_interval():
    res = cx_revenue_scenario(**BASE, retention_lift=0.05, buy_more_lift=0.1,
                              spend_uplift=0.2, n_draws=500, rng=3)
    assert res.interval.width == 0
    assert res.interval.low == res.total == res.interval.high
    assert res.uncertain == ()
    assert len(res.draws) == 500 and res.draws["total"].nunique() == 1
    assert "no uncertainty" in res.interval.note


def test_horizon_one_counts_only_enrichment():
    res = cx_revenue_scenario(**BASE, horizon_years=1, retention_lift=0.05, buy_more_lift=0.1,
                              spend_uplift=0.2, recommend_lift=0.1,
                              referrals_per_recommender=1, referral_conversion=0.5)
    assert res.total == pytest.approx(1000 * 1000 * 0.02, rel=1e-12)


# --------------------------------------------------------------------------------------
# Attribution to levers
# --------------------------------------------------------------------------------------


def test_shapley_split_of_an_interaction_by_hand():
    # retention alone 132,500; enrichment alone 48,800; both 2,572.5 × 1,020 − 2,440,000
    # = 183,950; the interaction 2,650 is shared equally
    res = cx_revenue_scenario(**BASE, retention_lift=0.05, buy_more_lift=0.1, spend_uplift=0.2)
    assert res.total == pytest.approx(183_950, rel=1e-12)
    assert lever(res, "retention") == pytest.approx(132_500 + 1_325, rel=1e-12)
    assert lever(res, "enrichment") == pytest.approx(48_800 + 1_325, rel=1e-12)
    assert lever(res, "advocacy") == 0


def test_contributions_add_up_to_the_total_each_year_and_in_each_draw():
    res = cx_revenue_scenario(
        customers=stats.uniform(900, 200), revenue_per_customer=1000, retention=0.8,
        retention_lift=stats.uniform(0.0, 0.1), buy_more_lift=stats.uniform(0, 0.2),
        spend_uplift=0.3, recommend_lift=stats.uniform(0, 0.2), referrals_per_recommender=1,
        referral_conversion=stats.beta(2, 8), discount_rate=0.08, n_draws=2000, rng=5)
    per_year = res.by_year.groupby("year")["contribution"].sum()
    assert per_year.to_numpy() == pytest.approx(res.timeline["discounted_impact"].to_numpy(),
                                                rel=1e-12)
    assert res.by_year["contribution"].sum() == pytest.approx(res.total, rel=1e-12)
    draws = res.draws
    assert (draws[[f"impact_{v}" for v in LEVERS]].sum(axis=1)).to_numpy() == pytest.approx(
        draws["total"].to_numpy(), rel=1e-12)
    assert res.levers["share"].sum() == pytest.approx(1.0)


def test_timeline_recurrence_matches_closed_form_with_all_levers():
    kw = dict(retention_lift=0.04, buy_more_lift=0.1, spend_uplift=0.25, recommend_lift=0.08,
              referrals_per_recommender=1.5, referral_conversion=0.2, intent_to_behaviour=0.6,
              discount_rate=0.07, horizon_years=6)
    res = cx_revenue_scenario(**BASE, **kw)
    # the issue's recurrence, written out independently of the library
    a, a2, total = 1000.0, 1000.0, 0.0
    k = 0.6
    for t in range(1, 7):
        total += (a2 * 1000 * (1 + k * 0.1 * 0.25) - a * 1000) / 1.07 ** (t - 1)
        new = a2 * k * 0.08 * 1.5 * 0.2
        a, a2 = a * 0.8, a2 * (0.8 + k * 0.04) + new
    assert res.total == pytest.approx(total, rel=1e-12)


share = st.floats(0.0, 1.0)
lift = st.floats(-0.3, 0.3)


@settings(max_examples=60, deadline=None)
@given(r=st.floats(0.3, 0.95), d_ret=lift, d_buy=lift, spend=st.floats(0.0, 2.0), d_rec=lift,
       referrals=st.floats(0.0, 5.0), conversion=share, kappa=share,
       discount=st.floats(0.0, 0.3), horizon=st.integers(1, 8))
def test_property_recurrence_attribution_and_symmetry(r, d_ret, d_buy, spend, d_rec, referrals,
                                                      conversion, kappa, discount, horizon):
    if not 0 <= r + kappa * d_ret <= 1:
        d_ret = 0.0
    kw = dict(customers=500, revenue_per_customer=40, retention=r, retention_lift=d_ret,
              buy_more_lift=d_buy, spend_uplift=spend, recommend_lift=d_rec,
              referrals_per_recommender=referrals, referral_conversion=conversion,
              intent_to_behaviour=kappa, discount_rate=discount, horizon_years=horizon,
              n_draws=1)
    res = cx_revenue_scenario(**kw)
    scale = max(1.0, abs(res.total), float(res.by_year["contribution"].abs().max()))
    # the recurrence of the timeline and the closed form agree
    assert res.timeline["discounted_impact"].sum() == pytest.approx(res.total, abs=1e-9 * scale)
    # the Shapley split adds up, and a lever with no lift contributes nothing
    assert res.levers["contribution"].sum() == pytest.approx(res.total, abs=1e-9 * scale)
    for name, off in [("retention", d_ret == 0 or kappa == 0),
                      ("enrichment", d_buy * spend * kappa == 0),
                      ("advocacy", d_rec * referrals * conversion * kappa == 0)]:
        if off:
            assert lever(res, name) == pytest.approx(0, abs=1e-9 * scale)
    # enrichment alone is linear in its lift: reversing the lift reverses the total
    only_buy = cx_revenue_scenario(**{**kw, "retention_lift": 0, "recommend_lift": 0})
    minus = cx_revenue_scenario(**{**kw, "retention_lift": 0, "recommend_lift": 0,
                                   "buy_more_lift": -d_buy})
    assert minus.total == pytest.approx(-only_buy.total, abs=1e-9 * scale)


# --------------------------------------------------------------------------------------
# Monte Carlo
# --------------------------------------------------------------------------------------


def test_monte_carlo_is_reproducible_and_seed_dependent():
    kw = dict(**BASE, retention_lift=stats.uniform(0.03, 0.04),
              intent_to_behaviour=stats.uniform(0.3, 0.5), n_draws=5000)
    a = cx_revenue_scenario(**kw, rng=11)
    b = cx_revenue_scenario(**kw, rng=11)
    c = cx_revenue_scenario(**kw, rng=12)
    assert tuple(a.interval) == tuple(b.interval)
    pd.testing.assert_frame_equal(a.draws, b.draws)
    assert tuple(a.interval) != tuple(c.interval)
    assert a.uncertain == ("retention_lift", "intent_to_behaviour")


def test_monte_carlo_of_a_linear_input_matches_its_distribution():
    # the total is linear in customers: its draws are total(1) × customers, so the
    # interval is the customers' quantiles × the per-customer total
    dist = stats.uniform(500, 1000)
    res = cx_revenue_scenario(customers=dist, revenue_per_customer=1000, retention=0.8,
                              retention_lift=0.05, n_draws=20000, rng=2)
    per_customer = 132.5
    assert res.total == pytest.approx(per_customer * 1000, rel=1e-12)  # median 1000
    expected = np.quantile(res.draws["customers"], [0.05, 0.95]) * per_customer
    assert tuple(res.interval) == pytest.approx(tuple(expected), rel=1e-10)
    assert res.mean == pytest.approx(per_customer * 1000, rel=0.01)
    assert res.interval.contains(res.total)
    inputs = res.inputs.set_index("input")
    assert bool(inputs.loc["customers", "uncertain"]) and inputs.loc["customers", "central"] == 1000


def test_confidence_interval_at_another_level():
    res = cx_revenue_scenario(**BASE, retention_lift=stats.uniform(0.03, 0.04), n_draws=5000,
                              rng=4)
    same = res.confidence_interval()
    assert (same.low, same.high) == (res.interval.low, res.interval.high)
    wide = res.confidence_interval(confidence_level=0.99)
    assert wide.low < res.interval.low and wide.high > res.interval.high
    with pytest.raises(ValueError, match="`method` must be one of 'percentile'"):
        res.confidence_interval("bca")
    fixed = cx_revenue_scenario(**BASE, retention_lift=0.05)
    assert fixed.confidence_interval(confidence_level=0.5).width == 0


def test_draws_outside_the_valid_range_are_an_error_not_clipped():
    with pytest.raises(ValueError, match=r"`retention_lift`.*of 10,000 Monte Carlo draws"):
        cx_revenue_scenario(**BASE, retention_lift=stats.norm(0.15, 0.03), rng=1)
    with pytest.raises(ValueError, match=r"`referral_conversion` must lie in \[0, 1\].*draws"):
        cx_revenue_scenario(**BASE, referral_conversion=stats.norm(0.5, 0.3), rng=1)


def test_tail_quantile_outside_the_range_is_an_error():
    # the 95% quantile of this lift is above 1 − retention: caught before any draw
    with pytest.raises(ValueError, match="retention_lift"):
        cx_revenue_scenario(**BASE, retention_lift=stats.uniform(0.1, 0.2), n_draws=1, rng=1)


# --------------------------------------------------------------------------------------
# Sensitivity, solving, re-running
# --------------------------------------------------------------------------------------


def test_sensitivity_table_is_a_tornado_sorted_by_swing():
    res = cx_revenue_scenario(customers=stats.uniform(900, 200), revenue_per_customer=1000,
                              retention=0.8, retention_lift=stats.uniform(0.02, 0.06),
                              intent_to_behaviour=stats.uniform(0.2, 0.8), n_draws=100, rng=1)
    table = res.sensitivity()
    assert table["swing"].is_monotonic_decreasing
    assert set(table["input"]) == {"customers", "retention_lift", "intent_to_behaviour"}
    row = table.set_index("input").loc["customers"]
    assert row["low"] == pytest.approx(910) and row["high"] == pytest.approx(1090)
    # linear in customers: the total at the low value is total × low/central
    assert row["total_low"] == pytest.approx(res.total * 910 / 1000, rel=1e-12)
    wide = res.sensitivity((0.01, 0.99), ranges={"retention": (0.7, 0.9)})
    assert "retention" in set(wide["input"])
    assert wide.set_index("input").loc["retention", "basis"] == "range"


def test_sensitivity_with_only_fixed_inputs_is_empty():
    table = cx_revenue_scenario(**BASE, retention_lift=0.05).sensitivity()
    assert table.empty and "swing" in table.columns


@pytest.mark.parametrize("lever_name", ["retention_lift", "buy_more_lift", "spend_uplift",
                                        "recommend_lift", "referrals_per_recommender",
                                        "intent_to_behaviour", "customers", "discount_rate"])
def test_solve_for_then_rerun_hits_the_target(lever_name):
    res = cx_revenue_scenario(**BASE, retention_lift=0.05, buy_more_lift=0.1, spend_uplift=0.2,
                              recommend_lift=0.1, referrals_per_recommender=1,
                              referral_conversion=0.1, intent_to_behaviour=0.8,
                              discount_rate=0.05)
    target = res.total * {"discount_rate": 0.8, "intent_to_behaviour": 1.1}.get(lever_name, 1.3)
    value = res.solve_for(target, lever_name)
    rerun = res.rerun(**{lever_name: value})
    assert rerun.total == pytest.approx(target, rel=1e-9)
    assert res.total_at(**{lever_name: value}) == pytest.approx(target, rel=1e-9)


def test_solve_for_reports_when_the_target_is_out_of_reach():
    res = cx_revenue_scenario(**BASE, retention_lift=0.05)
    with pytest.raises(ValueError, match=r"no value of `retention_lift` in its valid range "
                                         r"\[-0\.8, 0\.2\] reaches"):
        res.solve_for(775e6, "retention_lift")
    with pytest.raises(ValueError, match="does not depend on `spend_uplift`.*buy_more_lift"):
        res.solve_for(2e5, "spend_uplift")
    with pytest.raises(ValueError, match="`lever` must be one of"):
        res.solve_for(2e5, "horizon")


def test_scale_to_multiplies_the_lifts_together():
    res = cx_revenue_scenario(**BASE, retention_lift=0.05, buy_more_lift=0.1, spend_uplift=0.2,
                              recommend_lift=0.05, referrals_per_recommender=1,
                              referral_conversion=0.2)
    k = res.scale_to(1.5 * res.total)
    scaled = res.total_at(retention_lift=0.05 * k, buy_more_lift=0.1 * k,
                          recommend_lift=0.05 * k)
    assert scaled == pytest.approx(1.5 * res.total, rel=1e-9)
    assert 1 < k < 1.5  # compounding makes the total grow faster than the lifts
    with pytest.raises(ValueError, match="no common factor"):
        res.scale_to(1e9)


def test_rerun_keeps_the_other_inputs():
    res = cx_revenue_scenario(**BASE, retention_lift=0.05)
    assert res.rerun(horizon_years=2).total == pytest.approx(50_000)
    assert res.rerun(customers=2000).total == pytest.approx(265_000)


# --------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("change", "message"), [
    ({"customers": -1}, r"`customers` must lie in \[0, ∞\)"),
    ({"revenue_per_customer": -5}, "`revenue_per_customer` must lie in"),
    ({"retention": 0}, r"`retention` must lie in \(0, 1\]"),
    ({"retention": 1.2}, "`retention` must lie in"),
    ({"retention_lift": 0.3}, "improved retention, retention \\+ intent_to_behaviour"),
    ({"retention_lift": -0.9}, "`retention_lift`"),
    ({"buy_more_lift": 1.5}, r"`buy_more_lift` must lie in \[-1, 1\]"),
    ({"recommend_lift": -1.2}, "`recommend_lift`"),
    ({"referral_conversion": 1.1}, "`referral_conversion`"),
    ({"intent_to_behaviour": 1.5}, "`intent_to_behaviour`"),
    ({"referrals_per_recommender": -1}, "`referrals_per_recommender`"),
    ({"spend_uplift": -2}, "`spend_uplift`"),
    ({"discount_rate": -1}, "`discount_rate`"),
    ({"horizon_years": 0}, "`horizon_years` must be an integer >= 1"),
    ({"horizon_years": 2.5}, "`horizon_years`.*not a whole number"),
    ({"n_draws": 0}, "`n_draws`"),
    ({"confidence_level": 95}, "confidence_level"),
])
def test_invalid_inputs_are_named(change, message):
    with pytest.raises(ValueError, match=message):
        cx_revenue_scenario(**{**BASE, **change})


def test_wrong_types_are_named():
    with pytest.raises(TypeError, match="`retention` must be a number or a scipy.stats"):
        cx_revenue_scenario(**{**BASE, "retention": "0.8"})
    with pytest.raises(TypeError, match="`horizon_years`.*not a distribution"):
        cx_revenue_scenario(**BASE, horizon_years=stats.poisson(3))
    with pytest.raises(TypeError, match="`customers`"):
        cx_revenue_scenario(**{**BASE, "customers": True})


def test_uncertain_retention_keeps_its_draws_apart_from_the_lever():
    res = cx_revenue_scenario(**{**BASE, "retention": stats.uniform(0.7, 0.1)},
                              retention_lift=0.05, n_draws=300, rng=1)
    assert res.draws["retention"].between(0.7, 0.8).all()
    assert (res.draws["impact_retention"] > 1e5).all()


def test_retention_of_one_is_valid_and_lift_to_one_is_allowed():
    res = cx_revenue_scenario(**{**BASE, "retention": 0.95}, retention_lift=0.05)
    assert res.total == pytest.approx(1000 * (0.05 + (1 - 0.95 ** 2)) * 1000, rel=1e-12)


# --------------------------------------------------------------------------------------
# The result object
# --------------------------------------------------------------------------------------


def test_result_renders_and_exports():
    res = cx_revenue_scenario(**BASE, retention_lift=stats.uniform(0.03, 0.04), n_draws=200,
                              rng=1)
    frame = res.to_frame()
    assert len(frame) == 1 and {"total", "interval_low", "interval_high"} <= set(frame.columns)
    html = res._repr_html_()
    assert "CX-to-revenue scenario" in html and "by_year" in html and ">draws<" not in html
    text = repr(res)
    assert "total" in text and "interval" in text
    exported = json.loads(json.dumps(res.to_dict()))
    assert exported["total"] == pytest.approx(res.total)
    assert len(exported["by_year"]) == 9
    assert "draws" not in exported and len(res.draws) == 200
    assert list(res.inputs["input"]) == list(INPUTS)


# --------------------------------------------------------------------------------------
# Lever effects from survey data
# --------------------------------------------------------------------------------------


def simulate(n, a=-4.0, b=0.6, rng=0, shift_missing=0):
    """CX on 0–10 and a 0–10 outcome whose top box (≥ 9) follows logit a + b·cx."""
    gen = np.random.default_rng(rng)
    cx = np.clip(np.rint(gen.normal(6.5, 2.0, n)), 0, 10)
    top = gen.random(n) < expit(a + b * cx)
    outcome = np.where(top, gen.integers(9, 11, n), gen.integers(0, 9, n)).astype(float)
    frame = pd.DataFrame({"cx": cx, "stay": outcome})
    if shift_missing:
        frame.loc[frame.index[:shift_missing], "stay"] = np.nan
    return frame


def true_lift(a, b, shift, rng=0, n=2_000_000):
    gen = np.random.default_rng(rng)
    cx = np.clip(np.rint(gen.normal(6.5, 2.0, n)), 0, 10)
    values, counts = np.unique(cx, return_counts=True)
    w = counts / n
    change = expit(a + b * np.minimum(values + shift, 10)) - expit(a + b * values)
    return float((w * change).sum())


def test_fit_and_lift_agree_with_statsmodels_logit_on_raw_rows():
    frame = simulate(1500, rng=4)
    eff = estimate_lever_effects(frame, cx="cx", outcomes="stay", n_resamples=200, rng=1)
    row = eff.iloc[0]
    y = (frame["stay"] >= 9).astype(float)
    fit = sm.Logit(y, sm.add_constant(frame["cx"])).fit(disp=0)
    assert (row["intercept"], row["slope"]) == pytest.approx(tuple(fit.params), abs=1e-8)
    ci = fit.conf_int(0.05).loc["cx"]
    assert row["odds_ratio"] == pytest.approx(math.exp(fit.params["cx"]), rel=1e-8)
    assert (row["odds_ratio_ci_low"], row["odds_ratio_ci_high"]) == pytest.approx(
        (math.exp(ci[0]), math.exp(ci[1])), rel=1e-9)
    shifted = sm.add_constant(np.minimum(frame["cx"] + 1, 10))
    lift = fit.predict(shifted).mean() - fit.predict(sm.add_constant(frame["cx"])).mean()
    assert row["lift"] == pytest.approx(lift, abs=1e-9)
    assert row["baseline_share"] == pytest.approx(y.mean())
    assert row["predicted_share"] == pytest.approx(fit.predict(shifted).mean(), abs=1e-9)
    assert row["n_capped"] == int((frame["cx"] + 1 > 10).sum())
    assert row["ci_low"] < row["lift"] < row["ci_high"]


def test_bootstrap_and_delta_method_agree():
    frame = simulate(3000, rng=8)
    boot = estimate_lever_effects(frame, cx="cx", outcomes="stay", n_resamples=2000, rng=1)
    delta = estimate_lever_effects(frame, cx="cx", outcomes="stay", method="delta")
    assert boot["lift"].iloc[0] == pytest.approx(delta["lift"].iloc[0], abs=1e-12)
    assert boot["lift_se"].iloc[0] == pytest.approx(delta["lift_se"].iloc[0], rel=0.15)
    assert delta["method"].iloc[0] == "delta" and delta["n_resamples"].iloc[0] == 0


def test_recovery_interval_contains_the_true_lift():
    a, b = -4.0, 0.6
    truth = true_lift(a, b, 1.0)
    frame = simulate(2000, a, b, rng=21)
    eff = estimate_lever_effects(frame, cx="cx", outcomes="stay", rng=3)
    row = eff.iloc[0]
    assert row["ci_low"] <= truth <= row["ci_high"]
    assert row["odds_ratio_ci_low"] <= math.exp(b) <= row["odds_ratio_ci_high"]


def test_recovery_coverage_over_simulated_surveys():
    a, b = -3.5, 0.5
    truth = true_lift(a, b, 1.5)
    hits = 0
    reps = 60
    for i in range(reps):
        frame = simulate(800, a, b, rng=100 + i)
        row = estimate_lever_effects(frame, cx="cx", outcomes="stay", shift=1.5,
                                     n_resamples=400, rng=i).iloc[0]
        hits += row["ci_low"] <= truth <= row["ci_high"]
    assert hits / reps >= 0.85  # nominal 95%; binomial sd of the share ≈ 0.03


def test_negative_lift_is_returned_as_it_is():
    frame = simulate(1500, a=1.0, b=-0.4, rng=5)
    row = estimate_lever_effects(frame, cx="cx", outcomes="stay", n_resamples=200,
                                 rng=1).iloc[0]
    assert row["lift"] < 0 and row["ci_high"] < 0 and row["odds_ratio"] < 1


def test_cx_index_missing_rows_and_labels():
    bank = cxkit.load_dataset("bank_satisfaction").copy()
    bank.loc[bank.index[:7], "loy1"] = np.nan
    bank.loc[bank.index[5:9], "sat2"] = np.nan  # rows 5, 6 overlap with missing loy1
    eff = estimate_lever_effects(bank, cx=SAT, outcomes={"stay": "loy1", "recommend": "loy3"},
                                 n_resamples=100, rng=1)
    stay, rec = eff.iloc[0], eff.iloc[1]
    assert stay["outcome"] == "stay" and stay["column"] == "loy1"
    assert stay["cx"] == "mean of sat1, sat2, sat3, sat4"
    assert (stay["n"], stay["n_excluded"]) == (250 - 9, 9)
    assert (rec["n"], rec["n_excluded"]) == (250 - 4, 4)
    # same fit as an explicit index on the complete rows
    data = bank.assign(index=bank[SAT].mean(axis=1, skipna=False)).dropna(subset=["index", "loy1"])
    ref = estimate_lever_effects(data, cx="index", outcomes={"stay": "loy1"}, n_resamples=100,
                                 rng=1).iloc[0]
    assert stay["lift"] == pytest.approx(ref["lift"], abs=1e-12)


def test_bank_defaults_are_reproducible_and_order_free():
    bank = cxkit.load_dataset("bank_satisfaction")
    kw = dict(cx=SAT, outcomes={"stay": "loy1", "recommend": "loy3"}, n_resamples=300)
    a = estimate_lever_effects(bank, **kw, rng=9)
    b = estimate_lever_effects(bank.sample(frac=1, random_state=3), **kw, rng=9)
    pd.testing.assert_frame_equal(a, b)  # sufficient statistics: row order cannot matter
    assert (a["lift"] > 0).all() and (a["n"] == 250).all()


def test_large_shift_caps_everyone_at_the_top():
    frame = simulate(1000, rng=2)
    row = estimate_lever_effects(frame, cx="cx", outcomes="stay", shift=10, n_resamples=50,
                                 rng=1).iloc[0]
    assert row["n_capped"] == 1000
    assert row["predicted_share"] == pytest.approx(expit(row["intercept"] + 10 * row["slope"]))


def test_binary_outcome_with_its_own_scale():
    frame = simulate(1000, rng=2)
    frame["stayed"] = (frame["stay"] >= 9).astype(int)
    a = estimate_lever_effects(frame, cx="cx", outcomes="stayed", scale=(0, 1), top_box=1,
                               cx_scale=(0, 10), n_resamples=50, rng=1)
    b = estimate_lever_effects(frame, cx="cx", outcomes="stay", n_resamples=50, rng=1)
    assert a["lift"].iloc[0] == pytest.approx(b["lift"].iloc[0], abs=1e-12)


def test_lever_effect_errors_are_clear():
    frame = simulate(500, rng=1)
    with pytest.raises(ValueError, match=r"`outcomes` column 'stay' has .* outside 0–5"):
        estimate_lever_effects(frame, cx="cx", outcomes="stay", scale=(0, 5), cx_scale=(0, 10),
                               top_box=4)
    with pytest.raises(ValueError, match=r"`cx` column 'cx' has .* outside"):
        estimate_lever_effects(frame.assign(cx=frame["cx"] + 1), cx="cx", outcomes="stay")
    with pytest.raises(ValueError, match=r"`cx` \(flat\) has no variance .*every value is 7"):
        estimate_lever_effects(frame.assign(flat=7), cx="flat", outcomes="stay")
    few = frame.assign(stay=np.where(np.arange(500) < 4, 10, 3))
    with pytest.raises(ValueError, match=r"only 4 of 500 respondents are in the top box"):
        estimate_lever_effects(few, cx="cx", outcomes="stay")
    separated = frame.assign(stay=np.where(frame["cx"] >= 7, 10, 2))
    with pytest.raises(ValueError, match="perfectly separated"):
        estimate_lever_effects(separated, cx="cx", outcomes="stay")
    with pytest.raises(ValueError, match="`top_box` must lie on `scale`"):
        estimate_lever_effects(frame, cx="cx", outcomes="stay", top_box=11)
    with pytest.raises(ValueError, match="`outcomes` names 1 column not in `data`"):
        estimate_lever_effects(frame, cx="cx", outcomes="stya")
    with pytest.raises(TypeError, match="`data` must be a pandas DataFrame"):
        estimate_lever_effects(None, cx="cx", outcomes="stay")
    with pytest.raises(ValueError, match="`method` must be one of"):
        estimate_lever_effects(frame, cx="cx", outcomes="stay", method="wald")


def test_lift_distribution_for_scenarios():
    frame = simulate(1500, rng=4)
    eff = estimate_lever_effects(frame, cx="cx", outcomes={"stay": "stay"}, n_resamples=300,
                                 rng=1)
    dist = lift_distribution(eff, "stay", upper=0.2)
    row = eff.iloc[0]
    assert dist.mean() == pytest.approx(row["lift"], rel=0.01)
    assert dist.std() == pytest.approx(row["lift_se"], rel=0.02)
    assert dist.ppf(1.0) == pytest.approx(0.2)
    res = cx_revenue_scenario(**BASE, retention_lift=dist, n_draws=2000, rng=1)
    assert res.uncertain == ("retention_lift",)
    assert res.draws["retention_lift"].max() <= 0.2
    with pytest.raises(ValueError, match="lies outside"):
        lift_distribution(eff, "stay", upper=0.01)
    with pytest.raises(ValueError, match="`outcome` 'go' is not in `effects`"):
        lift_distribution(eff, "go")


# --------------------------------------------------------------------------------------
# References: R glm, and statsmodels on each bootstrap resample
# --------------------------------------------------------------------------------------

REFERENCE = json.loads((Path(__file__).parent / "reference" / "revenue_reference.json")
                       .read_text())


@pytest.mark.parametrize("name", sorted(REFERENCE["cases"]))
def test_lever_effects_match_r_glm(name):
    # R glm converged to a relative deviance change of 1e-14 (see the R script)
    case = REFERENCE["cases"][name]
    bank = cxkit.load_dataset("bank_satisfaction")
    shift, top_box = case["shift"], case["top_box"]
    for level, key in [(0.95, "odds_ratio_ci95"), (0.90, "odds_ratio_ci90")]:
        row = estimate_lever_effects(bank, cx=case["cx"], outcomes=case["outcome"], shift=shift,
                                     top_box=top_box, method="delta",
                                     confidence_level=level).iloc[0]
        assert (row["n"], row["n_top_box"]) == (case["n"], case["n_top_box"])
        assert row["intercept"] == pytest.approx(case["intercept"], rel=1e-9)
        assert row["slope"] == pytest.approx(case["slope"], rel=1e-9)
        assert row["odds_ratio"] == pytest.approx(case["odds_ratio"], rel=1e-9)
        assert (row["odds_ratio_ci_low"], row["odds_ratio_ci_high"]) == pytest.approx(
            tuple(case[key]), rel=1e-9)
        assert row["baseline_share"] == pytest.approx(case["baseline_share"], abs=1e-12)
        assert row["predicted_share"] == pytest.approx(case["predicted_share"], abs=1e-10)
        assert row["lift"] == pytest.approx(case["lift"], abs=1e-10)
        assert row["lift_se"] == pytest.approx(case["lift_se_delta"], rel=1e-8)


def test_each_bootstrap_refit_matches_statsmodels_with_frequency_weights():
    from cxkit.revenue import _bootstrap_logit

    frame = simulate(600, rng=13)
    x = frame["cx"].to_numpy()
    y = (frame["stay"] >= 9).to_numpy(float)
    ux, inverse = np.unique(x, return_inverse=True)
    table = np.bincount(2 * inverse + y.astype(int), minlength=2 * ux.size)
    keep = table > 0
    cell_x, cell_y = np.repeat(ux, 2)[keep], np.tile([0.0, 1.0], ux.size)[keep]
    counts = table[keep].astype(float)
    start = np.asarray(sm.Logit(y, sm.add_constant(x)).fit(disp=0).params)
    shifted = np.minimum(ux + 1, 10)
    lifts = _bootstrap_logit(cell_x, cell_y, counts, start, shifted,
                             (ux, np.repeat(np.arange(ux.size), 2)[keep]), 5,
                             np.random.default_rng(42))
    weights = np.random.default_rng(42).multinomial(600, counts / 600, size=5)
    for b in range(5):
        fit = sm.GLM(cell_y, sm.add_constant(cell_x), family=sm.families.Binomial(),
                     freq_weights=weights[b]).fit(tol=1e-12)
        p_shift = expit(fit.params[0] + fit.params[1] * np.minimum(cell_x + 1, 10))
        p_now = expit(fit.params[0] + fit.params[1] * cell_x)
        expected = float((weights[b] * (p_shift - p_now)).sum() / 600)
        assert lifts[b] == pytest.approx(expected, abs=1e-10)
