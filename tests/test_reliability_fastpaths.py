"""The fast paths of cxkit.reliability give what the straightforward computations give.

* the one-pass pairwise sums (:func:`cxkit._tally.pairwise_moments`, blocks of rows, complete
  blocks by the short form) against pandas' pairwise ``DataFrame.cov``/``corr``/``count``,
  on random data with random missingness, over many block sizes;
* a complete block's short form against the missing-answer form on the same rows;
* :func:`cxkit._factor.one_blas_thread`: one thread inside, restored after, entered once
  for a whole omega bootstrap.
"""

from __future__ import annotations

import warnings
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cxkit import _factor, reliability
from cxkit import _tally as tally
from cxkit.reliability import cronbach_alpha, omega

RTOL = 1e-12


def _responses(seed, n, k, share, offset, pattern):
    """Correlated 1..7 ratings (+ offset) with a share of answers missing."""
    rng = np.random.default_rng(seed)
    common = rng.normal(size=(n, 1))
    x = np.clip(np.round(4 + 1.2 * common + rng.normal(size=(n, k))), 1, 7) + offset
    if share:
        holes = rng.random((n, k)) < share
        if pattern == "some rows":  # blocks without any hole between blocks with holes
            holes &= (rng.random(n) < 0.2)[:, None]
        elif pattern == "one item late":
            holes[:] = False
            holes[n // 2:, rng.integers(k)] = True
        x[holes] = np.nan
    return x


def _close(ours, theirs, where=None):
    ours, theirs = np.asarray(ours, float), np.asarray(theirs, float)
    if where is not None:
        ours, theirs = ours[where], theirs[where]
    scale = max(float(np.max(np.abs(theirs), initial=0.0)), 1e-300)
    np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=RTOL * scale)


def _pairwise_reference(x):
    """Each pair's covariance and Pearson r over the rows answering both, centred by that
    pair's means, in two passes (pandas' ``DataFrame.cov``/``corr`` agree to 1e-12 on
    ratings near 0, but drift by ~1e-11 when the ratings are offset by 10⁶)."""
    k = x.shape[1]
    cov, corr = np.full((k, k), np.nan), np.full((k, k), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        for i in range(k):
            for j in range(k):
                both = ~np.isnan(x[:, i]) & ~np.isnan(x[:, j])
                if both.sum() < 2:
                    continue
                a, b = x[both, i] - x[both, i].mean(), x[both, j] - x[both, j].mean()
                cov[i, j] = (a @ b) / (both.sum() - 1)
                corr[i, j] = (a @ b) / np.sqrt((a @ a) * (b @ b))
    return cov, corr


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 700), k=st.integers(2, 8),
       share=st.sampled_from([0.0, 0.02, 0.1, 0.4]),
       offset=st.sampled_from([0.0, 1000.0, -1e6]),
       pattern=st.sampled_from(["random", "some rows", "one item late"]),
       block=st.sampled_from([1, 8, 64, 500, 1 << 16]))
def test_pairwise_sums_match_pandas(seed, n, k, share, offset, pattern, block):
    x = _responses(seed, n, k, share, offset, pattern)
    frame = pd.DataFrame(x)
    with mock.patch.object(tally, "ROW_BLOCK", block * k):
        mom = reliability._moments(x)
    present = frame.notna().to_numpy()
    assert mom.any_missing == (not present.all())
    np.testing.assert_array_equal(mom.n_obs, frame.count().to_numpy())
    np.testing.assert_array_equal(mom.pair_n, present.T.astype(float) @ present)
    answered = mom.n_obs > 0
    np.testing.assert_array_equal(mom.lows[answered], frame.min().to_numpy()[answered])
    np.testing.assert_array_equal(mom.highs[answered], frame.max().to_numpy()[answered])
    if mom.any_missing:
        np.testing.assert_array_equal(mom.empty, ~present.any(axis=1))
        np.testing.assert_array_equal(mom.incomplete, ~present.all(axis=1))
    if (mom.n_obs == 0).any():
        return  # an item without answers is an error before any covariance is used
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        cov, corr, pair_n, means = reliability._pairwise_cov(mom)
    _close(means, frame.mean().to_numpy())
    enough = pair_n >= 2
    ref_cov, ref_corr = _pairwise_reference(x)
    defined = enough & np.isfinite(ref_corr)
    np.fill_diagonal(defined, False)
    _close(cov, ref_cov, where=enough)
    _close(corr, ref_corr, where=defined)
    if offset == 0:
        _close(cov, frame.cov().to_numpy(), where=enough)
        _close(corr, frame.corr().to_numpy(), where=defined)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(3, 400), k=st.integers(2, 7),
       offset=st.sampled_from([0.0, 250.0]))
