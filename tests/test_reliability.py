"""Tests of cxkit.reliability: R reference values, properties, bad input.

The reference values come from R psych 2.2.9 and multilevel 2.7
(tests/reference/reliability_reference.R → reliability_reference.json); CI never runs R.
"""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.stats import norm

import cxkit
from cxkit.reliability import (
    AlphaResult,
    GroupReliabilityResult,
    _bootstrap_covs,
    cronbach_alpha,
    group_reliability,
    omega,
    reverse_items,
)

REFERENCE = Path(__file__).parent / "reference"
REF = json.loads((REFERENCE / "reliability_reference.json").read_text())
TOL = 1e-8
ALPHA_CASES = REF["alpha"]
CASE_IDS = [f"{c['dataset']}-{c['block']}-{c['nan_policy']}" for c in ALPHA_CASES]


def _data(name):
    return cxkit.load_dataset(name)


def _alpha(case, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the reference scales raise no warning
        return cronbach_alpha(_data(case["dataset"]), case["items"], reverse=case["reverse"],
                              scale=tuple(case["scale"]), nan_policy=case["nan_policy"],
                              **kwargs)


def _likert(seed, n, k, *, missing=0.0, levels=5):
    """n × k integer ratings 1..levels driven by one factor (positively correlated)."""
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=(n, 1))
    raw = latent + rng.normal(size=(n, k))
    x = np.clip(np.round(raw + (levels + 1) / 2), 1, levels)
    if missing:
        x[rng.random(x.shape) < missing] = np.nan
    return pd.DataFrame(x, columns=[f"q{j + 1}" for j in range(k)])


def _usable(df):
    """Every item varies and every pair of items shares at least 3 rows."""
    m = df.notna().to_numpy().astype(float)
    return bool((df.nunique() > 1).all() and ((m.T @ m) >= 3).all())


# --------------------------------------------------------------------------------------
# Reference values: R psych::alpha
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", ALPHA_CASES, ids=CASE_IDS)
def test_alpha_matches_psych(case):
    res = _alpha(case)
    assert res.n == case["n"]
    assert res.k == len(case["items"])
    assert res.alpha == pytest.approx(case["raw_alpha"], abs=TOL)
    assert res.std_alpha == pytest.approx(case["std_alpha"], abs=TOL)
    assert res.g6 == pytest.approx(case["g6"], abs=TOL)
    assert res.average_r == pytest.approx(case["average_r"], abs=TOL)
    assert res.ase == pytest.approx(case["ase"], abs=TOL)
    assert tuple(res.ci) == pytest.approx((case["feldt_low"], case["feldt_high"]), abs=TOL)
    assert tuple(res.confidence_interval(confidence_level=0.9)) == pytest.approx(
        (case["feldt90_low"], case["feldt90_high"]), abs=TOL)
    assert tuple(res.confidence_interval("duhachek")) == pytest.approx(
        (case["duhachek_low"], case["duhachek_high"]), abs=TOL)
    items = res.items
    assert items.index.tolist() == case["items"]
    np.testing.assert_allclose(items["r_drop"], case["r_drop"], rtol=0, atol=TOL)
    np.testing.assert_allclose(items["r_cor"], case["r_cor"], rtol=0, atol=TOL)
    np.testing.assert_allclose(items["mean"], case["item_mean"], rtol=0, atol=TOL)
    np.testing.assert_allclose(items["sd"], case["item_sd"], rtol=0, atol=TOL)
    assert items["n"].tolist() == case["item_n"]
    if len(case["items"]) > 2:
        for ours, theirs in (("alpha_if_deleted", "alpha_if_deleted"),
                             ("std_alpha_if_deleted", "std_alpha_if_deleted"),
                             ("g6_if_deleted", "g6_if_deleted")):
            np.testing.assert_allclose(items[ours], case[theirs], rtol=0, atol=TOL)
    else:  # one item left: no alpha (psych reports a regression slope there)
        assert items["alpha_if_deleted"].isna().all()


