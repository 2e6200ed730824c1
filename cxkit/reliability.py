"""Reliability of multi-item scales: Cronbach's alpha, McDonald's omega, group-mean ICC.

Everything is computed from sufficient statistics. Alpha, its item analysis and its
intervals come from the items' covariance matrix (one pass over the rows, as matrix
products), so a million respondents cost well under a second and a covariance matrix
computed elsewhere (``cov=`` with ``n=``) gives exactly the same answer. The intraclass
correlations of :func:`group_reliability` come from group sums (a one-way ANOVA).

The numbers follow R: :func:`cronbach_alpha` reproduces ``psych::alpha`` (raw and
standardized alpha, Guttman's λ6, average r, item–rest correlations, alpha if an item
is deleted, the Feldt interval and Duhachek's standard error), :func:`omega` follows
``psych::omega`` and :func:`group_reliability` reproduces ``multilevel::ICC1``/``ICC2``.
The reference values and the R script that produced them are in ``tests/reference``.

Interval methods for alpha (:data:`RELIABILITY_CI_METHODS`): ``"feldt"`` (the default),
``"duhachek"`` and ``"bootstrap"``.

Examples
--------
>>> import cxkit
>>> from cxkit.reliability import cronbach_alpha
>>> bfi = cxkit.load_dataset("bfi")
>>> res = cronbach_alpha(bfi, ["N1", "N2", "N3", "N4", "N5"])
>>> round(res.alpha, 4), [round(b, 4) for b in res.ci]
(0.814, [0.8028, 0.8246])
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from cxkit._results import ConfidenceInterval, ResultBase
from cxkit._tally import PairwiseMoments as _Moments
from cxkit._tally import pairwise_moments as _moments
from cxkit._validation import (
    MAX_COUNT,
    MAX_RESAMPLES,
    as_float_array,
    caught_user_warnings,
    check_choice,
    check_columns,
    check_confidence_level,
    check_dataframe,
    check_in_range,
    check_positive_int,
    check_probability,
    check_rng,
    check_scale,
    numeric_frame,
    warn,
)

__all__ = [
    "NAN_POLICIES",
    "RELIABILITY_CI_METHODS",
    "AlphaResult",
    "GroupReliabilityResult",
    "OmegaResult",
    "cronbach_alpha",
    "group_reliability",
    "omega",
    "reverse_items",
]

#: Interval methods of :func:`cronbach_alpha`.
RELIABILITY_CI_METHODS = ("feldt", "duhachek", "bootstrap")
#: How missing answers are handled.
NAN_POLICIES = ("pairwise", "listwise")
_PINV_TOL = math.sqrt(np.finfo(np.float64).eps)  # psych::Pinv's tolerance
_MULTINOMIAL_BLOCK = 10_000_000  # bootstrap weights drawn at once (resamples × patterns)
_CEIL_TOL = 1e-9


# --------------------------------------------------------------------------------------
# Input: items, reverse keying, scale, missing values → covariance matrix
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Items:
    """The prepared items: covariance matrix and what went into it."""

    names: tuple[str, ...]
    cov: np.ndarray  # k × k, reverse-keyed items already reversed
    corr: np.ndarray  # pairwise correlations (psych::omega's R)
    n: int  # rows behind the interval
    n_missing: int  # missing answers (pairwise) or dropped rows (listwise)
    item_n: np.ndarray  # non-missing answers per item
    means: np.ndarray  # NaN when only a covariance matrix was given
    x: np.ndarray | None  # the rows used (NOT reversed: see sign), None for cov input
    sign: np.ndarray  # −1 for reverse-keyed items: reversing flips the centred values
    reverse: tuple[str, ...]
    scale: tuple[float, float] | None
    scale_inferred: bool
    nan_policy: str
    notes: tuple[str, ...]


def _check_scale(scale: Any) -> tuple[float, float] | None:
    return None if scale is None else check_scale(scale)


def _check_reverse(reverse: Any, names: tuple[str, ...]) -> tuple[str, ...]:
    if reverse is None:
        return ()
    listed = [reverse] if isinstance(reverse, str) else None
    if listed is None:
        if isinstance(reverse, (bytes, Mapping, set, frozenset)) \
                or not hasattr(reverse, "__iter__"):
            raise TypeError("`reverse` must be an item name or a list of item names; got "
                            f"{type(reverse).__name__}")
        listed = list(reverse)
    unknown = [r for r in listed if r not in names]
    if unknown:
        raise ValueError(f"`reverse` names {len(unknown)} item(s) not among the items "
                         f"analysed: {', '.join(map(repr, unknown))}; reverse-keyed items "
                         f"must be in `items` ({', '.join(map(repr, names))})")
    repeated = sorted({r for r in listed if listed.count(r) > 1})
    if repeated:
        raise ValueError(f"`reverse` lists {', '.join(map(repr, repeated))} more than once; "
                         "reversing twice would undo the reversal")
    return tuple(r for r in names if r in listed)  # in item order


def _read_items(data: Any, items: Any) -> tuple[tuple[str, ...], np.ndarray]:
    """Item names and responses (float64, NaN = missing) from a DataFrame or 2-D array."""
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        if items is None:
            names = list(data.columns)
            if len(names) < 2:
                raise ValueError(f"`data` must have at least 2 item columns; got {len(names)}")
        else:
            names = check_columns(data, items, "items", min_count=2)
        if data.columns.has_duplicates:
            from collections import Counter

            counts = Counter(data.columns)
            repeated = sorted({str(c) for c in names if counts[c] > 1})
            if repeated:
                raise ValueError(f"`data` has several columns named "
                                 f"{', '.join(map(repr, repeated))}; each item must be one "
                                 "column: rename the duplicates first")
            kinds = [data[c].dtype for c in names]
        else:  # one look-up, not a column Series per item
            kinds = list(data.dtypes.iloc[data.columns.get_indexer(names)])
        plain = all(isinstance(d, np.dtype) and d.kind in "iuf" for d in kinds)
        if plain:  # numpy numbers: nothing to check, and often no copy
            every = items is None or (len(names) == data.shape[1]
                                      and bool((data.columns == names).all()))
            x = (data if every else data[names]).to_numpy(dtype=np.float64)
        else:
            x = np.empty((len(data), len(names)), order="F")
            for j, col in enumerate(names):
                x[:, j] = as_float_array(data[col], "data", column=col)
        return tuple(str(c) for c in names), x
    if isinstance(data, pd.Series):
        check_dataframe(data)  # raises with a hint
    x = as_float_array(data, "data", ndim=2)
    k = x.shape[1]
    if items is None:
        names = [f"item{j + 1}" for j in range(k)]
    else:
        names = [items] if isinstance(items, str) else [str(i) for i in items]
        if len(names) != k or len(set(names)) != k:
            raise ValueError(f"`items` must give {k} distinct names for the {k} columns of "
                             f"`data`; got {names!r}")
    if k < 2:
        raise ValueError(f"`data` must have at least 2 item columns; got {k}")
    return tuple(names), x


def _check_cov(cov: Any, items: Any, n: Any) -> tuple[tuple[str, ...], np.ndarray, int]:
    import pandas as pd

    if n is None:
        raise TypeError("`n` is required with `cov=`: the number of respondents behind the "
                        "covariance matrix (the intervals depend on it)")
    n = check_positive_int(n, "n", minimum=2, maximum=MAX_COUNT,
                           why="the largest count float64 holds exactly")
    if isinstance(cov, pd.DataFrame):
        if list(cov.index) != list(cov.columns):
            raise ValueError("`cov` must have the same item names, in the same order, as "
                             "index and columns")
        names = list(cov.columns) if items is None else check_columns(cov, items, "items",
                                                                      min_count=2,
                                                                      data_name="cov")
        matrix = numeric_frame(cov.loc[names, names], None, "cov").to_numpy(np.float64)
    else:
        matrix = as_float_array(cov, "cov", ndim=2)
        k = matrix.shape[1]
        if items is None:
            names = [f"item{j + 1}" for j in range(k)]
        else:
            names = [items] if isinstance(items, str) else [str(i) for i in items]
            if len(names) != k or len(set(names)) != k:
                raise ValueError(f"`items` must give {k} distinct names for the {k} columns "
                                 f"of `cov`; got {names!r}")
    k = matrix.shape[1]
    if matrix.shape[0] != k:
        raise ValueError(f"`cov` must be a square matrix; got shape {matrix.shape}")
    if k < 2:
        raise ValueError(f"`cov` must cover at least 2 items; got {k}")
    if not np.isfinite(matrix).all():
        raise ValueError("`cov` has missing or infinite entries; every covariance is needed")
    if np.abs(matrix).max(initial=0.0) > _HUGE:
        raise ValueError(f"`cov` has entries beyond ±{_HUGE:g} (as large as "
                         f"{np.abs(matrix).max():g}); sums of them overflow float64. Rescale "
                         "the items (alpha and omega do not change with the unit)")
    scale = max(float(np.abs(matrix).max()), 1.0)
    if not np.allclose(matrix, matrix.T, rtol=1e-10, atol=1e-12 * scale):
        raise ValueError("`cov` must be symmetric (a covariance matrix)")
    names = tuple(str(c) for c in names)
    _check_variances(names, np.diag(matrix), where="`cov`")
    matrix = (matrix + matrix.T) / 2
    d = np.sqrt(np.diag(matrix))
    smallest = float(np.linalg.eigvalsh(matrix / np.outer(d, d)).min())
    if smallest < -1e-8:
        raise ValueError(f"`cov` is not a covariance matrix: its correlation matrix has a "
                         f"negative eigenvalue ({smallest:.3g}), so no set of responses "
                         "could have produced it (pairwise-computed covariances can do this; "
                         "compute it listwise)")
    return names, matrix, n


#: Larger ratings (or covariances) overflow float64 when squared or summed.
_HUGE = 1e150


def _check_variances(names, variances, lows=None, highs=None, *, where="`items`") -> None:
    """A constant item has no variance: alpha would be undefined or misleading."""
    constant = ~(variances > 0) if lows is None else highs == lows
    if constant.any():
        bad = [n for n, c in zip(names, constant, strict=True) if c]
        detail = ""
        if lows is not None:
            detail = " (" + ", ".join(f"{n!r} is always {v:g}"
                                      for n, v in zip(bad, lows[constant], strict=True)) + ")"
        source = "`data`" if where == "`items`" else where
        raise ValueError(f"{len(bad)} item(s) of {source} have no variance{detail}; alpha and "
                         "omega are undefined or misleading with a constant item; drop "
                         f"{', '.join(map(repr, bad))} from {where}")


def _pairwise_cov(mom: _Moments):
    """Covariances as R's ``cov(x, use = "pairwise")``, from the sums of :func:`_moments`.

    The rows where both i and j are answered give n_ij, the sums s_i|j, the
    cross-products c_ij of the shifted responses, and
    cov_ij = (c_ij − s_i|j s_j|i / n_ij) / (n_ij − 1) (the shift cancels).

    psych::omega instead correlates each pair over the rows answering both, with
    r_ij = (c_ij − s_i|j s_j|i / n_ij) / √((q_i|j − s_i|j² / n_ij)(q_j|i − s_j|i² / n_ij));
    with complete rows that is the same as cov2cor(cov).

    Returns (cov, corr, pair_n, means).
    """
    cov, corr = _cov_corr(mom.pair_n, mom.s, mom.q, mom.c, mom.any_missing)
    means = mom.shift + np.diag(mom.s) / mom.n_obs
    return cov, corr, mom.pair_n.astype(np.int64), means


def _cov_corr(pair_n, s, q, c, any_missing):
    """Pairwise covariances and correlations from the sums of :func:`_moments`."""
    with np.errstate(invalid="ignore", divide="ignore"):
        cross = c - s * s.T / pair_n
        cov = cross / (pair_n - 1)
        cov = (cov + cov.T) / 2
        if not any_missing:
            return cov, _cov2cor(cov)
        var = q - s * s / pair_n  # var[i, j]: Σ (x_i − mean_i|j)² over rows with i and j
        corr = cross / np.sqrt(var * var.T)
    corr = (corr + corr.T) / 2
    np.fill_diagonal(corr, 1.0)
    return cov, corr


def _prepare(data, items, reverse, scale, nan_policy, cov, n) -> _Items:
    """Validate the inputs of alpha/omega and compute the covariance matrix."""
    nan_policy = check_choice(nan_policy, NAN_POLICIES, "nan_policy")
    scale = _check_scale(scale)
    if cov is not None:
        if data is not None:
            raise TypeError("pass either the responses as `data` or a covariance matrix as "
                            "`cov=` (with `n=`), not both")
        names, matrix, n = _check_cov(cov, items, n)
        rev = _check_reverse(reverse, names)
        sign = np.array([-1.0 if c in rev else 1.0 for c in names])
        notes = [f"computed from a covariance matrix of {n} respondents; item means are "
                 "not available"]
        if rev:
            notes.append(f"reverse-keyed items {_names(rev)}: covariances sign-flipped, as "
                         "recoding min + max − x does")
        flip = np.outer(sign, sign)
        return _Items(names, matrix * flip, _cov2cor(matrix) * flip, n, 0,
                      np.full(len(names), n),
                      np.full(len(names), np.nan), None, sign, rev, scale, False,
                      nan_policy, tuple(notes))
    if n is not None:
        raise TypeError("`n` goes with `cov` (a covariance matrix); with raw `data` the rows "
                        "are counted")
    if data is None:
        raise TypeError("pass the responses as `data` (a DataFrame, one row per respondent, "
                        "one column per item) or a covariance matrix as `cov=` with `n=`")
    names, x = _read_items(data, items)
    mom = _moments(x, products=nan_policy == "pairwise")  # listwise: rows chosen first
    infinite = (mom.highs == np.inf) | (mom.lows == -np.inf)
    if infinite.any():
        bad = [c for c, f in zip(names, infinite, strict=True) if f]
        raise ValueError(f"`data` item(s) {_names(bad)} hold infinite values; ratings must be "
                         "finite numbers (NaN for a missing answer)")
    huge = (mom.highs > _HUGE) | (mom.lows < -_HUGE)
    if huge.any():
        bad = [c for c, f in zip(names, huge, strict=True) if f]
        raise ValueError(f"`data` item(s) {_names(bad)} hold values beyond ±{_HUGE:g} (as large as "
                         f"{np.nanmax(np.abs(x)):g}), whose squares overflow float64; "
                         "ratings must be numbers on the survey's scale")
    rev = _check_reverse(reverse, names)
    any_missing = mom.any_missing
    unanswered = [c for c, m in zip(names, mom.n_obs == 0, strict=True) if m]
    if unanswered:
        raise ValueError(f"`data` item(s) {_names(unanswered)} have no answers at all")
    lo, hi, inferred = _data_scale(x, names, scale, mom.lows, mom.highs)
    notes = []
    sign = np.array([-1.0 if c in rev else 1.0 for c in names])
    if rev:
        how = "the observed range; pass scale=(min, max) if an end was never used" \
            if inferred else "the given scale"
        notes.append(f"reverse-keyed items {_names(rev)} recoded as {lo + hi:g} − x "
                     f"(scale {lo:g}–{hi:g} from {how})")
    n_rows = x.shape[0]
    if nan_policy == "listwise":
        n_missing = int(mom.incomplete.sum()) if any_missing else 0
        if n_missing:
            x = x[~mom.incomplete]
            notes.append(f"listwise deletion: {n_missing} of {n_rows} rows with a missing "
                         "answer were dropped")
        if x.shape[0] < 2:
            raise ValueError(f"only {x.shape[0]} of {n_rows} rows of `data` answer every item; at "
                             "least 2 complete rows are needed with nan_policy='listwise' "
                             "(try nan_policy='pairwise')")
        mom = _moments(x)  # range and sums of the complete rows
    else:
        n_missing = int(n_rows * len(names) - mom.n_obs.sum())
        if any_missing and mom.empty.any():  # they add nothing to the sums
            x = x[~mom.empty]
            notes.append(f"{int(mom.empty.sum())} row(s) answer none of the items and are not "
                         "counted in n (psych::alpha would count them)")
    scarce = [(c, int(k)) for c, k in zip(names, mom.n_obs, strict=True) if k < 2]
    if scarce:
        item, count = scarce[0]
        raise ValueError(f"`data` item {item!r} is answered in only {count} row(s); at least 2 "
                         "rows are needed to estimate its variance"
                         + (f" ({len(scarce)} items are this sparse)" if len(scarce) > 1 else ""))
    _check_variances(names, None, mom.lows, mom.highs)
    matrix, corr, pair_n, means = _pairwise_cov(mom)
    if (pair_n < 2).any():
        i, j = np.argwhere(pair_n < 2)[0]
        raise ValueError(f"`data` items {names[i]!r} and {names[j]!r} are answered together "
                         f"in only {pair_n[i, j]} row(s); at least 2 rows are needed for "
                         "each covariance")
    if nan_policy == "pairwise" and n_missing:
        notes.append(f"pairwise deletion: {n_missing} missing answers; each covariance uses "
                     f"the rows answering both items (fewest: {int(pair_n.min())}); the "
                     f"interval uses n = {x.shape[0]} rows, as psych does")
    means = np.where(sign < 0, lo + hi - means, means)
    flip = np.outer(sign, sign)
    return _Items(names, matrix * flip, corr * flip, int(x.shape[0]), n_missing, mom.n_obs,
                  means, x, sign, rev, (lo, hi), inferred, nan_policy, tuple(notes))


def _data_scale(x, names, scale, lows, highs) -> tuple[float, float, bool]:
    """(lo, hi, inferred): the given scale (every answer checked) or the observed range."""
    if scale is None:
        return float(lows.min()), float(highs.max()), True
    import pandas as pd

    lo, hi = scale
    outside = (lows < lo) | (highs > hi)
    if outside.any():  # let the shared check word the message
        check_in_range(pd.DataFrame(x[:, outside], columns=np.array(names)[outside]),
                       lo, hi, "data", hint="clean them or pass the right `scale` "
                       f"(min, max) (got {lo:g}–{hi:g})")
    return lo, hi, False


def _names(names) -> str:
    return ", ".join(map(repr, names))


# --------------------------------------------------------------------------------------
# Alpha from the covariance matrix
# --------------------------------------------------------------------------------------


def _pinv(r: np.ndarray) -> np.ndarray:
    """Moore–Penrose inverse with psych::Pinv's tolerance (√eps × largest singular value)."""
    u, d, vt = np.linalg.svd(r)
    keep = d > max(_PINV_TOL * d[0], 0.0)
    return (vt[keep].T / d[keep]) @ u[:, keep].T


