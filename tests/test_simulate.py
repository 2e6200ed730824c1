"""simulate_survey: the data it draws and the population alpha/omega it reports.

The population values are exact (bivariate-normal rectangle probabilities), so they are
checked three ways: against closed forms (binary items, tau-equivalent items, the
continuum limit), against scipy.stats.multivariate_normal, and against large samples
(within a few standard errors). The sample alpha here is the textbook formula on the
re-keyed data, computed in this file, so the test does not depend on cxkit.reliability.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from cxkit.datasets import SimulatedSurvey, _omega_total, simulate_survey

LOADINGS = [0.8, 0.7, 0.6, 0.5, 0.4, 0.3]
TWO_FACTORS = [[0.7, 0.0], [0.6, 0.1], [0.5, 0.3], [0.0, 0.7], [0.2, 0.6], [0.1, 0.5]]


def rekey(sim: SimulatedSurvey) -> np.ndarray:
    """The data as an analyst uses it: reverse-keyed items recoded min + max - x."""
    x = sim.data.to_numpy(dtype=float)
    lo, hi = sim.scale
    for j, name in enumerate(sim.items):
        if name in sim.reverse:
            x[:, j] = lo + hi - x[:, j]
    return x


def sample_alpha(x: np.ndarray) -> float:
    cov = np.cov(x, rowvar=False)
    k = cov.shape[0]
    return k / (k - 1) * (1 - np.trace(cov) / cov.sum())


def sample_omega(x: np.ndarray, n_factors: int) -> float:
    """The same omega-total definition as the population value, on the sample correlations."""
    return _omega_total(np.corrcoef(x, rowvar=False), n_factors)


def block_se(x: np.ndarray, statistic, blocks: int = 40) -> float:
    """Standard error of the full-sample statistic from its spread over disjoint blocks."""
    values = [statistic(part) for part in np.array_split(x, blocks)]
    return float(np.std(values, ddof=1) / math.sqrt(blocks))


# --------------------------------------------------------------------------- the data


def test_shape_dtype_names_and_range():
    sim = simulate_survey(300, loadings=LOADINGS, scale=(0, 10), rng=1)
    assert sim.data.shape == (300, 6)
    assert sim.items == [f"item_{j}" for j in range(1, 7)]
    assert all(str(t) == "Int64" for t in sim.data.dtypes)
    assert int(sim.data.min().min()) >= 0 and int(sim.data.max().max()) <= 10
    assert not sim.data.isna().any().any()
    assert (sim.n, sim.k) == (300, 6)
    named = simulate_survey(5, loadings=[0.5, 0.5], item_names=["q1", "q2"], rng=1)
    assert named.items == ["q1", "q2"] and list(named.cov.index) == ["q1", "q2"]


def test_same_seed_same_data_and_no_global_state():
    np.random.seed(123)  # noqa: NPY002 - the legacy global state must stay untouched
    before = np.random.get_state()[1].copy()  # noqa: NPY002
    a = simulate_survey(200, loadings=LOADINGS, reverse=["item_2"], rng=42)
    b = simulate_survey(200, loadings=LOADINGS, reverse=["item_2"], rng=42)
    c = simulate_survey(200, loadings=LOADINGS, reverse=["item_2"], rng=43)
    pd.testing.assert_frame_equal(a.data, b.data)
    assert not a.data.equals(c.data)
    assert np.array_equal(np.random.get_state()[1], before)  # noqa: NPY002
    generator = np.random.default_rng(42)
    pd.testing.assert_frame_equal(simulate_survey(200, loadings=LOADINGS, reverse=["item_2"],
                                                  rng=generator).data, a.data)


def test_reverse_keyed_items_are_answered_reversed():
    plain = simulate_survey(2000, loadings=LOADINGS, scale=(1, 7), rng=5)
    rev = simulate_survey(2000, loadings=LOADINGS, scale=(1, 7), reverse=["item_4", "item_2"],
                          rng=5)
    assert rev.reverse == ("item_2", "item_4")  # item order, not the order given
    for name in plain.items:
        expected = 8 - plain.data[name] if name in rev.reverse else plain.data[name]
        pd.testing.assert_series_equal(rev.data[name], expected)
    # the respondent's answers correlate negatively with the other items ...
    corr = rev.data.astype(float).corr()
    assert corr.loc["item_2", "item_1"] < 0 and corr.loc["item_4", "item_1"] < 0
    # ... re-keying restores the original data, and the population values ignore keying
    assert np.array_equal(rekey(rev), plain.data.to_numpy(dtype=float))
    assert rev.alpha == plain.alpha and rev.omega == plain.omega
    single = simulate_survey(10, loadings=LOADINGS, reverse="item_3", rng=1)
    assert single.reverse == ("item_3",)


def test_answer_shares_match_threshold_probabilities():
    sim = simulate_survey(200_000, loadings=LOADINGS, rng=11)  # default: 1/K each
    shares = sim.data["item_1"].value_counts(normalize=True).sort_index()
    assert list(shares.index) == [1, 2, 3, 4, 5]
    assert np.allclose(shares, 0.2, atol=0.005)
    cuts = [-2.0, -1.2, -0.3, 0.6]  # skewed towards high answers
    skewed = simulate_survey(200_000, loadings=LOADINGS, thresholds=cuts, rng=11)
    expected = np.diff(np.concatenate([[0.0], stats.norm.cdf(cuts), [1.0]]))
    observed = skewed.data["item_3"].value_counts(normalize=True).sort_index()
    assert np.allclose(observed, expected, atol=0.005)
    assert skewed.thresholds == tuple(cuts)
    var = (expected * np.arange(5) ** 2).sum() - (expected * np.arange(5)).sum() ** 2
    assert np.allclose(np.diag(skewed.cov), var, rtol=1e-12)


# --------------------------------------------------------------------------- population values


@pytest.mark.parametrize("loadings, reverse, scale, thresholds", [
    (LOADINGS, ["item_2", "item_5"], (1, 5), None),
    (TWO_FACTORS, [], (1, 7), None),
    ([0.7, 0.6, 0.5, 0.6], ["item_1"], (1, 5), [-2.0, -1.2, -0.3, 0.6]),
    ([0.6, 0.5, 0.7, 0.4], [], (0, 10), None),
])
def test_sample_alpha_and_omega_converge_to_population(loadings, reverse, scale, thresholds):
    sim = simulate_survey(400_000, loadings=loadings, reverse=reverse, scale=scale,
                          thresholds=thresholds, rng=2024)
    x = rekey(sim)
    n_factors = np.shape(loadings)[1] if np.ndim(loadings) == 2 else 1
    alpha, se_alpha = sample_alpha(x), block_se(x, sample_alpha)
    assert abs(alpha - sim.alpha) < 4 * se_alpha, (alpha, sim.alpha, se_alpha)
    omega = sample_omega(x, n_factors)
    se_omega = block_se(x, lambda part: sample_omega(part, n_factors))
    assert abs(omega - sim.omega) < 4 * se_omega, (omega, sim.omega, se_omega)
    assert 0 < se_alpha < 0.005
    # the covariance matrix itself: entrywise within 5 standard errors
    n = x.shape[0]
    centred = x - x.mean(axis=0)
    products = centred[:, :, None] * centred[:, None, :]
    se_cov = products.std(axis=0) / math.sqrt(n)
    assert (np.abs(np.cov(x, rowvar=False) - sim.cov.to_numpy()) < 5 * se_cov).all()


def test_covariance_matches_scipy_bivariate_normal():
    cuts = np.array([[-1.0, 0.2, 1.1], [-0.4, 0.3, 0.9], [-1.6, -0.5, 0.0]])
    lam = np.array([0.9, -0.75, 0.35])
    sim = simulate_survey(2, loadings=lam, scale=(1, 4), thresholds=cuts, rng=0)
    for i, j in [(0, 1), (0, 2), (1, 2)]:
        rho = lam[i] * lam[j]
        mvn = stats.multivariate_normal(mean=[0.0, 0.0], cov=[[1.0, rho], [rho, 1.0]])
        expected = sum(mvn.cdf([a, b]) - stats.norm.cdf(a) * stats.norm.cdf(b)
                       for a in cuts[i] for b in cuts[j])
        assert sim.cov.iloc[i, j] == pytest.approx(expected, abs=1e-7)
        assert sim.cov.iloc[j, i] == sim.cov.iloc[i, j]


def test_binary_items_closed_form():
    # two categories cut at 0: cov = Φ₂(0, 0; ρ) - 1/4 = arcsin(ρ) / 2π, var = 1/4
    lam = np.array([0.9, 0.6, 0.3, -0.5])
    sim = simulate_survey(2, loadings=lam, scale=(0, 1), rng=0)
    expected = np.arcsin(np.outer(lam, lam)) / (2 * np.pi)
    np.fill_diagonal(expected, 0.25)
    assert np.allclose(sim.cov.to_numpy(), expected, atol=1e-13)
    k = 4
    alpha = k / (k - 1) * (1 - np.trace(expected) / expected.sum())
    assert sim.alpha == pytest.approx(alpha, abs=1e-12)


def test_tau_equivalent_items_alpha_equals_omega():
    sim = simulate_survey(2, loadings=[0.65] * 5, rng=0)
    assert sim.omega == pytest.approx(sim.alpha, abs=1e-10)
    assert sim.alpha < sim.omega_latent  # coarse answers lose reliability
    k, l2 = 5, 0.65 ** 2
    assert sim.omega_latent == pytest.approx(k * l2 / (1 + (k - 1) * l2), abs=1e-14)


def test_many_fine_categories_approach_the_continuous_model():
    cuts = np.linspace(-4.0, 4.0, 100)  # 101 answers, evenly spaced on the latent scale
    sim = simulate_survey(2, loadings=[0.8, 0.7, 0.6, 0.5], scale=(0, 100), thresholds=cuts,
                          rng=0)
    lam = np.array([0.8, 0.7, 0.6, 0.5])
    latent = np.outer(lam, lam)
    np.fill_diagonal(latent, 1.0)
    alpha_latent = 4 / 3 * (1 - 4 / latent.sum())
    assert sim.alpha == pytest.approx(alpha_latent, abs=2e-3)
    assert sim.omega == pytest.approx(sim.omega_latent, abs=2e-3)


def test_multi_factor_latent_omega_and_loadings_shape():
    sim = simulate_survey(3, loadings=TWO_FACTORS, rng=0)
    lam = np.array(TWO_FACTORS)
    common = (lam.sum(axis=0) ** 2).sum()
    assert sim.omega_latent == pytest.approx(common / (common + (1 - (lam ** 2).sum(1)).sum()))
    assert sim.loadings == tuple(tuple(row) for row in TWO_FACTORS)
    assert simulate_survey(3, loadings=[0.5, 0.4, 0.3], rng=0).loadings == (0.5, 0.4, 0.3)
    assert "factors=2" in repr(sim)


def test_edge_cases():
    # no common factor: uncorrelated items, alpha and omega 0
    null = simulate_survey(50, loadings=[0.0] * 4, rng=0)
    assert null.alpha == pytest.approx(0.0, abs=1e-12)
    assert null.omega == pytest.approx(0.0, abs=1e-9)
    assert np.allclose(null.cov.to_numpy() - np.diag(np.diag(null.cov)), 0.0, atol=1e-15)
    # two items: alpha is defined, a one-factor omega is not identified
    pair = simulate_survey(2, loadings=[0.7, 0.7], rng=0)
    assert pair.data.shape == (2, 2)
    c = pair.cov.to_numpy()
    assert pair.alpha == pytest.approx(2 * (1 - np.trace(c) / c.sum()))
    assert math.isnan(pair.omega) and not math.isnan(pair.omega_latent)
    # a negatively loading item that is not declared reverse-keyed lowers alpha
    unkeyed = simulate_survey(2, loadings=[0.7, 0.7, -0.7], rng=0)
    keyed = simulate_survey(2, loadings=[0.7, 0.7, 0.7], rng=0)
    assert unkeyed.alpha < 0 < keyed.alpha
    # loadings close to 1
    strong = simulate_survey(1000, loadings=[0.999, 0.998, 0.997], rng=0)
    assert 0.9 < strong.alpha < 1 and 0.9 < strong.omega < 1


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(n=1), ValueError, r"`n` must be an integer >= 2"),
    (dict(n=10.5), ValueError, r"`n`"),
    (dict(loadings=[0.5]), ValueError, r"at least 2 items"),
    (dict(loadings=[0.5, 1.0]), ValueError, r"strictly between -1 and 1"),
    (dict(loadings=[0.5, float("nan")]), ValueError, r"strictly between -1 and 1"),
    (dict(loadings=[[0.8, 0.7], [0.5, 0.1]]), ValueError, r"row 0 .* adding up to 1.13"),
    (dict(loadings=["a", "b"]), TypeError, r"`loadings`"),
    (dict(loadings=np.zeros((2, 2, 2))), ValueError, r"k × f array"),
    (dict(scale=(5, 1)), ValueError, r"`scale` must have lowest < highest"),
    (dict(scale=(1, 1.5)), TypeError, r"pair of integers"),
    (dict(scale=5), TypeError, r"pair"),
    (dict(scale=(0, 200)), ValueError, r"at most 101"),
    (dict(thresholds=[0.0, 1.0]), ValueError, r"4 cut points"),
    (dict(thresholds=[0.0, 1.0, 0.5, 2.0]), ValueError, r"strictly increasing"),
    (dict(thresholds=[-1.0, 0.0, 1.0, float("inf")]), ValueError, r"finite"),
    (dict(thresholds=np.zeros((2, 4))), ValueError, r"shape \(2, 4\)"),
    (dict(reverse=["itm_2"]), ValueError, r"unknown items \['itm_2'\].*did you mean 'item_2'"),
    (dict(reverse=["item_1", "item_1"]), ValueError, r"more than once"),
    (dict(reverse=[1]), TypeError, r"item names"),
    (dict(item_names=["a", "b"]), ValueError, r"name the 3 items"),
    (dict(item_names=["a", "a", "b"]), ValueError, r"unique"),
    (dict(item_names="abc"), TypeError, r"sequence of 3 strings"),
    (dict(rng=np.random.RandomState(1)), TypeError, r"legacy"),
    (dict(rng=-1), ValueError, r"non-negative"),
])
def test_bad_inputs(kwargs, error, match):
    arguments = dict(n=10, loadings=[0.7, 0.6, 0.5], rng=0) | kwargs
    n = arguments.pop("n")
    with pytest.raises(error, match=match):
        simulate_survey(n, **arguments)