def test_provenance_values():
    """The values quoted in the data provenance notes (psych 2.2.9)."""
    bfi = _data("bfi")
    res = cronbach_alpha(bfi, ["N1", "N2", "N3", "N4", "N5"])
    assert res.alpha == pytest.approx(0.813962949917476, abs=1e-12)
    assert res.std_alpha == pytest.approx(0.814674674190148, abs=1e-12)
    assert tuple(res.ci) == pytest.approx((0.802841302463091, 0.824640350682318), abs=1e-12)
    assert res.n == 2800
    agree = cronbach_alpha(bfi, ["A1", "A2", "A3", "A4", "A5"], reverse="A1")
    assert agree.alpha == pytest.approx(0.703018446057304, abs=1e-12)


def test_duhachek_uses_exact_normal_quantile():
    """psych prints alpha ± 1.96 ase; the exact quantile differs by (z − 1.96) ase."""
    case = ALPHA_CASES[0]
    ci = _alpha(case, method="duhachek").ci
    shift = (norm.ppf(0.975) - 1.96) * case["ase"]
    assert ci.high - case["duhachek196_high"] == pytest.approx(shift, abs=1e-12)
    assert case["duhachek196_low"] - ci.low == pytest.approx(shift, abs=1e-12)


@pytest.mark.parametrize("case", ALPHA_CASES[:4] + ALPHA_CASES[-3:], ids=CASE_IDS[:4] +
                         CASE_IDS[-3:])
def test_covariance_input_equals_raw_data(case):
    raw = _alpha(case)
    data = _data(case["dataset"])[case["items"]]
    if case["nan_policy"] == "listwise":
        data = data.dropna()
    res = cronbach_alpha(cov=data.cov(), n=raw.n, reverse=case["reverse"])
    for name in ("alpha", "std_alpha", "g6", "average_r", "ase"):
        assert getattr(res, name) == pytest.approx(getattr(raw, name), abs=1e-12)
    assert tuple(res.ci) == pytest.approx(tuple(raw.ci), abs=1e-12)
    cols = ["sd", "r_drop", "r_cor", "alpha_if_deleted", "std_alpha_if_deleted",
            "g6_if_deleted"]
    np.testing.assert_allclose(res.items[cols], raw.items[cols], rtol=0, atol=1e-12)
    assert res.items["mean"].isna().all()


# --------------------------------------------------------------------------------------
# Reference values: R multilevel ICC1 / ICC2 on bhr2000
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", REF["icc"], ids=[c["score"] for c in REF["icc"]])
def test_icc_matches_multilevel(case):
    bhr = pd.read_csv(REFERENCE / "bhr2000.csv")
    res = group_reliability(bhr, score=case["score"], group=case["group"])
    assert res.icc1 == pytest.approx(case["icc1"], abs=TOL)
    assert res.icc2 == pytest.approx(case["icc2"], abs=TOL)
    assert res.ms_between == pytest.approx(case["ms_between"], rel=1e-10)
    assert res.ms_within == pytest.approx(case["ms_within"], rel=1e-10)
    assert res.f_statistic == pytest.approx(case["f_statistic"], rel=1e-10)
    assert res.p_value == pytest.approx(case["p_value"], rel=1e-8)
    assert (res.n, res.n_groups) == (case["n"], case["n_groups"])
    assert res.mean_group_size == pytest.approx(case["mean_group_size"], rel=1e-12)
    # the groups are unbalanced (8 to 188 members): ICC1 uses the mean size N / G
    sizes = bhr.groupby(case["group"]).size()
    assert sizes.nunique() > 1
    # ICC(2) is the Spearman–Brown step-up of ICC(1) to the mean group size
    k = res.mean_group_size
    assert res.icc2 == pytest.approx(k * res.icc1 / (1 + (k - 1) * res.icc1), abs=1e-12)


