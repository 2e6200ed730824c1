"""Adversarial inputs to every public function of ``cxkit.revenue`` and ``cxkit.profile``.

Each hostile scalar in each argument (exhaustively; distributions included for the
revenue inputs), and hypothesis-drawn hostile CX and outcome columns and item frames:
the only exceptions are ValueError/TypeError naming the argument, and results are
finite (NaN only with a UserWarning). See ``tests/adversarial.py`` for the contract.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

from cxkit.profile import likert_columns, profile_items
from cxkit.revenue import INPUTS, cx_revenue_scenario, estimate_lever_effects, lift_distribution
from tests.adversarial import (
    check_outcome,
    hostile_frames,
    hostile_values,
    qualified,
    scalar_cases,
)

COVERED = qualified(cx_revenue_scenario, estimate_lever_effects, lift_distribution,
                    likert_columns, profile_items)

FAST = settings(max_examples=400, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SCENARIO = {"customers": 1000, "revenue_per_customer": 500.0, "retention": 0.8,
            "retention_lift": 0.05, "recommend_lift": 0.05, "referrals_per_recommender": 0.5,
            "referral_conversion": 0.2, "n_draws": 200, "rng": 0}
_rng = np.random.default_rng(3)
_cx = _rng.integers(1, 11, 300).astype(float)
SURVEY = pd.DataFrame({
    "cx": _cx,
    "stay": np.clip(np.round(_cx * 0.7 + _rng.normal(0, 2, 300)), 0, 10),
    "tell": np.clip(np.round(_cx * 0.5 + _rng.normal(1, 2, 300)), 0, 10),
})
LEVERS = {"data": SURVEY, "cx": "cx", "outcomes": {"stay": "stay"}, "method": "delta",
          "cx_scale": (0, 10)}
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    EFFECTS = estimate_lever_effects(**LEVERS)
ITEMS = pd.DataFrame({f"q{j}": _rng.integers(1, 6, 50) for j in range(4)})
HOSTILE_DISTRIBUTIONS = [stats.norm(0.05, 0.01), stats.norm(0, 1e300), stats.uniform(-5, 1),
                         stats.poisson(3), stats.norm(np.nan, 1), stats.cauchy(0.05, 0.01),
                         stats.multivariate_normal([0, 0])]

CASES = [
    *scalar_cases("cx_revenue_scenario", cx_revenue_scenario, SCENARIO,
                  [*INPUTS, "horizon_years", "n_draws", "confidence_level", "rng"]),
    *scalar_cases("estimate_lever_effects", estimate_lever_effects, LEVERS,
                  ["data", "cx", "outcomes", "shift", "top_box", "scale", "cx_scale",
                   "method", "min_top_box", "confidence_level"]),
    *scalar_cases("estimate_lever_effects-bootstrap", estimate_lever_effects,
                  {**LEVERS, "method": "bootstrap", "n_resamples": 50},
                  ["n_resamples", "rng"]),
    *scalar_cases("lift_distribution", lift_distribution, {"effects": EFFECTS},
                  ["effects", "outcome", "lower", "upper"]),
    *scalar_cases("profile_items", profile_items, {"data": ITEMS},
                  ["data", "columns", "scale"]),
    *scalar_cases("likert_columns", likert_columns, {"data": ITEMS}, ["data"]),
]


def _finite_part(result):
    """What must be finite: a frozen distribution's moments, or the result itself."""
    if hasattr(result, "rvs") and hasattr(result, "mean"):
        return {"mean": float(result.mean()), "std": float(result.std())}
    return result


@pytest.mark.parametrize(("call", "kwargs", "argument"), CASES)
def test_hostile_scalar_argument(call, kwargs, argument):
    check_outcome(lambda: _finite_part(call(**kwargs)), [f"`{argument}`"],
                  context=f"{call.__name__}({argument}={kwargs[argument]!r})")


@pytest.mark.parametrize("argument", INPUTS)
@pytest.mark.parametrize("distribution", HOSTILE_DISTRIBUTIONS, ids=repr)
def test_hostile_distribution_in_each_revenue_input(argument, distribution):
    check_outcome(lambda: cx_revenue_scenario(**{**SCENARIO, argument: distribution}),
                  [f"`{argument}`"], context=f"{argument}={distribution!r}")


@FAST
@given(drawn=hostile_values(lo=0, hi=10), where=st.sampled_from(["cx", "stay"]),
       method=st.sampled_from(["delta", "bootstrap"]))