def _smc(r: np.ndarray) -> np.ndarray:
    """Squared multiple correlations 1 − 1/diag(R⁺), clipped to [0, 1] (psych::smc)."""
    with np.errstate(divide="ignore"):
        return np.clip(1.0 - 1.0 / np.diag(_pinv(r)), 0.0, 1.0)


def _smc_drop(r: np.ndarray) -> np.ndarray:
    """Row i: the SMCs of the other items when item i is left out (diagonal unused).

    For a well-conditioned positive-definite R the inverse of R without item i follows
    from R⁻¹ (Schur complement): (R₋ᵢ)⁻¹_jj = R⁻¹_jj − (R⁻¹_ij)² / R⁻¹_ii. Otherwise each
    submatrix is pseudo-inverted as psych does.
    """
    k = r.shape[0]
    eig = np.linalg.eigvalsh(r)
    if eig[0] > _PINV_TOL * eig[-1] * 10:
        inv = np.linalg.inv(r)
        d = np.diag(inv)
        with np.errstate(divide="ignore"):
            return np.clip(1.0 - 1.0 / (d[None, :] - inv**2 / d[:, None]), 0.0, 1.0)
    out = np.full((k, k), np.nan)
    for i in range(k):
        keep = np.arange(k) != i
        out[i, keep] = _smc(r[np.ix_(keep, keep)])
    return out