def test_responses_needed_inverts_spearman_brown():
    bhr = pd.read_csv(REFERENCE / "bhr2000.csv")
    res = group_reliability(bhr, score="HRS", group="GRP")
    for target in (0.7, 0.8, 0.9):
        k = res.responses_needed(target)
        sb = lambda m: m * res.icc1 / (1 + (m - 1) * res.icc1)  # noqa: E731
        assert sb(k) >= target > sb(k - 1)
    exact = GroupReliabilityResult(icc1=0.2, icc2=0.5, n_groups=3, n=12,
                                   mean_group_size=4.0, f_statistic=2.0, p_value=0.2,
                                   ms_between=2.0, ms_within=1.0)
    assert exact.responses_needed(0.8) == 16  # 0.8 · 0.8 / (0.2 · 0.2), no rounding up


def test_group_reliability_arrays_and_missing():
    bhr = pd.read_csv(REFERENCE / "bhr2000.csv")
    ref = group_reliability(bhr, score="HRS", group="GRP")
    score = bhr["HRS"].astype(float).to_numpy().copy()
    group = bhr["GRP"].astype(object).to_numpy().copy()
    score = np.append(score, [np.nan, 3.0])
    group = np.append(group, [1, None])
    res = group_reliability(score=score, group=group)
    assert res.n_missing == 2
    assert res.icc1 == pytest.approx(ref.icc1, abs=1e-12)
    assert "2 row(s) without a score or a group" in res.notes[0]
    shuffled = bhr.sample(frac=1, random_state=3)
    assert group_reliability(shuffled, score="HRS", group="GRP").icc1 == \
        pytest.approx(ref.icc1, abs=1e-12)


# --------------------------------------------------------------------------------------
# omega (psych::omega, one factor)
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", REF["omega"],
                         ids=[f"{c['dataset']}-{c['block']}" for c in REF["omega"]])
def test_omega_matches_psych(case):
    res = omega(_data(case["dataset"]), case["items"], reverse=case["reverse"],
                scale=tuple(case["scale"]))
    # the factor fit converges to ~1e-7 (cxkit._factor); psych's own tolerance is coarser
    assert res.omega_total == pytest.approx(case["omega_total"], abs=1e-6)
    assert res.omega_hierarchical == pytest.approx(case["omega_h"], abs=1e-5)
    assert res.loadings.index.tolist() == case["items"]
    assert {"g", "F1", "h2", "u2"} <= set(res.loadings.columns)
    assert (res.k, res.n_factors, res.ci) == (len(case["items"]), 1, None)


def test_omega_bootstrap_interval():
    bfi = _data("bfi")
    res = omega(bfi, ["N1", "N2", "N3", "N4", "N5"], n_resamples=30, rng=2)
    assert res.ci.method == "bootstrap"
    assert res.ci.low < res.omega_total < res.ci.high
    again = omega(bfi, ["N1", "N2", "N3", "N4", "N5"], n_resamples=30, rng=2)
    assert tuple(again.ci) == tuple(res.ci)


def test_omega_from_covariance_matches_complete_data():
    bank = _data("bank_satisfaction")
    items = ["qual1", "qual2", "qual3", "qual4", "qual5"]
    raw = omega(bank, items)
    res = omega(cov=bank[items].cov(), n=len(bank))
    assert res.omega_total == pytest.approx(raw.omega_total, abs=1e-10)


# --------------------------------------------------------------------------------------
# Bootstrap of alpha
# --------------------------------------------------------------------------------------


class _FixedCounts:
    """Stands in for a Generator: multinomial() returns the given pattern counts."""

    def __init__(self, counts):
        self.counts = np.asarray(counts)

    def multinomial(self, n, pvals, size):
        assert self.counts.sum() == n and len(pvals) == len(self.counts)
        return np.tile(self.counts, (size, 1))