def test_lever_effects_on_hostile_columns(drawn, where, method):
    kind, hostile = drawn
    frame = SURVEY.iloc[:len(hostile)].reset_index(drop=True).copy()
    frame[where] = hostile.reset_index(drop=True)
    check_outcome(lambda: estimate_lever_effects(
        frame, cx="cx", outcomes={"stay": "stay"}, method=method, n_resamples=50, rng=0,
        min_top_box=1),
        ["`cx`", "`outcomes`", "`data`", "'cx'", "'stay'"],
        context=f"estimate_lever_effects({where}={kind}, {method})")


@pytest.mark.parametrize("outcomes", [
    {1: "stay", "1": "tell"}, ["stay", "stay"], {"a": "stay", "b": "nope"}, {}, [],
    {"a": ["stay"]}, {None: "stay"},
], ids=repr)
def test_lever_effects_on_hostile_outcome_maps(outcomes):
    frame = SURVEY.rename(columns={"stay": 1, "tell": "1"}) if 1 in outcomes else SURVEY
    if 1 in outcomes:
        outcomes = {1: 1, "1": "1"}
    check_outcome(lambda: estimate_lever_effects(frame, cx="cx", outcomes=outcomes,
                                                 method="delta"),
                  ["`outcomes`"], context=f"outcomes={outcomes!r}")


def test_steep_slopes_do_not_overflow_the_odds_ratio():
    """A near-separated outcome (a huge slope) gives a finite answer or a named refusal."""
    x = np.repeat(np.arange(11.0), 30)
    y = np.where(x >= 6, 10.0, 0.0)
    y[[0, -1]] = [10.0, 0.0]  # two respondents against the grain: not fully separated
    frame = pd.DataFrame({"cx": x, "stay": y})
    check_outcome(lambda: estimate_lever_effects(frame, cx="cx", outcomes="stay",
                                                 method="delta"),
                  ["`outcomes`", "`cx`"], context="steep slope")


@FAST
@given(data=st.data())
def test_lift_distribution_on_hostile_effect_tables(data):
    columns = data.draw(st.sets(st.sampled_from(["outcome", "lift", "lift_se", "other"])))
    values = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                       st.sampled_from([None, "0.1", True, pd.NA]))
    rows = data.draw(st.integers(0, 3))
    table = pd.DataFrame({c: [data.draw(values) if c != "outcome" else f"o{i}"
                              for i in range(rows)] for c in sorted(columns)})
    as_row = data.draw(st.booleans()) and len(table) > 0
    effects = table.iloc[0] if as_row else table
    outcome = data.draw(st.sampled_from([None, "o0", "o9", 0]))
    check_outcome(lambda: _finite_part(lift_distribution(effects, outcome)),
                  ["`effects`", "`effects[", "`outcome`", "`lower`", "`upper`"],
                  context=f"lift_distribution({table.to_dict('list')}, {outcome!r})")


@FAST
@given(drawn=hostile_frames(k=4, lo=1, hi=5),
       scale=st.sampled_from([None, (1, 5), (0, 10), (1, 5.5), (5, 1), "1-5"]))
def test_profile_items_on_hostile_frames(drawn, scale):
    context, frame = drawn
    names = ["`data`", "`columns`", "`scale`", "column", *[repr(c) for c in frame.columns]]
    check_outcome(lambda: profile_items(frame, scale=scale), names,
                  context=f"profile_items({context}, scale={scale!r})")
    result = check_outcome(lambda: likert_columns(frame), names,
                           context=f"likert_columns({context})")
    if result is not None:
        assert all(c in list(frame.columns) for c in result)


def test_a_nearly_separating_cx_in_tiny_units_is_refused_not_an_overflow():
    """math.exp overflowed (OverflowError) on the odds ratio of a steep slope."""
    x = np.repeat(np.linspace(0, 0.001, 11), 30)
    y = np.where(x >= 0.0006, 10.0, 0.0)
    y[[0, -1]] = [10.0, 0.0]
    frame = pd.DataFrame({"cx": x, "stay": y})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ValueError, match="odds ratio overflows.*larger units"):
            estimate_lever_effects(frame, cx="cx", outcomes="stay", method="delta",
                                   cx_scale=(0, 0.001), shift=0.0001)


def test_outcome_labels_that_collide_as_text_are_refused():
    """Columns 1 and '1' both became the label '1', and one outcome vanished."""
    frame = SURVEY.rename(columns={"stay": 1, "tell": "1"})
    with pytest.raises(ValueError, match="labels must be distinct as text"):
        estimate_lever_effects(frame, cx="cx", outcomes=[1, "1"], method="delta")