def test_complete_blocks_give_what_the_missing_answer_form_gives(seed, n, k, offset):
    """Complete data: the short form (ZᵀZ and column sums) against the general form,
    forced by one row answering nothing in the same single block."""
    x = _responses(seed, n, k, 0.0, offset, "random")
    padded = np.vstack([np.full((1, k), np.nan), x])
    with mock.patch.object(tally, "ROW_BLOCK", (n + 1) * k):
        short, general = reliability._moments(x), reliability._moments(padded)
    assert not short.any_missing and general.any_missing
    np.testing.assert_array_equal(short.pair_n, general.pair_n)  # counts: bit-identical
    np.testing.assert_array_equal(short.n_obs, general.n_obs)
    np.testing.assert_array_equal(short.shift, general.shift)
    for name in ("s", "q", "c"):
        _close(getattr(short, name), getattr(general, name))
    if (np.ptp(x, axis=0) == 0).any():
        return  # a constant item is an error
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        plain = cronbach_alpha(pd.DataFrame(x))
        holey = cronbach_alpha(pd.DataFrame(padded))
    assert holey.n == plain.n == n
    for field in ("alpha", "std_alpha", "g6", "average_r"):
        _close(getattr(holey, field), getattr(plain, field))
    _close(holey._cov, plain._cov)
    _close(holey.items[["n", "mean", "sd", "r_drop"]], plain.items[["n", "mean", "sd", "r_drop"]])


def test_missing_answers_in_late_blocks_only():
    """Complete blocks first, then blocks with holes: both forms add up in one result."""
    x = _responses(3, 5000, 6, 0.0, 0.0, "random")
    x[4000:, 2] = np.nan
    x[4500, :] = np.nan
    res = cronbach_alpha(pd.DataFrame(x))
    frame = pd.DataFrame(x).dropna(how="all")
    cov = frame.cov().to_numpy()
    k = 6
    assert res.n == 4999 and res.n_missing == 1000 + 5
    _close(res._cov, cov)
    _close(res.alpha, k / (k - 1) * (1 - np.trace(cov) / cov.sum()))
    np.testing.assert_array_equal(res.items["n"].to_numpy(), frame.count().to_numpy())


def test_one_blas_thread_limits_restores_and_nests():
    from threadpoolctl import threadpool_info

    before = {i["filepath"]: i["num_threads"] for i in threadpool_info()
              if i["user_api"] == "blas"}
    with _factor.one_blas_thread():
        inside = {i["filepath"]: i["num_threads"] for i in threadpool_info()
                  if i["user_api"] == "blas"}
        with _factor.one_blas_thread():  # nested: nothing changes
            nested = {i["filepath"]: i["num_threads"] for i in threadpool_info()
                      if i["user_api"] == "blas"}
        after_nested = {i["filepath"]: i["num_threads"] for i in threadpool_info()
                        if i["user_api"] == "blas"}
    after = {i["filepath"]: i["num_threads"] for i in threadpool_info()
             if i["user_api"] == "blas"}
    assert set(inside.values()) == {1} and nested == inside == after_nested
    assert after == before


class _CountingController:
    def __init__(self, controller):
        self.controller, self.calls = controller, 0

    def limit(self, **kwargs):
        self.calls += 1
        return self.controller.limit(**kwargs)


def test_omega_bootstrap_sets_the_blas_limit_once_per_call():
    rng = np.random.default_rng(5)
    x = _responses(5, 300, 5, 0.05, 0.0, "random")
    with _factor.one_blas_thread():  # make sure the controller exists
        pass
    counting = _CountingController(_factor._BLAS_CONTROLLER)
    with mock.patch.object(_factor, "_BLAS_CONTROLLER", counting), warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        res = omega(pd.DataFrame(x), n_resamples=20, rng=rng)
    assert res.ci is not None and np.isfinite(res.ci.low)
    # the covariance pass, the fit, the bootstrap: 3, not one per resample (20 fits)
    assert counting.calls == 3