def _cov2cor(cov: np.ndarray) -> np.ndarray:
    sd = np.sqrt(np.diag(cov))
    r = cov / np.outer(sd, sd)
    np.fill_diagonal(r, 1.0)
    return r


def _alpha_from_cov(cov: np.ndarray) -> float:
    k = cov.shape[0]
    return k / (k - 1) * (1.0 - np.trace(cov) / cov.sum())


def _duhachek_q(cov: np.ndarray) -> float:
    """Q of Duhachek & Iacobucci (2004, eq. 5); the asymptotic variance of alpha is Q/n."""
    k = cov.shape[0]
    total, tr = cov.sum(), np.trace(cov)
    c2 = cov @ cov
    return (2 * k**2 / ((k - 1) ** 2 * total**3)
            * (total * (np.trace(c2) + tr**2) - 2 * tr * c2.sum()))


def _alpha_stats(cov: np.ndarray) -> dict[str, Any]:
    """Alpha, standardized alpha, λ6, average r and the item statistics, as psych::alpha."""
    with np.errstate(invalid="ignore", divide="ignore"):  # NaN where undefined
        return _alpha_stats_unchecked(cov)


def _alpha_stats_unchecked(cov: np.ndarray) -> dict[str, Any]:
    k = cov.shape[0]
    r = _cov2cor(cov)
    total, tr, sum_r = cov.sum(), np.trace(cov), r.sum()
    smc = _smc(r)
    row_c, row_r, var = cov.sum(axis=1), r.sum(axis=1), np.diag(cov)
    rest_total = total - 2 * row_c + var  # variance of the sum of the other items
    out = {
        "alpha": k / (k - 1) * (1 - tr / total),
        "std_alpha": k / (k - 1) * (1 - k / sum_r),
        "g6": 1 - (k - smc.sum()) / sum_r,
        "average_r": (sum_r - k) / (k * (k - 1)),
        "r_drop": (row_c - var) / np.sqrt(var * rest_total),
        "r_cor": (row_r - 1 + smc) / np.sqrt(sum_r - k + smc.sum()),
    }
    if k > 2:
        sum_r_drop = sum_r - 2 * row_r + 1
        smc_drop = _smc_drop(r)
        np.fill_diagonal(smc_drop, 0.0)
        out["alpha_if_deleted"] = (k - 1) / (k - 2) * (1 - (tr - var) / rest_total)
        out["std_alpha_if_deleted"] = (k - 1) / (k - 2) * (1 - (k - 1) / sum_r_drop)
        out["g6_if_deleted"] = 1 - (k - 1 - smc_drop.sum(axis=1)) / sum_r_drop
    else:
        nan = np.full(k, np.nan)
        out.update(alpha_if_deleted=nan, std_alpha_if_deleted=nan, g6_if_deleted=nan)
    return out


# --------------------------------------------------------------------------------------
# Intervals
# --------------------------------------------------------------------------------------


def _feldt(alpha: float, n: int, k: int, level: float) -> tuple[float, float]:
    from scipy.stats import f

    tail = (1 - level) / 2
    df1, df2 = n - 1, (n - 1) * (k - 1)
    return (1 - (1 - alpha) * f.isf(tail, df1, df2), 1 - (1 - alpha) * f.ppf(tail, df1, df2))


def _duhachek(alpha: float, cov: np.ndarray, n: int, level: float) -> tuple[float, float]:
    from scipy.stats import norm

    half = norm.ppf((1 + level) / 2) * math.sqrt(_duhachek_q(cov) / n)
    return alpha - half, alpha + half


