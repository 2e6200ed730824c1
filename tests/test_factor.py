"""cxkit._factor: minres, oblimin, Schmid-Leiman and omega against R psych::omega.

Reference values: tests/reference/omega_reference.json, written by
tests/reference/omega_reference.R (psych 2.2.9, GPArotation 2022.10.2) from the bundled
data sets. The issue's tolerances are 1e-3 for omega total and 1e-2 for omega
hierarchical; the observed differences are far smaller (omega total ~1e-8, omega_h
~4e-6, loadings ~2e-5, limited by where psych's optim stops), and the tests also assert
tighter bounds so that a regression shows long before it matters.
"""

from __future__ import annotations

import json
import warnings
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from cxkit import _factor
from cxkit._factor import minres, oblimin, omega_coefficients, schmid_leiman, smc
from cxkit.datasets import load_dataset

REFERENCE = json.loads(
    (Path(__file__).parent / "reference" / "omega_reference.json").read_text())
CASES = REFERENCE["cases"]
DATASET = {"bfi25_3f": "bfi", "bfi25_5f": "bfi", "bfi_AC_2f": "bfi", "bfi_A_1f": "bfi",
           "bank27_3f": "bank_satisfaction", "bank_sat_1f": "bank_satisfaction",
           "ecsi24_3f": "ecsi_mobile", "spi_compassion_1f": "spi_compassion",
           "heywood_1f": None, "nonpd_1f": None}  # None: the JSON holds the matrix
ONE_FACTOR = ["bfi_A_1f", "spi_compassion_1f", "bank_sat_1f", "heywood_1f"]
THREE_FACTORS = ["bfi25_3f", "bank27_3f", "ecsi24_3f"]
MULTI = [name for name in CASES if CASES[name]["n_factors"] > 1]
# psych's optim stops short of a stationary point on the non-positive-definite matrix
MATCHED = [name for name in CASES if name != "nonpd_1f"]
KEYS = {"omega_total", "omega_hierarchical", "general", "group", "h2", "u2", "loadings",
        "phi"}


@cache
def correlation(name: str) -> np.ndarray:
    """Pairwise Pearson correlations, as psych::omega computes them from raw data."""
    case = CASES[name]
    if DATASET[name] is None:
        return np.asarray(case["R"], dtype=float)
    data = load_dataset(DATASET[name])[case["items"]].astype(float)
    for item in case["reverse"]:
        data[item] = 7 - data[item]  # bfi is on 1-6
    return data.corr().to_numpy()  # pairwise complete, like cor(use = "pairwise")


@cache
def fitted(name: str) -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # reflected items, 2-factor option
        return omega_coefficients(correlation(name), CASES[name]["n_factors"])


def matrix(values, n_cols: int) -> np.ndarray:
    return np.asarray(values, dtype=float).reshape(-1, n_cols)


def one_factor_matrix(lam) -> np.ndarray:
    lam = np.asarray(lam, dtype=float)
    R = np.outer(lam, lam)
    np.fill_diagonal(R, 1.0)
    return R


def higher_order_model() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """12 items, 3 group factors in perfect simple structure, one higher-order factor."""
    P = np.zeros((12, 3))
    P[0:4, 0] = [.7, .6, .5, .6]
    P[4:8, 1] = [.8, .5, .6, .4]
    P[8:12, 2] = [.6, .7, .5, .5]
    b = np.array([.8, .7, .6])
    phi = np.outer(b, b)
    np.fill_diagonal(phi, 1.0)
    R = P @ phi @ P.T
    np.fill_diagonal(R, 1.0)
    return R, P, phi, b


# --------------------------------------------------------------------------------------
# Agreement with psych::omega
# --------------------------------------------------------------------------------------


def test_reference_file_describes_its_origin():
    assert REFERENCE["psych_version"] == "2.2.9"
    assert REFERENCE["generated_by"] == "tests/reference/omega_reference.R"
    assert set(CASES) == set(DATASET)


@pytest.mark.parametrize("name", ONE_FACTOR)
def test_omega_total_one_factor_matches_psych(name):
    out, ref = fitted(name), CASES[name]
    diff = abs(out["omega_total"] - ref["omega_total"])
    assert diff < 1e-3  # the tolerance
    assert diff < 1e-6  # observed: <= 5e-9
    # psych's omega_h for one factor is (sum of loadings)^2 / Vt, not omega.tot
    assert out["omega_hierarchical"] == pytest.approx(ref["omega_hierarchical"], abs=1e-6)
    assert out["omega_hierarchical"] != pytest.approx(out["omega_total"], abs=1e-5)
    assert np.all(out["group"] == 0) and out["group"].shape == (len(ref["items"]), 1)
    np.testing.assert_array_equal(out["phi"], [[1.0]])