def test_omega_bootstrap_unchanged_by_the_shared_limit():
    """Entering the limit once gives the resamples exactly what entering it per fit gave."""
    x = pd.DataFrame(_responses(7, 400, 6, 0.0, 0.0, "random"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        once = omega(x, n_resamples=15, rng=3).ci
        per_fit = np.array([reliability._omega_total_or_nan(corr, 1, _factor.omega_coefficients)
                            for _, corr in reliability._bootstrap_covs(
                                (x.to_numpy(float), np.ones(6)), 15,
                                np.random.default_rng(3))])
    expected = reliability._percentile_interval(per_fit, 0.95, 15, "omega")
    assert (once.low, once.high) == (expected.low, expected.high)


@pytest.mark.parametrize("policy", ["pairwise", "listwise"])
def test_policies_agree_on_complete_data(policy):
    x = pd.DataFrame(_responses(11, 900, 5, 0.0, 0.0, "random"))
    res = cronbach_alpha(x, nan_policy=policy)
    cov = x.cov().to_numpy()
    _close(res._cov, cov)
    assert res.n == 900 and res.n_missing == 0


def _anova_by_hand(score, group):
    """ICC(1), ICC(2), MSB, MSW from a pandas groupby, rows without a score left out."""
    d = pd.DataFrame({"y": score, "g": group}).dropna()
    by = d.groupby("g")["y"]
    sizes, means = by.size(), by.mean()
    n, n_groups = len(d), len(sizes)
    msb = float((sizes * (means - d["y"].mean()) ** 2).sum()) / (n_groups - 1)
    msw = float(((d["y"] - by.transform("mean")) ** 2).sum()) / (n - n_groups)
    k = n / n_groups
    return (msb - msw) / (msb + (k - 1) * msw), (msb - msw) / msb, msb, msw


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(6, 3000), groups=st.integers(2, 300),
       dtype=st.sampled_from(["int8", "int64", "uint16"]),
       spread=st.sampled_from([1, 3, 1000]), share=st.sampled_from([0.0, 0.1]))
def test_integer_group_codes_match_factorize(seed, n, groups, dtype, spread, share):
    """Integer labels (label − min, no hashing) against pd.factorize on the same labels,
    and both against an ANOVA by hand; spread 1000 makes the labels sparse (hashed)."""
    rng = np.random.default_rng(seed)
    top = min(groups, np.iinfo(dtype).max // spread)
    assume(top >= 2)
    codes = rng.integers(0, top, n)
    offset = -50 if dtype != "uint16" and spread == 1 else 0
    labels = (codes * spread + offset).astype(dtype)
    score = rng.normal(size=top)[codes] + rng.normal(size=n)
    score[rng.random(n) < share] = np.nan
    used = len(np.unique(labels[~np.isnan(score)]))
    assume(used >= 2 and (~np.isnan(score)).sum() > used)  # else an error (tested elsewhere)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        fast = reliability.group_reliability(score=score, group=labels)
        with mock.patch.object(reliability, "_integer_group_codes",
                               lambda labels: (None, None)):
            general = reliability.group_reliability(score=score, group=labels)
            frame = reliability.group_reliability(
                pd.DataFrame({"s": score, "g": pd.Series(labels)}), score="s", group="g")
    for res in (general, frame):
        assert (fast.n, fast.n_groups, fast.n_missing) == (res.n, res.n_groups, res.n_missing)
        assert fast.notes == res.notes
        for field in ("icc1", "icc2", "ms_between", "ms_within", "f_statistic", "p_value",
                      "mean_group_size"):
            _close(getattr(fast, field), getattr(res, field))
    # text labels: a str column is coded unsorted (the few named are sorted), an object
    # column sorted by pd.factorize; the same results and notes, and those of the numbers
    text = np.array([f"g{v}" for v in labels], dtype=object)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        as_str = reliability.group_reliability(score=score, group=pd.Series(text, dtype="str"))
        as_obj = reliability.group_reliability(score=score, group=pd.Series(text, dtype=object))
    assert as_str.notes == as_obj.notes
    for res in (as_str, as_obj):
        assert (fast.n, fast.n_groups, fast.n_missing) == (res.n, res.n_groups, res.n_missing)
        for field in ("icc1", "icc2", "ms_between", "ms_within", "f_statistic", "p_value"):
            _close(getattr(res, field), getattr(fast, field))
    icc1, icc2, msb, msw = _anova_by_hand(score, labels)
    _close([fast.icc1, fast.icc2, fast.ms_between, fast.ms_within], [icc1, icc2, msb, msw])