@pytest.mark.parametrize("missing", [0.0, 0.15])
def test_bootstrap_weights_equal_resampled_rows(missing):
    """Multinomial pattern counts give exactly the covariance of the resampled rows."""
    df = _likert(4, 60, 4, missing=missing, levels=3)
    x = df.to_numpy()
    coded = np.where(np.isnan(x), -np.inf, x)
    patterns, counts = np.unique(coded, axis=0, return_counts=True)
    patterns[np.isinf(patterns)] = np.nan
    rng = np.random.default_rng(5)
    draw = rng.multinomial(len(x), counts / len(x))
    resampled = pd.DataFrame(np.repeat(patterns, draw, axis=0))
    sign = np.array([1.0, -1.0, 1.0, 1.0])
    cov, corr = next(_bootstrap_covs((x, sign), 1, _FixedCounts(draw)))
    expected = resampled.cov().to_numpy() * np.outer(sign, sign)
    np.testing.assert_allclose(cov, expected, rtol=1e-12, atol=1e-12)
    expected_r = resampled.corr().to_numpy() * np.outer(sign, sign)
    np.testing.assert_allclose(corr, expected_r, rtol=1e-12, atol=1e-12)


def test_bootstrap_interval_alpha():
    bfi = _data("bfi")
    items = ["N1", "N2", "N3", "N4", "N5"]
    res = cronbach_alpha(bfi, items, method="bootstrap", n_resamples=400, rng=7)
    assert res.ci.method == "bootstrap" and res.method == "bootstrap"
    feldt = res.confidence_interval("feldt")
    assert res.ci.low == pytest.approx(feldt.low, abs=0.006)
    assert res.ci.high == pytest.approx(feldt.high, abs=0.006)
    same = res.confidence_interval("bootstrap", n_resamples=400, rng=7)
    assert tuple(same) == tuple(res.ci)
    listwise = cronbach_alpha(bfi, items, nan_policy="listwise", method="bootstrap",
                              n_resamples=50, rng=1)
    assert listwise.ci.low < listwise.alpha < listwise.ci.high


# --------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------

SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(8, 80), k=st.integers(2, 6),
       missing=st.sampled_from([0.0, 0.1]))
def test_row_order_does_not_matter(seed, n, k, missing):
    df = _likert(seed, n, k, missing=missing)
    if not _usable(df):
        return
    perm = np.random.default_rng(seed).permutation(n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        a = cronbach_alpha(df)
        b = cronbach_alpha(df.iloc[perm])
    for name in ("alpha", "std_alpha", "g6", "average_r"):
        assert getattr(b, name) == pytest.approx(getattr(a, name), abs=1e-12, nan_ok=True)
    np.testing.assert_allclose(b.items["r_drop"], a.items["r_drop"], atol=1e-12)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(3, 40), k=st.integers(1, 5),
       lo=st.integers(-2, 1), width=st.integers(1, 10))
def test_reversing_twice_is_identity(seed, n, k, lo, width):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(rng.integers(lo, lo + width + 1, size=(n, k)),
                      columns=[f"q{j}" for j in range(k)])
    df["other"] = "x"
    items = list(df.columns[:k])
    once = reverse_items(df, items, scale=(lo, lo + width))
    assert (once[items] == lo + lo + width - df[items]).all().all()
    pd.testing.assert_frame_equal(reverse_items(once, items, scale=(lo, lo + width)), df)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(8, 80), k=st.integers(2, 6),
       missing=st.sampled_from([0.0, 0.1]), policy=st.sampled_from(["pairwise", "listwise"]))