@pytest.mark.parametrize("name", THREE_FACTORS)
def test_omega_hierarchical_three_factors_matches_psych(name):
    out, ref = fitted(name), CASES[name]
    diff = abs(out["omega_hierarchical"] - ref["omega_hierarchical"])
    assert diff < 1e-2  # the tolerance
    assert diff < 1e-4  # observed: <= 4e-6
    assert out["omega_total"] == pytest.approx(ref["omega_total"], abs=1e-6)


@pytest.mark.parametrize("name", MATCHED)
def test_schmid_leiman_solution_matches_psych(name):
    out, ref = fitted(name), CASES[name]
    nf = ref["n_factors"]
    np.testing.assert_allclose(out["general"], ref["general"], atol=1e-4)
    np.testing.assert_allclose(out["h2"], ref["h2"], atol=1e-4)
    np.testing.assert_allclose(out["u2"], ref["u2"], atol=1e-4)
    assert out["omega_total"] == pytest.approx(ref["omega_total"], abs=1e-6)
    assert out["omega_hierarchical"] == pytest.approx(ref["omega_hierarchical"], abs=1e-4)
    if nf > 1:
        np.testing.assert_allclose(out["group"], matrix(ref["group"], nf), atol=1e-4)
        np.testing.assert_allclose(out["loadings"], matrix(ref["oblique"], nf), atol=1e-4)
        np.testing.assert_allclose(out["phi"], matrix(ref["phi"], nf), atol=1e-4)