def _bootstrap_covs(rows: tuple, n_resamples: int, rng: np.random.Generator):
    """(cov, corr) of ``n_resamples`` resamples of the rows, one resample at a time.

    Identical rows are pooled first (rating scales repeat answer patterns); resampling n
    rows with replacement is then a multinomial draw of pattern counts w, and each
    resample's pairwise sums (those of :func:`_moments`) are the w-weighted sums over
    the P patterns, exactly as over the resampled rows themselves. Cost: O(P k²) per
    resample (P ≤ n). ``rows`` is (x, sign): the responses and −1 for reverse-keyed items.
    """
    x, sign = rows
    flip = np.outer(sign, sign)
    coded = np.where(np.isnan(x), -np.inf, x)
    patterns, counts = np.unique(coded, axis=0, return_counts=True)
    patterns[np.isinf(patterns)] = np.nan
    n, p = x.shape[0], patterns.shape[0]
    present = ~np.isnan(patterns)
    any_missing = not present.all()
    m = present.astype(np.float64)
    z = np.where(present, patterns - np.nanmean(x, axis=0), 0.0)
    block = max(1, min(n_resamples, _MULTINOMIAL_BLOCK // p))
    done = 0
    while done < n_resamples:
        size = min(block, n_resamples - done)
        for w in rng.multinomial(n, counts / n, size=size).astype(np.float64):
            zw = z * w[:, None]
            if any_missing:
                pair_n = (m * w[:, None]).T @ m
                s, q = zw.T @ m, (zw * z).T @ m
            else:
                pair_n, s, q = np.full((len(sign), len(sign)), float(n)), \
                    zw.sum(axis=0)[:, None] + np.zeros(len(sign)), None
            cov, corr = _cov_corr(pair_n, s, q, zw.T @ z, any_missing)
            bad = pair_n < 2
            cov[bad], corr[bad] = np.nan, np.nan
            yield cov * flip, corr * flip
        done += size


def _percentile_interval(stats: np.ndarray, level: float, n_resamples: int,
                         what: str) -> ConfidenceInterval:
    good = stats[np.isfinite(stats)]
    note = None
    if good.size < stats.size:
        note = (f"{stats.size - good.size} of {n_resamples} resamples gave an undefined "
                f"{what} (e.g. a constant item) and were left out")
    if good.size == 0:
        return ConfidenceInterval(math.nan, math.nan, level, "bootstrap", note)
    low, high = np.quantile(good, [(1 - level) / 2, (1 + level) / 2])
    return ConfidenceInterval(float(low), float(high), level, "bootstrap", note)


def _bootstrap_alpha(rows, n_resamples, level, rng) -> ConfidenceInterval:
    stats = np.empty(n_resamples)
    with np.errstate(invalid="ignore", divide="ignore"):
        for b, (cov, _) in enumerate(_bootstrap_covs(rows, n_resamples, rng)):
            bad = (np.diag(cov) <= 0).any() or not np.isfinite(cov).all()
            stats[b] = math.nan if bad else _alpha_from_cov(cov)
    return _percentile_interval(stats, level, n_resamples, "alpha")


def _alpha_interval(alpha, cov, n, rows, method, level, n_resamples,
                    rng) -> ConfidenceInterval:
    if method in ("feldt", "duhachek") and not alpha < 1:
        warn(f"alpha is {alpha:.4g}, not below 1: the covariances (pairwise-complete, from "
             f"n = {n}) are not those of one set of complete responses, so the {method} "
             "interval is undefined (NaN); use nan_policy='listwise', more responses, or "
             "method='bootstrap'")
        return ConfidenceInterval(math.nan, math.nan, level, method)
    if method == "feldt":
        return ConfidenceInterval(*_feldt(alpha, n, cov.shape[0], level), level, "feldt")
    if method == "duhachek":
        return ConfidenceInterval(*_duhachek(alpha, cov, n, level), level, "duhachek")
    if rows is None:
        raise ValueError("the bootstrap interval resamples respondents and needs the raw "
                         "responses; with `cov=` use method='feldt' or 'duhachek'")
    return _bootstrap_alpha(rows, n_resamples, level, rng)


# --------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False, eq=False)
class AlphaResult(ResultBase):
    """Cronbach's alpha with its interval and item analysis (see :func:`cronbach_alpha`).

    Attributes
    ----------
    alpha : float
        Raw (covariance-based) Cronbach's alpha.
    std_alpha : float
        Standardized alpha (from the correlation matrix).
    g6 : float
        Guttman's λ6, as psych's ``G6(smc)``.
    average_r : float
        Mean inter-item correlation.
    ci : ConfidenceInterval
        Interval of ``alpha``.
    method, confidence_level
        How ``ci`` was computed.
    n : int
        The number of respondents behind the interval: the rows used (with
        ``nan_policy="pairwise"`` every row answering at least one item, as psych uses
        the number of rows; with ``"listwise"`` the complete rows; with ``cov=`` the
        given ``n``).
    k : int
        Number of items.
    n_missing : int
        ``"pairwise"``: missing answers (cells); ``"listwise"``: rows dropped.
    items : pandas.DataFrame
        One row per item (index ``item``): ``n`` (answers), ``mean``, ``sd`` (after
        reversal), ``reversed``, ``r_drop`` (item–rest correlation, psych's r.drop),
        ``r_cor`` (item–total correlation corrected for overlap and reliability),
        ``alpha_if_deleted``, ``std_alpha_if_deleted`` and ``g6_if_deleted`` (NaN with
        two items: one item left has no alpha).
    reverse : tuple of str
        Items recoded as min + max − x.
    scale : (float, float) or None
        The response scale (given, or inferred from the data: ``scale_inferred``).
    nan_policy : str
    notes : tuple of str
    """

    alpha: float
    std_alpha: float
    g6: float
    average_r: float
    ci: ConfidenceInterval
    method: str
    confidence_level: float
    n: int
    k: int
    n_missing: int
    items: Any
    reverse: tuple[str, ...]
    scale: tuple[float, float] | None
    scale_inferred: bool
    nan_policy: str
    notes: tuple[str, ...] = ()
    _cov: Any = field(default=None, repr=False)
    _rows: Any = field(default=None, repr=False)  # (x, sign) for the bootstrap

    _title: ClassVar[str] = "Cronbach's alpha"
    _summary_fields: ClassVar[tuple[str, ...]] = (
        "alpha", "ci", "std_alpha", "g6", "average_r", "n", "k", "n_missing", "reverse",
        "scale", "scale_inferred", "nan_policy")

    @property
    def ase(self) -> float:
        """Asymptotic standard error of alpha, √(Q/n) (Duhachek & Iacobucci 2004; psych's ase)."""
        return math.sqrt(_duhachek_q(self._cov) / self.n)

    def confidence_interval(self, method: str | None = None,
                            confidence_level: float | None = None,
                            **options: Any) -> ConfidenceInterval:
        """Interval of alpha by another method or level.

        Parameters
        ----------
        method : {"feldt", "duhachek", "bootstrap"}, optional
            Default: the method of this result.
        confidence_level : float, optional
            Default: the level of this result.
        **options
            For ``"bootstrap"``: ``n_resamples`` (default 2000) and ``rng``.

        Examples
        --------
        >>> import cxkit
        >>> res = cronbach_alpha(cxkit.load_dataset("bfi"), ["N1", "N2", "N3", "N4", "N5"])
        >>> ci = res.confidence_interval("duhachek", 0.9)
        >>> ci.method, round(ci.low, 4)
        ('duhachek', 0.8047)
        """
        method = check_choice(self.method if method is None else method,
                              RELIABILITY_CI_METHODS, "method")
        level = check_confidence_level(self.confidence_level if confidence_level is None
                                       else confidence_level)
        unknown = set(options) - ({"n_resamples", "rng"} if method == "bootstrap" else set())
        if unknown:
            raise TypeError(f"unknown option(s) for method={method!r}: "
                            f"{_names(sorted(unknown))}")
        n_resamples = check_positive_int(options.get("n_resamples", 2000), "n_resamples",
                                         maximum=MAX_RESAMPLES)
        return _alpha_interval(self.alpha, self._cov, self.n, self._rows, method, level,
                               n_resamples, check_rng(options.get("rng")))


@dataclass(frozen=True, repr=False, eq=False)
class OmegaResult(ResultBase):
    """McDonald's omega from a factor model (see :func:`omega`).

    Attributes
    ----------
    omega_total : float
        Share of the total-score variance due to all common factors.
    omega_hierarchical : float
        Share due to the general factor (Schmid–Leiman); with one factor psych still
        reports its own value (it warns that it is not meaningful).
    ci : ConfidenceInterval or None
        Percentile bootstrap interval of ``omega_total`` (``n_resamples > 0``).
    loadings : pandas.DataFrame
        Index: items; columns ``g`` (general factor), ``F1`` … (group factors),
        ``h2`` (communality), ``u2`` (uniqueness).
    n, k, n_factors, n_missing : int
        As in :class:`AlphaResult`.
    notes : tuple of str
    """

    omega_total: float
    omega_hierarchical: float
    ci: ConfidenceInterval | None
    loadings: Any
    n: int
    k: int
    n_factors: int
    n_missing: int
    notes: tuple[str, ...] = ()

    _title: ClassVar[str] = "McDonald's omega"


@dataclass(frozen=True, repr=False, eq=False)
class GroupReliabilityResult(ResultBase):
    """Reliability of group means from a one-way ANOVA (see :func:`group_reliability`).

    Attributes
    ----------
    icc1 : float
        ICC(1): share of the score variance between groups (the reliability of one
        member's score as a measure of the group).
    icc2 : float
        ICC(2): reliability of the group means.
    n_groups, n : int
        Groups and scores used.
    mean_group_size : float
        n / n_groups, the k̄ of ICC(1).
    f_statistic, p_value : float
        The ANOVA F test of equal group means.
    ms_between, ms_within : float
        Mean squares.
    n_missing : int
        Rows without a score or a group, left out.
    notes : tuple of str
    """

    icc1: float
    icc2: float
    n_groups: int
    n: int
    mean_group_size: float
    f_statistic: float
    p_value: float
    ms_between: float
    ms_within: float
    n_missing: int = 0
    notes: tuple[str, ...] = ()

    _title: ClassVar[str] = "Reliability of group means (ICC)"

    def responses_needed(self, target: float = 0.8) -> int | None:
        """Group size at which the group means reach reliability ``target``.

        Spearman–Brown on ICC(1): k = target (1 − ICC1) / (ICC1 (1 − target)), rounded
        up.

        Returns
        -------
        int or None
            The number of responses per group; ``None``, with a UserWarning, when
            ICC(1) ≤ 0 (or undefined): the groups do not differ more than chance, so no
            group size makes their means reliable. That is a finding to report (do not
            rank the groups on this score), not a failure.

        Raises
        ------
        ValueError
            ``target`` not strictly between 0 and 1.

        Examples
        --------
        >>> res = GroupReliabilityResult(icc1=0.1, icc2=0.5, n_groups=10, n=90,
        ...     mean_group_size=9.0, f_statistic=2.0, p_value=0.05, ms_between=2.0,
        ...     ms_within=1.0)
        >>> res.responses_needed(0.8)
        36
        """
        target = check_probability(target, "target", open_interval=True)
        if not self.icc1 > 0:
            warn(f"ICC(1) is {self.icc1:.4g} (≤ 0): the groups do not differ more than chance "
                 "would make them, so no number of responses makes a group's mean reliable "
                 "enough to rank on; do not rank the groups on this score")
            return None
        k = target * (1 - self.icc1) / (self.icc1 * (1 - target))
        return max(1, math.ceil(k - _CEIL_TOL))


# --------------------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------------------


def reverse_items(data, items, *, scale):
    """Copy of ``data`` with the reverse-keyed ``items`` recoded as min + max − x.

    Parameters
    ----------
    data : pandas.DataFrame
    items : str or sequence of str
        The reverse-keyed items.
    scale : (min, max)
        The response scale, e.g. ``(1, 6)``: 1 ↔ 6, 2 ↔ 5, 3 ↔ 4.

    Returns
    -------
    pandas.DataFrame
        A copy; the other columns are untouched. Reversing twice gives the data back.

    Raises
    ------
    TypeError
        ``data`` is not a DataFrame, or an item is not numeric.
    ValueError
        Unknown items, or answers outside ``scale``.

    Examples
    --------
    >>> import cxkit
    >>> bfi = cxkit.load_dataset("bfi")
    >>> rev = reverse_items(bfi, ["A1"], scale=(1, 6))
    >>> bfi["A1"].head(3).tolist(), rev["A1"].head(3).tolist()
    ([2, 2, 5], [5, 5, 2])
    """
    check_dataframe(data)
    cols = check_columns(data, items, "items")
    scale = _check_scale(scale)
    if scale is None:
        raise TypeError("`scale` is required: the (min, max) of the response scale")
    lo, hi = scale
    frame = numeric_frame(data, cols, "data")
    check_in_range(frame, lo, hi, "data",
                   hint="clean them or pass the right `scale` (min, max)")
    offset = int(lo + hi) if float(lo + hi).is_integer() else lo + hi
    import pandas as pd

    out = data.copy()
    for col in cols:  # keep a numeric dtype (Int64 stays Int64); others become float
        numeric = pd.api.types.is_numeric_dtype(data[col]) and \
            not isinstance(data[col].dtype, pd.CategoricalDtype)
        out[col] = offset - (data[col] if numeric else frame[col])
    return out


def cronbach_alpha(data=None, items=None, *, reverse=None, scale=None, nan_policy="pairwise",
                   method="feldt", confidence_level=0.95, n_resamples=2000, rng=None,
                   cov=None, n=None) -> AlphaResult:
    """Cronbach's alpha of a scale, with an interval and an item analysis.

    Parameters
    ----------
    data : pandas.DataFrame or 2-D array, optional
        Responses, one row per respondent. Give either ``data`` or ``cov`` and ``n``.
    items : sequence of str, optional
        The item columns (at least 2). Default: every column of ``data``.
    reverse : str or sequence of str, optional
        Reverse-keyed items (among ``items``), recoded as min + max − x first.
    scale : (min, max), optional
        The response scale. Answers outside it are an error. Default: the smallest and
        largest answer over the items (stated as ``scale_inferred=True``); this matters
        only for the means of reversed items.
    nan_policy : {"pairwise", "listwise"}, default "pairwise"
        ``"pairwise"`` (psych's default ``use = "pairwise"``): each covariance uses the
        rows answering both items. ``"listwise"``: only complete rows are used; the
        dropped rows are counted in ``n_missing``.
    method : {"feldt", "duhachek", "bootstrap"}, default "feldt"
        Interval of alpha (see Notes).
    confidence_level : float, default 0.95
    n_resamples : int, default 2000
        Bootstrap resamples (``method="bootstrap"`` only).
    rng : None, int or numpy.random.Generator, optional
        Seed or generator of the bootstrap.
    cov : pandas.DataFrame or 2-D array, optional
        Covariance matrix of the items (e.g. computed by a database), instead of
        ``data``. A DataFrame's labels are the item names; ``items`` selects among them.
        Reverse-keyed items have their covariances sign-flipped (the same as recoding).
    n : int, optional
        Number of respondents behind ``cov`` (required with it).

    Returns
    -------
    AlphaResult

    Raises
    ------
    TypeError
        ``data`` is not a table, a non-numeric item (named), ``cov`` without ``n``.
    ValueError
        Fewer than 2 items, unknown items, reverse-keyed items not among the items,
        answers outside ``scale``, an item without variance (named), fewer than 2 rows
        (complete rows with ``"listwise"``; rows answering a pair of items with
        ``"pairwise"``), ``method="bootstrap"`` with ``cov=``.

    Warns
    -----
    UserWarning
        Items with a negative item–rest correlation (named; probably not reversed), in
        particular when alpha is negative.

    Notes
    -----
    With C the k × k item covariance matrix, R = D^-½ C D^-½ its correlation matrix and
    1ᵀC1 the variance of the total score (following ``psych::alpha``):

    * alpha = k/(k − 1) · (1 − tr C / 1ᵀC1) (Cronbach 1951);
    * standardized alpha = k/(k − 1) · (1 − k / 1ᵀR1);
    * Guttman's λ6 = 1 − (k − Σ smcᵢ) / 1ᵀR1, with smcᵢ = 1 − 1/(R⁻¹)ᵢᵢ the squared
      multiple correlation of item i with the others (pseudo-inverse, clipped to [0, 1]);
    * average r = (1ᵀR1 − k) / (k(k − 1));
    * r_drop (item–rest) = (Σⱼ Cᵢⱼ − Cᵢᵢ) / √(Cᵢᵢ · 1ᵀC₋ᵢ1); the "if deleted" columns
      recompute the statistics without item i.

    Intervals, with n the number of respondents (``n``, see :class:`AlphaResult`):

    * ``"feldt"`` (Feldt, Woodruff & Salih 1987): (1 − alpha) / (1 − α_pop) follows
      F(n − 1, (n − 1)(k − 1)), giving 1 − (1 − alpha) F_{1−γ/2} … 1 − (1 − alpha) F_{γ/2}
      (``psych::alpha.ci`` with psych's n, the number of rows);
    * ``"duhachek"`` (Duhachek & Iacobucci 2004): alpha ± z · ase with
      ase = √(Q/n), Q = 2k² / ((k − 1)² (1ᵀC1)³) · [1ᵀC1 (tr C² + (tr C)²) −
      2 tr C · 1ᵀC²1] (psych's ``ase``; psych prints the 95% bounds with z = 1.96, here
      z is the exact normal quantile);
    * ``"bootstrap"``: percentile interval over ``n_resamples`` resamples of the rows
      (with ``"pairwise"`` every resample recomputes the pairwise covariances). Identical
      rows are pooled and resampled by multinomial counts, which is exact; the cost is
      O(P k²) per resample for P distinct answer patterns (P ≤ n), so the closed-form
      intervals are the choice for millions of rows.

    Everything comes from C (one pass over the rows in cache-sized blocks: one matrix
    product per block of complete rows, two per block with missing answers), so
    ``cov=C, n=n`` reproduces the results of the raw data (item means are then NaN).
    10⁶ respondents × 20 items take ~0.2 s complete and ~0.4 s with 5% missing
    (``benchmarks/bench_reliability.py``).

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    *Psychometrika*, 16, 297–334.
    Guttman, L. (1945). A basis for analyzing test-retest reliability. *Psychometrika*,
    10, 255–282.
    Feldt, L. S., Woodruff, D. J., & Salih, F. A. (1987). Statistical inference for
    coefficient alpha. *Applied Psychological Measurement*, 11, 93–103.
    Duhachek, A., & Iacobucci, D. (2004). Alpha's standard error (ASE): an accurate and
    precise confidence interval estimate. *Journal of Applied Psychology*, 89, 792–808.
    Revelle, W. (2022). psych: Procedures for Psychological, Psychometric, and
    Personality Research (R package 2.2.9), function ``alpha``.

    Examples
    --------
    >>> import cxkit
    >>> bfi = cxkit.load_dataset("bfi")
    >>> res = cronbach_alpha(bfi, ["A1", "A2", "A3", "A4", "A5"], reverse=["A1"],
    ...                      scale=(1, 6))
    >>> round(res.alpha, 4), round(res.std_alpha, 4), res.n, res.n_missing
    (0.703, 0.713, 2800, 104)
    >>> res.items[["r_drop", "alpha_if_deleted"]].round(3).loc[["A1", "A3"]]
          r_drop  alpha_if_deleted
    item
    A1     0.308             0.719
    A3     0.587             0.600

    From a covariance matrix only:

    >>> c = bfi[["N1", "N2", "N3", "N4", "N5"]].cov()
    >>> round(cronbach_alpha(cov=c, n=2800).alpha, 4)
    0.814
    """
    method = check_choice(method, RELIABILITY_CI_METHODS, "method")
    level = check_confidence_level(confidence_level)
    n_resamples = check_positive_int(n_resamples, "n_resamples", maximum=MAX_RESAMPLES)
    prep = _prepare(data, items, reverse, scale, nan_policy, cov, n)
    if method == "bootstrap" and prep.x is None:
        raise ValueError("the bootstrap interval resamples respondents and needs the raw "
                         "responses; with `cov=` use method='feldt' or 'duhachek'")
    stats = _undefined_stats(_alpha_stats(prep.cov), prep.names, prep.n)
    rows = None if prep.x is None else (prep.x, prep.sign)
    if math.isnan(stats["alpha"]):  # said by _undefined_stats; no interval around nothing
        ci = ConfidenceInterval(math.nan, math.nan, level, method,
                                "alpha is undefined for these data")
    else:
        ci = _alpha_interval(stats["alpha"], prep.cov, prep.n, rows, method, level,
                             n_resamples, check_rng(rng) if method == "bootstrap" else None)
    _warn_negative(stats, prep.names)
    return AlphaResult(
        alpha=float(stats["alpha"]), std_alpha=float(stats["std_alpha"]),
        g6=float(stats["g6"]), average_r=float(stats["average_r"]), ci=ci, method=method,
        confidence_level=level, n=prep.n, k=len(prep.names), n_missing=prep.n_missing,
        items=_item_table(prep, stats), reverse=prep.reverse, scale=prep.scale,
        scale_inferred=prep.scale_inferred, nan_policy=prep.nan_policy, notes=prep.notes,
        _cov=prep.cov, _rows=rows)


def _item_table(prep: _Items, stats: Mapping[str, Any]):
    import pandas as pd

    table = pd.DataFrame({
        "n": np.asarray(prep.item_n, dtype=np.int64), "mean": prep.means,
        "sd": np.sqrt(np.diag(prep.cov)), "reversed": [c in prep.reverse for c in prep.names],
        "r_drop": stats["r_drop"], "r_cor": stats["r_cor"],
        "alpha_if_deleted": stats["alpha_if_deleted"],
        "std_alpha_if_deleted": stats["std_alpha_if_deleted"],
        "g6_if_deleted": stats["g6_if_deleted"]},
        index=pd.Index(list(prep.names), name="item"))
    return table


def _undefined_stats(stats: Mapping[str, Any], names: tuple[str, ...],
                     n: int) -> dict[str, Any]:
    """Statistics that are undefined for these data (0/0, √ of a negative, ±inf) → NaN,
    said in one warning, so that no infinity or silent NaN reaches the result."""
    out, undefined = {}, []
    for key, value in stats.items():
        array = np.asarray(value, dtype=float)
        bad = ~np.isfinite(array)
        if len(names) == 2 and key.endswith("_if_deleted"):  # NaN by definition, documented
            bad[:] = False
        if bad.any():
            array = np.where(bad, np.nan, array)
            where = "" if array.ndim == 0 else \
                f" for {_names([c for c, b in zip(names, bad, strict=True) if b])}"
            undefined.append(f"{key}{where}")
        out[key] = array if array.ndim else float(array)
    if undefined:
        warn(f"undefined for these data (n = {n}, {len(names)} items), so NaN: "
             f"{'; '.join(undefined)}. The items' covariances are degenerate (too few "
             "respondents, or items that move together perfectly or cancel out)")
    return out


def _warn_negative(stats: Mapping[str, Any], names: tuple[str, ...]) -> None:
    negative = [c for c, r in zip(names, stats["r_drop"], strict=True) if r < 0]
    if stats["alpha"] < 0:
        which = (f"; items with a negative item–rest correlation: {_names(negative)}"
                 if negative else "")
        warn(f"alpha is negative ({stats['alpha']:.3f}): the items are not positively "
             f"related on average, which usually means reverse-keyed items were not "
             f"reversed{which}; pass reverse=[...] or check the items")
    elif negative:
        warn(f"item(s) {_names(negative)} correlate negatively with the rest of the scale; "
             "are they reverse keyed? pass reverse=[...] or check the items")


def omega(data=None, items=None, *, n_factors=1, reverse=None, scale=None,
          nan_policy="pairwise", confidence_level=0.95, n_resamples=0, rng=None, cov=None,
          n=None) -> OmegaResult:
    """McDonald's omega (total and hierarchical) from a factor model, as psych::omega.

    Parameters
    ----------
    data, items, reverse, scale, nan_policy, cov, n
        As in :func:`cronbach_alpha` (the same checks, reversal and covariances).
    n_factors : int, default 1
        Group factors of the model.
    confidence_level : float, default 0.95
    n_resamples : int, default 0
        When positive, a percentile bootstrap interval of ``omega_total`` from that many
        resamples of the rows (needs raw data; each resample refits the factor model).
    rng : None, int or numpy.random.Generator, optional

    Returns
    -------
    OmegaResult

    Raises
    ------
    TypeError, ValueError
        As :func:`cronbach_alpha`; also fewer than 3 items.

    Notes
    -----
    The correlation matrix R (from the covariances, as ``psych::omega`` computes it from
    ``cor(x, use = "pairwise")``) is factored by minimum residuals, rotated by oblimin
    and transformed by Schmid–Leiman into a general factor g and group factors
    (:func:`cxkit._factor.omega_coefficients`). With uniquenesses u²:

    omega_total = (1ᵀR1 − Σ u²ᵢ) / 1ᵀR1 and omega_hierarchical = (Σ gᵢ)² / 1ᵀR1.

    References
    ----------
    McDonald, R. P. (1999). *Test theory: a unified treatment*. Erlbaum.
    Zinbarg, R. E., Revelle, W., Yovel, I., & Li, W. (2005). Cronbach's α, Revelle's β,
    and McDonald's ω_H. *Psychometrika*, 70, 123–133.
    Revelle, W. (2022). psych (R package 2.2.9), function ``omega``.

    Examples
    --------
    >>> import cxkit
    >>> res = omega(cxkit.load_dataset("bfi"), ["N1", "N2", "N3", "N4", "N5"])
    >>> round(res.omega_total, 3)
    0.819
    """
    n_factors = check_positive_int(n_factors, "n_factors")
    level = check_confidence_level(confidence_level)
    n_resamples = check_positive_int(n_resamples, "n_resamples", minimum=0,
                                     maximum=MAX_RESAMPLES)
    prep = _prepare(data, items, reverse, scale, nan_policy, cov, n)
    k = len(prep.names)
    if k < 3:
        raise ValueError(f"omega needs at least 3 items in `data` or `cov` (a factor model of "
                         f"{k} items is not identified); use cronbach_alpha")
    if n_resamples and prep.x is None:
        raise ValueError("the bootstrap interval resamples respondents and needs the raw "
                         "responses; with `cov=` pass n_resamples=0")
    if n_factors >= k or (k - n_factors) ** 2 < k + n_factors:
        usable = max(m for m in range(1, k) if (k - m) ** 2 >= k + m)
        raise ValueError(
            f"`n_factors`: {n_factors} factor(s) for {k} items leave "
            f"{((k - n_factors) ** 2 - (k + n_factors)) // 2:,} degrees of freedom, so the "
            f"factor model is not identified and omega would be arbitrary; with {k} items "
            f"use n_factors <= {usable} (omega hierarchical needs 3 group factors, so at "
            "least 6 items)")
    from collections import Counter

    from cxkit._factor import omega_coefficients, one_blas_thread

    names = [str(c) for c in prep.names]
    with caught_user_warnings() as said, one_blas_thread():
        coef = omega_coefficients(prep.corr, n_factors, names=names)
    for message in said:
        warn(message)
    ci = None
    if n_resamples:
        rng = check_rng(rng)
        with caught_user_warnings() as in_resamples, one_blas_thread():  # once, not per fit
            stats = np.array([_omega_total_or_nan(corr, n_factors, omega_coefficients, names)
                              for _, corr in _bootstrap_covs((prep.x, prep.sign),
                                                             n_resamples, rng)])
        repeated = Counter(in_resamples)
        for message, count in repeated.items():  # once each, counted, not once per resample
            if message not in said:
                warn(f"in {count} of {n_resamples} bootstrap resamples: {message}")
        ci = _percentile_interval(stats, level, n_resamples, "omega")
    return OmegaResult(
        omega_total=float(coef["omega_total"]),
        omega_hierarchical=float(coef["omega_hierarchical"]), ci=ci,
        loadings=_loading_table(prep.names, coef), n=prep.n, k=k, n_factors=n_factors,
        n_missing=prep.n_missing, notes=prep.notes + _omega_notes(n_factors))


def _omega_notes(n_factors: int) -> tuple[str, ...]:
    if n_factors >= 3:
        return ()
    return (f"with n_factors={n_factors}, omega_hierarchical is psych's (Σg)²/1ᵀR1 and does not "
            "separate a general factor from group factors; use n_factors ≥ 3 for a "
            "meaningful omega hierarchical",)


def _omega_total_or_nan(corr, n_factors, omega_coefficients, names=None) -> float:
    if not np.isfinite(corr).all():
        return math.nan
    try:
        return float(omega_coefficients(corr, n_factors, names=names)["omega_total"])
    except (ValueError, np.linalg.LinAlgError):
        return math.nan


def _loading_table(names, coef):
    import pandas as pd

    group = np.asarray(coef["group"], dtype=np.float64).reshape(len(names), -1)
    table = pd.DataFrame({"g": np.asarray(coef["general"], dtype=np.float64)},
                         index=pd.Index(list(names), name="item"))
    for j in range(group.shape[1]):
        table[f"F{j + 1}"] = group[:, j]
    table["h2"] = np.asarray(coef["h2"], dtype=np.float64)
    table["u2"] = np.asarray(coef["u2"], dtype=np.float64)
    return table


def _read_group_inputs(data, score, group):
    """(scores float64, group labels as an object/array, n_missing)."""
    import pandas as pd

    if data is not None:
        check_dataframe(data)
        score_col = check_columns(data, score, "score")
        group_col = check_columns(data, group, "group")
        if len(score_col) != 1 or len(group_col) != 1:
            raise ValueError("`score` and `group` must each name one column of `data`")
        x = _plain_floats(data[score_col[0]])
        if x is None:
            x = as_float_array(data[score_col[0]], "score", column=score_col[0])
        labels = data[group_col[0]]
    else:
        if isinstance(score, str) or isinstance(group, str):
            raise TypeError("`score` and `group` name columns only together with `data` (a "
                            "DataFrame); without `data` pass the scores and group labels "
                            "themselves")
        x = _plain_floats(score)
        if x is None:
            x = as_float_array(score, "score")
        labels = group if isinstance(group, pd.Series) else pd.Series(np.asarray(group))
        if labels.ndim != 1 or len(labels) != len(x):
            raise ValueError(f"`score` and `group` must have the same length; got {len(x)} "
                             f"and {len(labels)}")
    if x.size:  # one min and one max find infinities and overflowing values
        lo, hi = float(np.fmin.reduce(x)), float(np.fmax.reduce(x))
        if hi == np.inf or lo == -np.inf:
            raise ValueError(f"`score` holds {int(np.isinf(x).sum())} infinite value(s); "
                             "scores must be finite numbers (NaN for a missing score)")
        if hi > _HUGE or lo < -_HUGE:
            raise ValueError(f"`score` holds values beyond ±{_HUGE:g} (as large as "
                             f"{np.nanmax(np.abs(x)):g}), whose squares overflow float64; "
                             "rescale the scores")
    codes, uniques = _integer_group_codes(labels)
    if codes is None:
        labels = pd.Series(labels).reset_index(drop=True)
        # labels of one orderable type need no sorted codes (the ANOVA does not depend on
        # the order): group_reliability sorts the few it names; others sort here, which
        # also finds unorderable mixtures
        sort = not isinstance(labels.dtype, pd.StringDtype) and not (
            isinstance(labels.dtype, np.dtype) and labels.dtype.kind in "biufmM")
        try:
            codes, uniques = pd.factorize(labels, sort=sort)
        except TypeError as exc:  # unhashable labels (lists, dicts) or unorderable mixtures
            raise TypeError(f"`group` labels must be hashable and comparable (text or "
                            f"numbers); got {exc}") from None
    keep = ~np.isnan(x)
    if codes.size and codes.min() < 0:
        keep &= codes >= 0
    if keep.all():  # nothing to leave out: no copies
        return x, codes, uniques, 0
    return x[keep], codes[keep], uniques, int((~keep).sum())


def _plain_floats(values) -> np.ndarray | None:
    """The float64 values of a 1-D numpy array or numpy-backed Series, without a copy
    (nothing to convert or check; group_reliability only reads them), else None."""
    dtype = getattr(values, "dtype", None)
    if dtype != np.float64 or not isinstance(dtype, np.dtype) or getattr(values, "ndim", 0) != 1:
        return None
    return values if isinstance(values, np.ndarray) else values.to_numpy(copy=False)


def _integer_group_codes(labels):
    """(codes, uniques) of numpy integer labels spanning a short range, or (None, None).

    The codes are label − min (no hashing), the uniques every integer from min to max,
    in order: what ``pd.factorize(sort=True)`` gives once the labels that never occur
    (they have no members) are dropped, as :func:`group_reliability` does.
    """
    dtype = getattr(labels, "dtype", None)
    if not isinstance(dtype, np.dtype) or dtype.kind not in "iu" or labels.ndim != 1 \
            or len(labels) == 0:
        return None, None
    values = np.asarray(labels)
    lo, hi = values.min(), values.max()
    if int(hi) - int(lo) > 2 * values.size + 1024:  # sparse labels: hash them
        return None, None
    codes = (values - lo).astype(np.intp, copy=False)
    return codes, np.arange(lo, hi + 1, dtype=values.dtype)


def group_reliability(data=None, *, score, group) -> GroupReliabilityResult:
    """How reliably do group means (stores, teams, agents) reflect their group? ICC(1), ICC(2).

    Parameters
    ----------
    data : pandas.DataFrame, optional
        One row per respondent. Without it, ``score`` and ``group`` are arrays.
    score : str or array-like
        The score column (numeric), e.g. a scale mean.
    group : str or array-like
        The group of each respondent.

    Returns
    -------
    GroupReliabilityResult

    Raises
    ------
    TypeError
        A non-numeric score.
    ValueError
        Unknown columns, fewer than 2 groups, no group with two members, or a score
        without variance.

    Warns
    -----
    UserWarning
        Groups with one member (they add to the between-group but not to the
        within-group variance).

    Notes
    -----
    A one-way ANOVA from group sums: with N scores in G groups, MSB = Σ n_g (ȳ_g − ȳ)² /
    (G − 1) and MSW = Σ (y − ȳ_g)² / (N − G),

    ICC(1) = (MSB − MSW) / (MSB + (k̄ − 1) MSW) and ICC(2) = (MSB − MSW) / MSB,

    with k̄ = N / G the mean group size, exactly as R's ``multilevel::ICC1`` and
    ``ICC2`` on ``aov(score ~ as.factor(group))`` (with unequal groups the ANOVA
    textbook n₀ = (N − Σ n_g² / N) / (G − 1) would give a slightly different ICC(1)).
    ICC(2) is the Spearman–Brown step-up of ICC(1) to k̄ (Bliese 2000);
    :meth:`GroupReliabilityResult.responses_needed` inverts it for a target.

    References
    ----------
    Bliese, P. D. (2000). Within-group agreement, non-independence, and reliability.
    In K. J. Klein & S. W. J. Kozlowski (Eds.), *Multilevel theory, research, and
    methods in organizations* (pp. 349–381). Jossey-Bass.
    Bliese, P. D. (2022). multilevel: Multilevel Functions (R package 2.7).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> store = np.repeat(np.arange(30), 20)
    >>> sat = rng.normal(size=30)[store] * 0.5 + rng.normal(size=600)
    >>> res = group_reliability(score=sat, group=store)
    >>> res.n_groups, res.mean_group_size, round(res.icc1, 2), round(res.icc2, 2)
    (30, 20.0, 0.14, 0.76)
    >>> res.responses_needed(0.9)
    57
    """
    import pandas as pd
    from scipy.stats import f

    x, codes, uniques, n_missing = _read_group_inputs(data, score, group)
    n_groups, n = len(uniques), x.size
    sizes = np.bincount(codes, minlength=n_groups)
    present = sizes > 0
    if not present.all():  # labels without a score: renumber the groups that have one
        sizes, n_groups = sizes[present], int(present.sum())
        codes = (np.cumsum(present) - 1)[codes]
    if n_groups < 2:
        raise ValueError(f"`group` must have at least 2 groups with a score; got {n_groups}")
    if n - n_groups < 1:
        raise ValueError("every `group` has only one member, so there is no within-group "
                         "variance to compare with; ICC needs groups of 2 or more")
    notes = []
    if n_missing:
        notes.append(f"{n_missing} row(s) without a score or a group were left out")
    singles = int((sizes == 1).sum())
    if singles:
        which = np.flatnonzero(present)[sizes == 1]
        named = uniques.take(which).sort_values() if isinstance(uniques, pd.Index) \
            else uniques[which]  # the first three in label order
        labels = [named[i] for i in range(min(3, len(named)))]
        message = (f"{singles} group(s) have only one member (e.g. "
                   f"{', '.join(map(repr, labels))}); they add nothing to the within-group "
                   "variance and their means rest on a single answer")
        notes.append(message)
        warn(message)
    centred = x - x.mean()
    means = np.bincount(codes, weights=centred, minlength=n_groups) / sizes
    grand = centred.mean()
    ms_between = float((sizes * (means - grand) ** 2).sum() / (n_groups - 1))
    within = np.subtract(centred, means.take(codes), out=centred)
    ms_within = float(np.dot(within, within) / (n - n_groups))
    if ms_within == 0 and ms_between == 0:
        raise ValueError("`score` has no variance (every score is the same); the ICC is "
                         "undefined")
    k_bar = n / n_groups
    if ms_between < ms_within:
        notes.append("the group means differ less than chance would make them: ICC(1) and "
                     "ICC(2) are negative, read them as 0")
    if ms_within > 0:
        f_stat = ms_between / ms_within
        p_value = float(f.sf(f_stat, n_groups - 1, n - n_groups))
    else:  # F is infinite: report NaN and say so (p is 0)
        f_stat, p_value = math.nan, 0.0
        message = ("every member of each group gave the same score (no within-group "
                   "variance): ICC(1) = ICC(2) = 1, the F statistic is infinite (NaN here) "
                   "and p = 0")
        notes.append(message)
        warn(message)
    if ms_between > 0:
        icc2 = (ms_between - ms_within) / ms_between
    else:
        icc2 = math.nan
        message = ("the group means are all equal (no between-group variance): ICC(2) is "
                   "undefined (NaN) and ICC(1) is at its minimum; the groups do not differ")
        notes.append(message)
        warn(message)
    return GroupReliabilityResult(
        icc1=(ms_between - ms_within) / (ms_between + (k_bar - 1) * ms_within),
        icc2=icc2, n_groups=n_groups, n=int(n), mean_group_size=float(k_bar),
        f_statistic=float(f_stat), p_value=p_value,
        ms_between=ms_between, ms_within=ms_within, n_missing=n_missing,
        notes=tuple(notes))