def test_covariance_equals_raw(seed, n, k, missing, policy):
    df = _likert(seed, n, k, missing=missing)
    used = df.dropna() if policy == "listwise" else df.dropna(how="all")
    if not _usable(used) or len(used) < 3:
        return
    if np.linalg.eigvalsh(used.corr().to_numpy()).min() < -1e-8:
        # pairwise covariances need not form a covariance matrix; cov= refuses them
        with pytest.raises(ValueError, match="negative eigenvalue"):
            cronbach_alpha(cov=used.cov(), n=len(used))
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        raw = cronbach_alpha(df, nan_policy=policy, reverse=["q1"])
        res = cronbach_alpha(cov=used.cov(), n=len(used), reverse=["q1"])
    assert raw.n == len(used)
    for name in ("alpha", "std_alpha", "g6", "average_r"):
        assert getattr(res, name) == pytest.approx(getattr(raw, name), abs=1e-10)
    assert tuple(res.ci) == pytest.approx(tuple(raw.ci), abs=1e-10)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(8, 80), k=st.integers(2, 6))
def test_reverse_option_equals_recoded_data(seed, n, k):
    df = _likert(seed, n, k)
    if not _usable(df):
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        a = cronbach_alpha(df, reverse=["q2"], scale=(1, 5))
        b = cronbach_alpha(reverse_items(df, ["q2"], scale=(1, 5)), scale=(1, 5))
    assert a.alpha == pytest.approx(b.alpha, abs=1e-12)
    np.testing.assert_allclose(a.items["mean"], b.items["mean"], atol=1e-12)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(8, 80), k=st.integers(2, 6),
       level=st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_pingouin_agrees_on_complete_data(seed, n, k, level):
    pingouin = pytest.importorskip("pingouin")
    df = _likert(seed, n, k)
    if not _usable(df):
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        res = cronbach_alpha(df, confidence_level=level)
    alpha, ci = pingouin.cronbach_alpha(df, ci=level)
    assert res.alpha == pytest.approx(alpha, abs=1e-10)
    # pingouin rounds its (Feldt) interval to 3 decimals
    assert tuple(res.ci) == pytest.approx(tuple(ci), abs=5e-4 + 1e-12)
    for method in ("feldt", "duhachek"):
        assert res.confidence_interval(method).contains(res.alpha)


# --------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------


def test_result_object():
    bfi = _data("bfi")
    res = cronbach_alpha(bfi, ["A1", "A2", "A3", "A4", "A5"], reverse="A1")
    assert isinstance(res, AlphaResult)
    assert res.reverse == ("A1",)
    assert res.scale == (1.0, 6.0) and res.scale_inferred
    assert res.n_missing == int(bfi[["A1", "A2", "A3", "A4", "A5"]].isna().sum().sum())
    assert list(res.items.columns[:5]) == ["n", "mean", "sd", "reversed", "r_drop"]
    assert {"alpha_if_deleted", "std_alpha_if_deleted", "g6_if_deleted", "r_cor"} <= \
        set(res.items.columns)
    assert res.items.loc["A1", "mean"] == pytest.approx(7 - bfi["A1"].mean(), abs=1e-12)
    text = repr(res)
    assert text.startswith("Cronbach's alpha") and "feldt" in text and "7 − x" in text
    assert "pairwise deletion" in text
    d = res.to_dict()
    assert d["ci_low"] == res.ci.low and d["method"] == "feldt"
    json.dumps(d)
    assert "_cov" not in d and "_rows" not in d
    assert res.to_frame().shape[0] == 1
    assert "<table" in res._repr_html_()
    listwise = cronbach_alpha(bfi, ["A1", "A2", "A3", "A4", "A5"], reverse="A1",
                              nan_policy="listwise")
    assert listwise.n_missing == 2800 - 2709 and listwise.n == 2709
    assert "listwise deletion: 91 of 2800 rows" in " ".join(listwise.notes)