@pytest.mark.parametrize("name", MATCHED)
def test_minres_loadings_match_psych(name):
    ref = CASES[name]
    nf = ref["n_factors"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        L = minres(correlation(name), nf)
    expected = matrix(ref["minres_unrotated"], nf)
    assert L.shape == expected.shape
    np.testing.assert_allclose(L, expected, atol=1e-3)  # the brief's tolerance
    np.testing.assert_allclose(L, expected, atol=1e-4)  # observed: <= 2.4e-5
    np.testing.assert_allclose(np.sum(L ** 2, axis=1), ref["minres_communality"], atol=1e-4)
    # the same minimum, more tightly converged: never a worse criterion than psych's
    R = correlation(name)
    fit = _factor._minres_fit(R, nf)
    psi_psych = np.clip(1 - np.asarray(ref["minres_communalities_par"]), _factor.PSI_LOWER, 1)
    assert fit.converged
    assert fit.objective <= _factor._minres_objective(psi_psych, R, nf)[0] + 1e-12


@pytest.mark.parametrize("name", MULTI)
def test_varimax_start_matches_psych(name):
    """The orthogonal solution psych::schmid rotates from (fa(rotate = "varimax"))."""
    nf = CASES[name]["n_factors"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        L = minres(correlation(name), nf)
    orth = _factor._psych_orthogonal_start(L)
    np.testing.assert_allclose(orth, matrix(CASES[name]["orthogonal"], nf), atol=1e-4)


def test_reflected_items_are_the_ones_psych_reflects():
    ref = CASES["bfi25_3f"]
    negative = [i for i, key in enumerate(ref["key"]) if key < 0]
    assert negative  # the neuroticism items and O4
    with pytest.warns(UserWarning, match=r"6 item\(s\) load negatively") as record:
        out = omega_coefficients(correlation("bfi25_3f"), 3)
    assert ", ".join(map(str, negative)) in str(record[0].message)
    assert np.all(out["general"] > 0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        raw = omega_coefficients(correlation("bfi25_3f"), 3, flip=False)
    assert np.sum(raw["general"] < 0) == len(negative)
    assert raw["omega_total"] < out["omega_total"]  # Vt shrinks without reflection


def test_two_factors_use_psych_option_equal_with_a_warning():
    R = correlation("bfi_AC_2f")
    with pytest.warns(UserWarning, match="not identified"):
        out = omega_coefficients(R, 2)
    assert out["omega_hierarchical"] == pytest.approx(
        CASES["bfi_AC_2f"]["omega_hierarchical"], abs=1e-5)
    r = out["phi"][0, 1]
    b = np.sqrt(abs(r))
    np.testing.assert_allclose(out["general"], out["loadings"] @ [b, np.sign(r) * b])
    with pytest.warns(UserWarning, match="'first'"):
        first = omega_coefficients(R, 2, option="first")
    np.testing.assert_allclose(first["general"], out["loadings"] @ [1.0, r], atol=1e-12)
    np.testing.assert_allclose(first["group"][:, 0], 0.0)


# --------------------------------------------------------------------------------------
# Known truth and invariants
# --------------------------------------------------------------------------------------


def test_exact_one_factor_model_is_recovered():
    lam = np.array([.8, .7, .6, .5, .4, .75])
    R = one_factor_matrix(lam)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        L = minres(R, 1)
        out = omega_coefficients(R, 1)
    np.testing.assert_allclose(L[:, 0], lam, atol=1e-9)
    omega = lam.sum() ** 2 / R.sum()
    assert out["omega_total"] == pytest.approx(omega, abs=1e-10)
    assert out["omega_hierarchical"] == pytest.approx(omega, abs=1e-10)
    np.testing.assert_allclose(out["h2"], lam ** 2, atol=1e-9)
    # reflected loadings come back with psych's sign convention (positive sum)
    D = np.diag([1, -1, 1, 1, 1, 1.0])
    np.testing.assert_allclose(minres(D @ R @ D, 1)[:, 0], D @ lam, atol=1e-9)


def test_exact_higher_order_model_is_recovered():
    R, P, phi, b = higher_order_model()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = omega_coefficients(R, 3)
    g = P @ b
    np.testing.assert_allclose(out["general"], g, atol=1e-4)
    assert out["omega_hierarchical"] == pytest.approx(g.sum() ** 2 / R.sum(), abs=1e-5)
    h2 = np.sum(P * (P @ phi), axis=1)
    assert out["omega_total"] == pytest.approx(1 - np.sum(1 - h2) / R.sum(), abs=1e-8)
    np.testing.assert_allclose(out["h2"], h2, atol=1e-8)
    np.testing.assert_allclose(out["general"] ** 2 + np.sum(out["group"] ** 2, axis=1), h2,
                               atol=1e-6)
    # the pattern is the simple structure, up to the order and signs of the factors
    found = np.abs(out["loadings"])[:, np.argmax(np.abs(out["loadings"])[[0, 4, 8]], axis=1)]
    np.testing.assert_allclose(found, P, atol=1e-4)


@pytest.mark.parametrize("name", ["bfi25_3f", "bank27_3f", "bfi25_5f"])
def test_rotation_reproduces_the_unrotated_common_part(name):
    nf = CASES[name]["n_factors"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        L = minres(correlation(name), nf)
    P, phi = oblimin(L)
    np.testing.assert_allclose(P @ phi @ P.T, L @ L.T, atol=1e-10)
    np.testing.assert_allclose(np.diag(phi), 1.0, atol=1e-12)
    assert np.all(np.linalg.eigvalsh(phi) > 0)
    # oblimin's criterion is rotation invariant: any orthogonal start gives one optimum
    Q, _ = np.linalg.qr(np.random.default_rng(7).normal(size=(nf, nf)))
    P2, phi2 = oblimin(L @ Q)
    np.testing.assert_allclose(P2 @ phi2 @ P2.T, L @ L.T, atol=1e-10)
    crit = _factor._oblimin_criterion
    assert crit(P2, 0.0)[0] == pytest.approx(crit(P, 0.0)[0], abs=1e-7)


def test_schmid_leiman_keeps_communalities():
    out = fitted("bank27_3f")
    np.testing.assert_allclose(out["general"] ** 2 + np.sum(out["group"] ** 2, axis=1),
                               out["h2"], atol=1e-3)
    g, group = schmid_leiman(out["loadings"], out["phi"])
    np.testing.assert_allclose(np.abs(g), np.abs(out["general"]), atol=1e-12)
    np.testing.assert_allclose(np.abs(group), np.abs(out["group"]), atol=1e-12)


def test_omega_is_invariant_to_item_order_and_covariance_scaling():
    R = correlation("ecsi24_3f")
    base = fitted("ecsi24_3f")
    perm = np.random.default_rng(3).permutation(len(R))
    out = omega_coefficients(R[np.ix_(perm, perm)], 3)
    assert out["omega_total"] == pytest.approx(base["omega_total"], abs=1e-9)
    assert out["omega_hierarchical"] == pytest.approx(base["omega_hierarchical"], abs=1e-5)
    np.testing.assert_allclose(out["general"], base["general"][perm], atol=1e-4)
    sd = np.linspace(0.5, 3.0, len(R))
    cov = omega_coefficients(R * np.outer(sd, sd), 3)
    assert cov["omega_total"] == pytest.approx(base["omega_total"], abs=1e-12)
    assert cov["omega_hierarchical"] == pytest.approx(base["omega_hierarchical"], abs=1e-10)


def test_returned_keys_and_shapes():
    out = fitted("bfi25_3f")
    assert set(out) == KEYS
    k = 25
    assert isinstance(out["omega_total"], float)
    assert isinstance(out["omega_hierarchical"], float)
    assert out["general"].shape == (k,) and out["h2"].shape == (k,)
    assert out["u2"].shape == (k,) and out["group"].shape == (k, 3)
    assert out["loadings"].shape == (k, 3) and out["phi"].shape == (3, 3)
    np.testing.assert_allclose(out["h2"] + out["u2"], 1.0)
    assert 0 < out["omega_hierarchical"] < out["omega_total"] < 1


def test_smc_matches_the_inverse_formula():
    R = correlation("spi_compassion_1f")
    np.testing.assert_allclose(smc(R), 1 - 1 / np.diag(np.linalg.inv(R)), atol=1e-12)


# --------------------------------------------------------------------------------------
# Warnings: Heywood, non-convergence, non-positive-definite input
# --------------------------------------------------------------------------------------


def test_heywood_case_warns_and_matches_psych():
    R = correlation("heywood_1f")
    np.testing.assert_allclose(R, one_factor_matrix([.999, .6, .6, .6, .6]), atol=1e-14)
    with pytest.warns(UserWarning, match="Heywood case: item 1"):
        out = omega_coefficients(R, 1)
    fit = _factor._minres_fit(R, 1)
    assert fit.uniquenesses[0] == _factor.PSI_LOWER  # at psych's bound
    assert fit.converged
    ref = CASES["heywood_1f"]
    assert out["omega_total"] == pytest.approx(ref["omega_total"], abs=1e-6)  # obs. 6e-8
    np.testing.assert_allclose(out["general"], ref["general"], atol=1e-4)


def test_non_positive_definite_case_is_stationary_where_psych_is_not():
    """psych's optim pairs the off-diagonal criterion with another gradient; on this
    pathological matrix (not PSD, ultra-Heywood) it stops where its own gradient is
    still ~0.02. cxkit converges (gradient ~0); omega total differs by ~1e-3."""
    R, ref = correlation("nonpd_1f"), CASES["nonpd_1f"]
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        out = omega_coefficients(R, 1)
    messages = " | ".join(str(w.message) for w in record)
    assert "not positive semi-definite" in messages
    assert "ultra-Heywood case: item 1" in messages
    assert abs(out["omega_total"] - ref["omega_total"]) < 2e-3
    fit = _factor._minres_fit(R, 1)
    assert fit.converged and fit.max_gradient < 1e-10
    psi_psych = 1 - np.asarray(ref["minres_communalities_par"])
    value, grad = _factor._minres_objective(psi_psych, R, 1)
    assert np.max(np.abs(grad[1:])) > 1e-2  # item 1 is at the bound
    assert fit.objective < value


def test_singular_matrix_warns():
    R = one_factor_matrix([.6, .6, .6, .6])
    R = np.block([[R, R[:, :1]], [R[:1, :], np.ones((1, 1))]])  # item 5 duplicates item 1
    with pytest.warns(UserWarning, match="singular"):
        omega_coefficients(R, 1)


def test_non_convergence_warns(monkeypatch):
    L = minres(correlation("bank27_3f"), 3)
    with pytest.warns(UserWarning, match="oblimin rotation did not converge"):
        oblimin(L, max_iter=1)
    monkeypatch.setattr(_factor, "_MINRES_GTOL", -1.0)
    with pytest.warns(UserWarning, match="did not converge"):
        minres(correlation("bank_sat_1f"), 1)


def test_underidentified_model_warns():
    R = correlation("bfi_A_1f")
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        omega_coefficients(R, 3)
    assert "degrees of freedom" in str(record[0].message)


# --------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("R", "match"), [
    (np.ones((3, 4)), "square"),
    (np.array([[1.0, .5], [.4, 1.0]]), "symmetric"),
    (np.array([[1.0, np.nan], [np.nan, 1.0]]), "missing"),
    (np.array([[1.0, 1.5], [1.5, 1.0]]), r"outside \[-1, 1\]"),
    (np.array([[0.0, 0.0], [0.0, 1.0]]), "positive diagonal"),
    (np.ones((1, 1)), "at least 2 items"),
])
def test_bad_matrices_raise(R, match):
    with pytest.raises(ValueError, match=match):
        omega_coefficients(R, 1)


def test_bad_options_raise():
    R = one_factor_matrix([.7, .6, .5, .6])
    with pytest.raises(ValueError, match="smaller than the number of items"):
        omega_coefficients(R, 4)
    with pytest.raises(ValueError, match="n_factors"):
        minres(R, 0)
    with pytest.raises(TypeError, match="n_factors"):
        omega_coefficients(R, "2")
    with pytest.raises(ValueError, match="`fm` must be one of 'minres'"):
        omega_coefficients(R, 1, fm="ml")
    with pytest.raises(ValueError, match="`rotate` must be one of 'oblimin'"):
        omega_coefficients(R, 1, rotate="varimax")
    with pytest.raises(TypeError, match="R"):
        omega_coefficients("not a matrix", 1)
    with pytest.raises(ValueError, match="at least 2 factors"):
        oblimin(np.ones((4, 1)))
    with pytest.raises(ValueError, match="phi"):
        schmid_leiman(np.ones((4, 3)), np.eye(2))