def test_numpy_input_and_names():
    df = _likert(1, 50, 4)
    a = cronbach_alpha(df)
    b = cronbach_alpha(df.to_numpy())
    assert b.alpha == pytest.approx(a.alpha, abs=1e-14)
    assert b.items.index.tolist() == ["item1", "item2", "item3", "item4"]
    with pytest.warns(UserWarning, match="'b' correlate negatively"):  # b is not reversed
        c = cronbach_alpha(df.to_numpy(), items=["a", "b", "c", "d"], reverse="b")
    assert c.reverse == ("b",)
    cov = cronbach_alpha(cov=df.cov().to_numpy(), n=50, items=["a", "b", "c", "d"])
    assert cov.alpha == pytest.approx(a.alpha, abs=1e-12)


def test_nullable_and_integer_columns():
    bfi = _data("bfi")
    items = ["C1", "C2", "C3", "C4", "C5"]
    a = cronbach_alpha(bfi, items, reverse=["C4", "C5"], scale=(1, 6))
    b = cronbach_alpha(bfi[items].astype("Int64"), reverse=["C4", "C5"], scale=(1, 6))
    c = cronbach_alpha(bfi[items].astype("float32"), reverse=["C4", "C5"], scale=(1, 6))
    assert a.alpha == pytest.approx(b.alpha, abs=1e-14)
    assert a.alpha == pytest.approx(c.alpha, abs=1e-14)


def test_empty_rows_are_not_counted():
    df = _likert(2, 40, 3)
    more = pd.concat([df, pd.DataFrame(np.nan, index=[100, 101], columns=df.columns)])
    res = cronbach_alpha(more)
    assert res.n == 40 and res.alpha == pytest.approx(cronbach_alpha(df).alpha, abs=1e-14)
    assert any("2 row(s) answer none of the items" in note for note in res.notes)


# --------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------


@pytest.fixture
def survey():
    return _likert(11, 30, 4)


def test_fewer_than_two_items(survey):
    with pytest.raises(ValueError, match="at least 2 columns"):
        cronbach_alpha(survey, ["q1"])
    with pytest.raises(ValueError, match="at least 2 item columns"):
        cronbach_alpha(survey[["q1"]])
    with pytest.raises(ValueError, match="at least 2 items"):
        cronbach_alpha(cov=np.ones((1, 1)), n=10)


def test_fewer_than_two_complete_rows(survey):
    sparse = survey.copy()
    sparse.iloc[1:, 0] = np.nan
    with pytest.raises(ValueError, match=r"only 1 of 30 rows of `data` answer every item.*"
                                         r"nan_policy='pairwise'"):
        cronbach_alpha(sparse, nan_policy="listwise")
    with pytest.raises(ValueError, match="item 'q1' is answered in only 1 row"):
        cronbach_alpha(sparse)
    overlap = survey.copy()  # each item answered often enough, but never together
    overlap.iloc[:15, 0] = np.nan
    overlap.iloc[15:, 1] = np.nan
    with pytest.raises(ValueError, match="'q1' and 'q2' are answered together in only 0 row"):
        cronbach_alpha(overlap)


def test_non_numeric_item_is_named(survey):
    survey["q3"] = survey["q3"].astype(object)
    survey.loc[4, "q3"] = "agree"
    with pytest.raises(TypeError, match="column 'q3'.*non-numeric.*'agree'"):
        cronbach_alpha(survey)
    survey["q3"] = survey["q1"] > 2
    with pytest.raises(TypeError, match="'q3' holds booleans"):
        cronbach_alpha(survey)


def test_zero_variance_item_is_named(survey):
    survey["q2"] = 4.0
    with pytest.raises(ValueError, match=r"'q2' is always 4\).*undefined or misleading"):
        cronbach_alpha(survey)
    cov = survey.cov()
    with pytest.raises(ValueError, match="no variance.*'q2'"):
        cronbach_alpha(cov=cov, n=30)


def test_item_without_answers(survey):
    survey["q4"] = np.nan
    with pytest.raises(ValueError, match="'q4' have no answers at all"):
        cronbach_alpha(survey)


def test_unknown_item(survey):
    with pytest.raises(ValueError, match=r"'Q1' \(did you mean 'q1'\?\)"):
        cronbach_alpha(survey, ["Q1", "q2"])


def test_reverse_items_not_in_items(survey):
    with pytest.raises(ValueError, match=r"`reverse` names 1 item\(s\) not among the items "
                                         r"analysed: 'q4'"):
        cronbach_alpha(survey, ["q1", "q2", "q3"], reverse=["q4"])
    with pytest.raises(ValueError, match="more than once"):
        cronbach_alpha(survey, reverse=["q1", "q1"])
    with pytest.raises(TypeError, match="`reverse` must be an item name or a list"):
        cronbach_alpha(survey, reverse={"q1"})


def test_values_outside_scale(survey):
    survey.loc[0, "q2"] = 7
    with pytest.raises(ValueError, match=r"column 'q2' has 1 value outside 1–5 \(e.g. 7\)"):
        cronbach_alpha(survey, scale=(1, 5))
    with pytest.raises(ValueError, match=r"outside 1–5 \(e.g. 7\)"):
        reverse_items(survey, "q2", scale=(1, 5))
    with pytest.raises(ValueError, match="min < max"):
        cronbach_alpha(survey, scale=(5, 1))
    with pytest.raises(TypeError, match="pair"):
        cronbach_alpha(survey, scale=5)
    with pytest.raises(TypeError, match="`scale` is required"):
        reverse_items(survey, "q2", scale=None)


def test_negative_alpha_warns_with_items():
    df = _likert(3, 200, 3)
    df["q3"] = 6 - df["q3"]
    df["q2"] = 6 - df["q2"]
    with pytest.warns(UserWarning, match=r"alpha is negative.*'q1'.*reverse=\[\.\.\.\]"):
        res = cronbach_alpha(df)
    assert res.alpha < 0
    five = _likert(4, 400, 5)
    five["q3"] = 6 - five["q3"]  # one unreversed item among five: alpha stays positive
    with pytest.warns(UserWarning, match="'q3'.* correlate negatively"):
        res = cronbach_alpha(five)
    assert res.alpha > 0 and res.items.loc["q3", "r_drop"] < 0


def test_argument_combinations(survey):
    cov = survey.cov()
    with pytest.raises(TypeError, match="`n` is required with `cov=`"):
        cronbach_alpha(cov=cov)
    with pytest.raises(TypeError, match="not both"):
        cronbach_alpha(survey, cov=cov, n=30)
    with pytest.raises(TypeError, match="`n` goes with `cov`"):
        cronbach_alpha(survey, n=30)
    with pytest.raises(TypeError, match="pass the responses as `data`"):
        cronbach_alpha()
    with pytest.raises(ValueError, match="bootstrap interval .* needs the raw responses"):
        cronbach_alpha(cov=cov, n=30, method="bootstrap")
    with pytest.raises(ValueError, match="bootstrap interval .* needs the raw responses"):
        cronbach_alpha(cov=cov, n=30).confidence_interval("bootstrap")
    asym = cov.to_numpy().copy()
    asym[0, 1] += 0.5
    with pytest.raises(ValueError, match="symmetric"):
        cronbach_alpha(cov=asym, n=30)
    with pytest.raises(ValueError, match="square"):
        cronbach_alpha(cov=np.ones((2, 3)), n=30)
    with pytest.raises(ValueError, match="`n` must be an integer >= 2"):
        cronbach_alpha(cov=cov, n=1)
    with pytest.raises(ValueError, match=r"`method` must be one of .*did you mean 'feldt'"):
        cronbach_alpha(survey, method="feld")
    with pytest.raises(ValueError, match="did you mean 0.95"):
        cronbach_alpha(survey, confidence_level=95)
    with pytest.raises(ValueError, match="`nan_policy` must be one of 'pairwise', 'listwise'"):
        cronbach_alpha(survey, nan_policy="omit")
    with pytest.raises(TypeError, match=r"unknown option\(s\) for method='feldt': 'rng'"):
        cronbach_alpha(survey).confidence_interval("feldt", rng=1)
    with pytest.raises(TypeError, match="must be a pandas DataFrame"):
        cronbach_alpha(survey["q1"])


def test_omega_bad_input(survey):
    with pytest.raises(ValueError, match="omega needs at least 3 items"):
        omega(survey, ["q1", "q2"])
    with pytest.raises(ValueError, match="pass n_resamples=0"):
        omega(cov=survey.cov(), n=30, n_resamples=10)
    with pytest.raises(ValueError, match="`n_factors` must be an integer >= 1"):
        omega(survey, n_factors=0)


def test_group_with_one_member_warns():
    score = [1.0, 2, 3, 4, 5, 6, 7]
    group = ["a", "a", "b", "b", "c", "c", "solo"]
    with pytest.warns(UserWarning, match=r"1 group\(s\) have only one member \(e.g. 'solo'\)"):
        res = group_reliability(score=score, group=group)
    assert res.n_groups == 4 and res.n == 7
    assert any("only one member" in note for note in res.notes)


def test_group_reliability_bad_input():
    with pytest.raises(ValueError, match="every `group` has only one member"):
        group_reliability(score=[1.0, 2, 3], group=["a", "b", "c"])
    with pytest.raises(ValueError, match="at least 2 groups"):
        group_reliability(score=[1.0, 2, 3], group=["a", "a", "a"])
    with pytest.raises(ValueError, match="no variance"):
        group_reliability(score=[2.0, 2, 2, 2], group=["a", "a", "b", "b"])
    with pytest.raises(ValueError, match="same length"):
        group_reliability(score=[1.0, 2, 3], group=["a", "b"])
    with pytest.raises(TypeError, match="non-numeric"):
        group_reliability(score=["x", 2, 3, 4], group=["a", "a", "b", "b"])
    df = pd.DataFrame({"s": [1.0, 2, 3, 4], "g": ["a", "a", "b", "b"]})
    with pytest.raises(ValueError, match=r"'S' \(did you mean 's'\?\)"):
        group_reliability(df, score="S", group="g")
    flat = group_reliability(score=[1.0, 2, 1, 2], group=["a", "a", "b", "b"])
    assert flat.icc1 < 0
    assert any("negative" in note for note in flat.notes)
    with pytest.warns(UserWarning, match="do not differ more than chance"):
        assert flat.responses_needed() is None  # a finding to report, not a failure
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        flat.responses_needed(1.0)


def test_two_item_scale_has_no_alpha_if_deleted():
    ecsi = _data("ecsi_mobile")
    res = cronbach_alpha(ecsi, ["PERV1", "PERV2"])
    assert res.items["alpha_if_deleted"].isna().all()
    assert math.isfinite(res.alpha)


def test_omega_names_a_flipped_item_and_says_it_once_not_once_per_resample():
    from cxkit.datasets import simulate_survey

    survey = simulate_survey(n=300, loadings=[0.8, 0.7, 0.6, 0.7, 0.6], reverse=["item_3"],
                             rng=1)  # item_3 left un-reversed: it loads negatively
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        omega(survey.data, n_resamples=200, rng=2)
    messages = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    flipped = [m for m in messages if "load negatively on the general factor" in m]
    assert len(flipped) == 1, messages  # 200 resamples say the same thing: shown once
    assert "'item_3'" in flipped[0] and "position" not in flipped[0]
    assert len(messages) <= 3


def test_omega_refuses_a_factor_model_that_is_not_identified():
    from cxkit.datasets import simulate_survey

    survey = simulate_survey(n=300, loadings=[0.8, 0.7, 0.6, 0.7, 0.6], rng=1)
    with pytest.raises(ValueError, match=r"`n_factors`: 3 factor\(s\) for 5 items leave -2 "
                       r"degrees of freedom.*use n_factors <= 2"):
        omega(survey.data, n_factors=3)
