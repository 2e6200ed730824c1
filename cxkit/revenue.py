"""CX-to-revenue: a transparent scenario model with uncertainty, and its levers from surveys.

The claim to test (Temkin Group, 2018): "a company with $1 billion in annual revenue can
gain $775 million over three years from a modest improvement in customer experience".
Temkin and Forrester value a CX improvement the same way: it shifts three loyalty
behaviours — customers **stay** (retention), **buy more** (enrichment) and **recommend**
(advocacy) — and each shift is valued with revenue per customer over a horizon. Neither
publishes its assumptions in full, nor any uncertainty. Here every assumption is an
argument, any of them may be uncertain (a ``scipy.stats`` distribution, propagated by
Monte Carlo), and :meth:`RevenueScenario.solve_for` says what would have to be true to
reach a target.

Two functions:

* :func:`cx_revenue_scenario` — the scenario model (below), evaluated at the central
  values and by Monte Carlo, with the total split by lever and year, a tornado table
  and root finding for a target.
* :func:`estimate_lever_effects` — the behaviour shifts estimated from survey data: how
  the share of customers in the top box of an intention item ("choose us again",
  "recommend us") changes when every respondent's CX rating rises by ``shift`` points,
  from a logit model, with a bootstrap interval. :func:`lift_distribution` turns such a
  lift into a distribution for the scenario.

The model
---------
Year t = 1..T. Baseline active customers A₁ = N, A_{t+1} = A_t·r. With the improvement
(κ = ``intent_to_behaviour``, the share of a stated-intention lift that becomes
behaviour): A'₁ = N, A'_{t+1} = A'_t·(r + κ·Δr) + new_t, with new_t =
A'_t·κ·Δrecommend·referrals·conversion (referred customers start paying the year after,
then follow the improved retention). Revenue in year t is A_t·R at baseline and
A'_t·R·(1 + κ·Δbuy_more·spend_uplift) with the improvement; the impact is the
difference, discounted by (1 + d)^−(t−1). In closed form, with
g = r + κ·Δr + κ·Δrecommend·referrals·conversion and m = 1 + κ·Δbuy_more·spend_uplift,

    impact_t = N·R·(m·g^(t−1) − r^(t−1)) / (1 + d)^(t−1).

Examples
--------
The retention example of the issue, by hand: A = 1000, 800, 640 and A' = 1000, 850,
722.5 customers, so 132.5 more customer-years at $1,000:

>>> from cxkit.revenue import cx_revenue_scenario
>>> res = cx_revenue_scenario(customers=1000, revenue_per_customer=1000, retention=0.8,
...                           retention_lift=0.05)
>>> res.total
132500.0
>>> res.by_year.pivot(index="year", columns="lever", values="contribution")
lever  advocacy  enrichment  retention
year
1           0.0         0.0        0.0
2           0.0         0.0    50000.0
3           0.0         0.0    82500.0
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from cxkit._montecarlo import (
    sorted_median,
    sorted_quantiles,
    truncnorm_draws,
    truncnorm_parameters,
)
from cxkit._results import ConfidenceInterval, ResultBase
from cxkit._validation import (
    MAX_COUNT,
    MAX_DRAWS,
    MAX_RESAMPLES,
    check_choice,
    check_columns,
    check_confidence_level,
    check_dataframe,
    check_in_range,
    check_positive_int,
    check_probability,
    check_real,
    check_rng,
    check_scale,
    numeric_frame,
    warn,
)

__all__ = [
    "INPUTS",
    "LEVERS",
    "RevenueScenario",
    "cx_revenue_scenario",
    "estimate_lever_effects",
    "lift_distribution",
]

#: The model's numeric inputs, in the order they are drawn in the Monte Carlo.
INPUTS = ("customers", "revenue_per_customer", "retention", "retention_lift",
          "buy_more_lift", "spend_uplift", "recommend_lift", "referrals_per_recommender",
          "referral_conversion", "intent_to_behaviour", "discount_rate")

#: The three levers (Forrester's names) and the inputs that drive each one.
LEVERS = {"retention": ("retention_lift",),
          "enrichment": ("buy_more_lift", "spend_uplift"),
          "advocacy": ("recommend_lift", "referrals_per_recommender", "referral_conversion")}

#: Lifts scaled together by :meth:`RevenueScenario.scale_to` by default.
LIFTS = ("retention_lift", "buy_more_lift", "recommend_lift")

_INF = math.inf
# (low, high, low_open, high_open, what the input is) for each input on its own
_BOUNDS: dict[str, tuple[float, float, bool, bool, str]] = {
    "customers": (0.0, _INF, False, True, "a number of customers"),
    "revenue_per_customer": (0.0, _INF, False, True, "annual revenue per customer"),
    "retention": (0.0, 1.0, True, False, "the share of customers kept from one year to "
                                         "the next"),
    "retention_lift": (-1.0, 1.0, False, False, "an absolute change in the retention "
                                                "share (0.05 = 5 points)"),
    "buy_more_lift": (-1.0, 1.0, False, False, "an absolute change in the share of "
                                               "customers who buy more"),
    "spend_uplift": (-1.0, _INF, False, True, "the relative extra spend of a customer who "
                                              "buys more (0.2 = 20% more)"),
    "recommend_lift": (-1.0, 1.0, False, False, "an absolute change in the share of "
                                                "customers who recommend"),
    "referrals_per_recommender": (0.0, _INF, False, True, "referrals a recommender makes "
                                                          "a year"),
    "referral_conversion": (0.0, 1.0, False, False, "the share of referrals who become "
                                                    "customers"),
    "intent_to_behaviour": (0.0, 1.0, False, False, "the share of a stated-intention lift "
                                                    "that becomes behaviour"),
    "discount_rate": (-1.0, _INF, True, True, "an annual discount rate"),
}
_MC_METHOD = "monte carlo percentile"
# inputs that only matter together with others (a product in the model)
_PARTNERS = {"spend_uplift": ("buy_more_lift",), "buy_more_lift": ("spend_uplift",),
             "recommend_lift": ("referrals_per_recommender", "referral_conversion"),
             "referrals_per_recommender": ("recommend_lift", "referral_conversion"),
             "referral_conversion": ("recommend_lift", "referrals_per_recommender")}


# --------------------------------------------------------------------------------------
# Inputs: numbers or distributions
# --------------------------------------------------------------------------------------


def _is_distribution(value: Any) -> bool:
    """A scipy.stats frozen distribution (or anything with ``rvs`` and ``ppf``)."""
    return (not isinstance(value, (numbers.Number, str, bytes, np.ndarray))
            and callable(getattr(value, "rvs", None)) and callable(getattr(value, "ppf", None)))


def _describe(value: Any) -> str:
    """'norm(loc=0.05, scale=0.01)', 'truncnorm(...)', or the number."""
    if not _is_distribution(value):
        return f"fixed {value:g}"
    dist = getattr(value, "dist", None)
    name = getattr(dist, "name", type(value).__name__)
    args = [f"{a:g}" if isinstance(a, numbers.Real) else repr(a)
            for a in getattr(value, "args", ())]
    kwds = [f"{k}={v:g}" if isinstance(v, numbers.Real) else f"{k}={v!r}"
            for k, v in getattr(value, "kwds", {}).items()]
    return f"{name}({', '.join(args + kwds)})"


def _range_text(name: str) -> str:
    lo, hi, lo_open, hi_open, _ = _BOUNDS[name]
    left = "(" if lo_open else "["
    right = ")" if hi_open else "]"
    return f"{left}{lo:g}, {hi:g}{right}".replace("inf", "∞")


def _outside(name: str, x: np.ndarray) -> np.ndarray:
    lo, hi, lo_open, hi_open, _ = _BOUNDS[name]
    below = x <= lo if lo_open else x < lo
    above = x >= hi if hi_open else x > hi
    return below | above | np.isnan(x)


def _inside(name: str, x: np.ndarray) -> bool:
    """Every value in range, from the minimum and maximum (NaN makes it False)."""
    lo, hi, lo_open, hi_open, _ = _BOUNDS[name]
    smallest, largest = x.min(), x.max()
    return bool((smallest > lo if lo_open else smallest >= lo)
                and (largest < hi if hi_open else largest <= hi))


def _check_values(values: Mapping[str, np.ndarray], source: str) -> None:
    """Check arrays of input values (central, quantiles or draws); name the input."""
    for name in INPUTS:
        x = values[name]
        if _inside(name, x):
            continue
        bad = _outside(name, x)
        if bad.any():
            _raise_bad(name, x, bad, source, f"must lie in {_range_text(name)} "
                                             f"({_BOUNDS[name][4]})")
    r, lift = values["retention"], values["retention_lift"]
    share = r + values["intent_to_behaviour"] * lift
    if share.max() <= 1.0 + 1e-12 and share.min() >= 0.0:
        return
    bad = (share > 1.0 + 1e-12) | (share < 0.0)
    if bad.any():
        _raise_bad("retention_lift", lift, bad, source,
                   "must keep the improved retention, retention + intent_to_behaviour × "
                   "retention_lift, within [0, 1] (a share of customers); `retention` is "
                   f"{_examples(r[bad])}, `intent_to_behaviour` "
                   f"{_examples(values['intent_to_behaviour'][bad])}")


def _examples(x: np.ndarray) -> str:
    shown = list(dict.fromkeys(float(v) for v in x[:50]))[:3]
    return ", ".join(f"{v:.6g}" for v in shown)


def _raise_bad(name: str, x: np.ndarray, bad: np.ndarray, source: str, rule: str) -> None:
    if source == "value":
        raise ValueError(f"`{name}` {rule}; got {_examples(x[bad])}")
    count = int(bad.sum())
    raise ValueError(
        f"`{name}` {rule}; {count:,} of {x.size:,} Monte Carlo draws of its distribution do "
        f"not (e.g. {_examples(x[bad])}). Give a distribution that stays in range (e.g. "
        "scipy.stats.truncnorm or beta, or cxkit.revenue.lift_distribution(..., "
        "lower=, upper=)); draws are never clipped silently")


def _as_input(name: str, value: Any) -> Any:
    """A float or a distribution; anything else is a TypeError naming the input."""
    if _is_distribution(value):
        return value
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"`{name}` must be a number or a scipy.stats frozen distribution; "
                        f"got {type(value).__name__} {value!r}")
    return check_real(value, name, allow_inf=False)


def _central(value: Any) -> float:
    """The central value of an input: the number, or the distribution's median."""
    return float(value.ppf(0.5)) if _is_distribution(value) else float(value)


def _draw(name: str, value: Any, n: int, rng: np.random.Generator) -> np.ndarray:
    if not _is_distribution(value):
        return np.full(n, float(value))
    truncnorm = truncnorm_parameters(value)
    if truncnorm is not None:  # exact inverse-CDF draws, not scipy's slow sampler
        return truncnorm_draws(*truncnorm, n, rng)
    draws = np.asarray(value.rvs(size=n, random_state=rng), dtype=float)
    if draws.shape != (n,):
        raise ValueError(f"`{name}` must be a univariate distribution; its rvs(size={n}) "
                         f"returned shape {draws.shape}")
    return draws


# --------------------------------------------------------------------------------------
# The model, vectorised over draws
# --------------------------------------------------------------------------------------



def _paths(v: Mapping[str, np.ndarray], horizon: int, per_year: bool):
    """The model's building blocks: discounted customer paths, spend and scale.

    Customers follow a geometric path, A'_t = N·g^(t−1), so each subset of levers needs
    only its growth factor g (retention and advocacy) and spend multiplier m
    (enrichment); the four discounted paths Σ (g/(1 + d))^(t−1) — baseline r, r + κΔr,
    r + advocacy, r + both — are computed once and shared. Returns the paths
    {(retention on, advocacy on): (draws, T) or, summed, (draws,)}, m, m − 1 (as
    κ·Δbuy·s, without the rounding of m − 1) and N·R.
    """
    kappa = v["intent_to_behaviour"]
    r = v["retention"]
    delta = 1.0 / (1.0 + v["discount_rate"])
    ret = kappa * v["retention_lift"]
    adv = kappa * v["recommend_lift"] * v["referrals_per_recommender"] \
        * v["referral_conversion"]
    extra = kappa * v["buy_more_lift"] * v["spend_uplift"]
    m = 1.0 + extra
    scale = v["customers"] * v["revenue_per_customer"]

    def path(g: np.ndarray) -> np.ndarray:
        x = g * delta
        if per_year:
            term = np.ones_like(x)
            out = np.empty(x.shape + (horizon,))
            for t in range(horizon):
                out[..., t] = term
                term = term * x
            return out
        if horizon == 1:
            return np.ones_like(x)
        out = x + 1.0  # 1 + x + x·x + (x·x)·x + …, summed in this order
        term = x
        for _ in range(horizon - 2):
            term = term * x
            out += term
        return out

    with_ret = r + ret
    paths = {(False, False): path(r), (True, False): path(with_ret),
             (False, True): path(r + adv), (True, True): path(with_ret + adv)}
    if per_year:
        m, extra, scale = m[:, None], extra[:, None], scale[:, None]
    return paths, m, extra, scale


def _shapley(v: Mapping[str, np.ndarray], horizon: int, per_year: bool = True):
    """Lever contributions (3, draws[, T]) by Shapley attribution, and the total.

    The Shapley value of a lever over the 8 subset values v(S), with weights 1/3, 1/6,
    1/6, 1/3, collected by path (B baseline, P_r, P_a, P_ra with retention, advocacy,
    both; m the spend multiplier):

        retention  = N·R·[(P_r − B)·(2 + m) + (P_ra − P_a)·(1 + 2m)] / 6
        enrichment = N·R·(m − 1)·[2·(B + P_ra) + P_r + P_a] / 6
        advocacy   = N·R·[(P_a − B)·(2 + m) + (P_ra − P_r)·(1 + 2m)] / 6

    and the total N·R·(m·P_ra − B), as v(all levers). A lever with no lift contributes
    exactly 0 (its paths coincide, or m − 1 = 0).
    """
    paths, m, extra, scale = _paths(v, horizon, per_year)
    base, p_r = paths[(False, False)], paths[(True, False)]
    p_a, p_ra = paths[(False, True)], paths[(True, True)]
    full = scale * (m * p_ra - base)
    contrib = np.empty((3,) + full.shape)
    w_alone, w_last = (2.0 + m) / 6.0, (1.0 + 2.0 * m) / 6.0
    for j, (alone, other, both) in ((0, (p_r, p_a, p_ra)), (2, (p_a, p_r, p_ra))):
        out = contrib[j]
        np.subtract(alone, base, out=out)
        out *= w_alone
        last = both - other
        last *= w_last
        out += last
        out *= scale
    out = contrib[1]
    np.add(base, p_ra, out=out)
    out *= 2.0
    out += p_r
    out += p_a
    out *= (scale * extra) / 6.0
    return contrib, full


def _totals(v: Mapping[str, np.ndarray], horizon: int) -> np.ndarray:
    """Total impact over the horizon, shape (draws,): v(all levers), as in _shapley."""
    paths, m, _, scale = _paths(v, horizon, per_year=False)
    return scale * (m * paths[(True, True)] - paths[(False, False)])


def _arrays(values: Mapping[str, float]) -> dict[str, np.ndarray]:
    return {k: np.atleast_1d(np.asarray(values[k], dtype=float)) for k in INPUTS}


# --------------------------------------------------------------------------------------
# Result
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False, eq=False)
class RevenueScenario(ResultBase):
    """A CX-to-revenue scenario (see :func:`cx_revenue_scenario`).

    Attributes
    ----------
    total : float
        Total (discounted) revenue impact over the horizon at the central values of the
        inputs (a distribution's median).
    interval : ConfidenceInterval
        Monte Carlo percentile interval of the total at ``confidence_level``; zero width
        when every input is fixed.
    mean, median : float
        Mean and median of the Monte Carlo totals (the mean can differ from ``total``:
        the model is not linear in its inputs).
    probability_positive : float
        Share of Monte Carlo draws with a total above zero.
    horizon_years, n_draws : int
    confidence_level : float
    uncertain : tuple of str
        The inputs given as distributions.
    levers : pandas.DataFrame
        One row per lever: ``lever``, ``contribution`` (at the central values),
        ``share`` of the total, ``mean``, ``ci_low``, ``ci_high`` (Monte Carlo).
    by_year : pandas.DataFrame
        Tidy year × lever table (``year``, ``lever``, ``contribution``) at the central
        values; its contributions add up to ``total``.
    timeline : pandas.DataFrame
        One row per year, for checking by hand: ``customers_baseline`` (A_t),
        ``customers_improved`` (A'_t), ``new_customers`` (referred customers who start
        paying this year), ``revenue_baseline``, ``revenue_improved``, ``impact``
        (undiscounted), ``discount_factor`` and ``discounted_impact``.
    inputs : pandas.DataFrame
        One row per input: ``input``, ``central``, ``distribution``, ``uncertain``,
        ``draws_low``, ``draws_high`` (the draws' percentiles at ``confidence_level``).
    draws : pandas.DataFrame
        ``n_draws`` rows: each uncertain input's draw (named as the input), the lever
        contributions summed over years (``impact_retention``, ``impact_enrichment``,
        ``impact_advocacy``) and ``total``.
    notes : tuple of str
    """

    total: float
    interval: ConfidenceInterval
    mean: float
    median: float
    probability_positive: float
    horizon_years: int
    n_draws: int
    confidence_level: float
    uncertain: tuple[str, ...]
    levers: Any
    by_year: Any
    timeline: Any
    inputs: Any
    draws: Any = field(repr=False)
    notes: tuple[str, ...] = ()
    _spec: Any = field(default=None, repr=False)

    _title: ClassVar[str] = "CX-to-revenue scenario"
    _summary_fields: ClassVar[tuple[str, ...]] = (
        "total", "interval", "mean", "median", "probability_positive", "horizon_years",
        "n_draws", "uncertain", "levers", "by_year", "timeline", "inputs")

    def to_dict(self) -> dict[str, Any]:
        """Fields as JSON-ready Python (see ResultBase.to_dict), without the ``draws``.

        The draws can be millions of rows; export them with ``self.draws`` (e.g.
        ``to_parquet``) when they are needed.
        """
        out = super().to_dict()
        out.pop("draws", None)
        return out

    def confidence_interval(self, method: str = "percentile",
                            confidence_level: float | None = None) -> ConfidenceInterval:
        """The Monte Carlo interval of the total at another level.

        Parameters
        ----------
        method : {"percentile"}
            Percentiles of the draws' totals (the only method: the draws are the
            distribution).
        confidence_level : float, optional
            Default: the scenario's level.

        Examples
        --------
        >>> from scipy import stats
        >>> res = cx_revenue_scenario(customers=1000, revenue_per_customer=1000,
        ...     retention=0.8, retention_lift=stats.uniform(0.03, 0.04), n_draws=4000, rng=1)
        >>> ci = res.confidence_interval(confidence_level=0.5)
        >>> res.interval.low < ci.low < res.total < ci.high < res.interval.high
        True
        """
        check_choice(method, ("percentile",), "method")
        level = check_confidence_level(self.confidence_level if confidence_level is None
                                       else confidence_level)
        if not self.uncertain:
            return ConfidenceInterval(self.total, self.total, level, _MC_METHOD,
                                      self.interval.note)
        totals = self.draws["total"].to_numpy()
        low, high = np.quantile(totals, [(1 - level) / 2, (1 + level) / 2])
        return ConfidenceInterval(float(low), float(high), level, _MC_METHOD)

    # -- evaluation at central values --------------------------------------------------

    def _central_values(self) -> dict[str, float]:
        return {k: _central(self._spec["inputs"][k]) for k in INPUTS}

    def total_at(self, **values: float) -> float:
        """The total at the central values, with some inputs set to other numbers.

        Examples
        --------
        >>> res = cx_revenue_scenario(customers=1000, revenue_per_customer=1000,
        ...                           retention=0.8, retention_lift=0.05)
        >>> res.total_at(customers=2000)
        265000.0
        """
        central = self._central_values()
        for name, value in values.items():
            check_choice(name, INPUTS, "input")
            central[name] = check_real(value, name, allow_inf=False)
        arrays = _arrays(central)
        _check_values(arrays, "value")
        return float(_totals(arrays, self.horizon_years)[0])

    def rerun(self, *, rng: Any = None, **changes: Any) -> RevenueScenario:
        """The same scenario with some inputs changed (numbers or distributions).

        Examples
        --------
        >>> res = cx_revenue_scenario(customers=1000, revenue_per_customer=1000,
        ...                           retention=0.8, retention_lift=0.05)
        >>> res.rerun(horizon_years=2).total
        50000.0
        """
        spec = dict(self._spec["inputs"])
        options = {"horizon_years": self.horizon_years, "n_draws": self.n_draws,
                   "confidence_level": self.confidence_level}
        for name, value in changes.items():
            if name in options:
                options[name] = value
            else:
                spec[check_choice(name, INPUTS + tuple(options), "input")] = value
        return cx_revenue_scenario(**spec, **options, rng=rng)

    # -- sensitivity -------------------------------------------------------------------

    def sensitivity(self, quantiles: Sequence[float] | None = None, *,
                    ranges: Mapping[str, Sequence[float]] | None = None):
        """Tornado table: each uncertain input at a low and a high value, others central.

        Parameters
        ----------
        quantiles : (float, float), optional
            Quantiles of each input's distribution used as its low and high value.
            Default: the scenario's interval, ((1 − level)/2, (1 + level)/2).
        ranges : mapping of input to (low, high), optional
            Explicit low and high values, for fixed inputs too (e.g.
            ``{"retention": (0.8, 0.9)}``); they replace the quantiles of that input.

        Returns
        -------
        pandas.DataFrame
            One row per input, widest swing first: ``input``, ``low``, ``central``,
            ``high`` (input values), ``total_low`` and ``total_high`` (the total with
            the input at its low/high value), ``swing`` (``|total_high − total_low|``),
            ``basis`` (``"quantiles 0.05–0.95"`` or ``"range"``).

        Examples
        --------
        >>> from scipy import stats
        >>> res = cx_revenue_scenario(customers=1000, revenue_per_customer=1000,
        ...     retention=0.8, retention_lift=stats.uniform(0.03, 0.04), n_draws=100, rng=1)
        >>> t = res.sensitivity()
        >>> t[["input", "low", "high", "total_low", "total_high"]].round(4)
                    input    low   high  total_low  total_high
        0  retention_lift  0.032  0.068    84224.0    181424.0
        """
        import pandas as pd

        level = self.confidence_level
        q = ((1 - level) / 2, (1 + level) / 2) if quantiles is None else tuple(quantiles)
        if len(q) != 2 or not 0 < check_probability(q[0], "quantiles[0]") \
                < check_probability(q[1], "quantiles[1]") < 1:
            raise ValueError(f"`quantiles` must be two probabilities 0 < low < high < 1; got {q}")
        ranges = dict(ranges or {})
        for name in ranges:
            check_choice(name, INPUTS, "ranges")
        central = self._central_values()
        rows = []
        for name in INPUTS:
            value = self._spec["inputs"][name]
            if name in ranges:
                if len(ranges[name]) != 2:
                    raise ValueError(f"`ranges[{name!r}]` must be (low, high); got "
                                     f"{ranges[name]!r}")
                low, high = (check_real(x, f"ranges[{name!r}]", allow_inf=False)
                             for x in ranges[name])
                basis = "range"
            elif _is_distribution(value):
                low, high = float(value.ppf(q[0])), float(value.ppf(q[1]))
                basis = f"quantiles {q[0]:g}–{q[1]:g}"
            else:
                continue
            rows.append({"input": name, "low": low, "central": central[name], "high": high,
                         "total_low": self.total_at(**{name: low}),
                         "total_high": self.total_at(**{name: high}), "basis": basis})
        table = pd.DataFrame(rows, columns=["input", "low", "central", "high", "total_low",
                                            "total_high", "basis"])
        table.insert(6, "swing", (table["total_high"] - table["total_low"]).abs())
        return table.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)

    # -- what would it take ------------------------------------------------------------

    def valid_range(self, name: str, **values: float) -> tuple[float, float]:
        """The range of valid values of one input, the others central (or as given).

        Ranges are closed except where an input's own range is open (``retention`` > 0,
        ``discount_rate`` > −1), which is approached to within 1e-12. The improved
        retention r + κ·Δr must stay within [0, 1], which narrows the ranges of
        ``retention``, ``retention_lift`` and ``intent_to_behaviour``.

        Examples
        --------
        >>> res = cx_revenue_scenario(customers=1000, revenue_per_customer=1000,
        ...                           retention=0.85, retention_lift=0.2,
        ...                           intent_to_behaviour=0.5)
        >>> res.valid_range("intent_to_behaviour")
        (0.0, 0.75)
        >>> res.valid_range("retention_lift", intent_to_behaviour=1.0)
        (-0.85, 0.15000000000000002)
        """
        name = check_choice(name, INPUTS, "name")
        central = self._central_values()
        for key, value in values.items():
            central[check_choice(key, INPUTS, "values")] = check_real(value, key,
                                                                      allow_inf=False)
        return self._bounds_for(name, central)

    def _bounds_for(self, name: str, central: Mapping[str, float]) -> tuple[float, float]:
        """Valid range of one input with the others at their central values."""
        lo, hi, lo_open, hi_open, _ = _BOUNDS[name]
        eps = 1e-12
        lo, hi = (lo + eps if lo_open else lo), (hi - eps if hi_open and math.isfinite(hi) else hi)
        r, kappa, lift = (central["retention"], central["intent_to_behaviour"],
                          central["retention_lift"])
        # keep r + κ·Δr within [0, 1]: a linear constraint a + b·x ∈ [0, 1] on the input x
        a, b = {"retention_lift": (r, kappa), "intent_to_behaviour": (r, lift),
                "retention": (kappa * lift, 1.0)}.get(name, (None, None))
        if b:
            ends = sorted(((0.0 - a) / b, (1.0 - a) / b))
            lo, hi = max(lo, ends[0]), min(hi, ends[1])
        return lo, hi

    def solve_for(self, target: float, lever: str) -> float:
        """The value of one input that makes the total reach ``target`` (others central).

        Parameters
        ----------
        target : float
            The total to reach, e.g. 775e6.
        lever : str
            Any input of :data:`INPUTS` (usually a lift, ``spend_uplift``,
            ``referrals_per_recommender``, ``referral_conversion`` or
            ``intent_to_behaviour``). Its valid range keeps r + κ·Δr in [0, 1].

        Returns
        -------
        float
            The value, found by Brent's method within the input's valid range (e.g.
            ``retention_lift`` in [−r/κ, (1 − r)/κ] ∩ [−1, 1]); when several values
            reach the target, the one nearest the input's current central value.

        Raises
        ------
        ValueError
            No value in the valid range reaches ``target``; the message gives the range
            of totals that is reachable.

        Examples
        --------
        >>> res = cx_revenue_scenario(customers=1000, revenue_per_customer=1000,
        ...                           retention=0.8, retention_lift=0.05)
        >>> x = res.solve_for(200_000, "retention_lift")
        >>> round(x, 6), round(res.total_at(retention_lift=x), 6)
        (0.074773, 200000.0)
        >>> res.solve_for(1e6, "retention_lift")
        Traceback (most recent call last):
        ...
        ValueError: no value of `retention_lift` in its valid range [-0.8, 0.2] reaches a
        total of 1,000,000: the totals there run from -1,440,000 to 560,000 (with the other
        inputs at their central values)
        """
        target = check_real(target, "target", allow_inf=False)
        name = check_choice(lever, INPUTS, "lever")
        central = self._central_values()
        lo, hi = self._bounds_for(name, central)
        years = self.horizon_years

        def totals(x: np.ndarray) -> np.ndarray:
            values = {k: np.full(x.size, central[k]) for k in INPUTS}
            values[name] = x
            return _totals(values, years) - target

        def unreachable(f: np.ndarray) -> ValueError:
            if np.ptp(f) == 0:
                partner = _PARTNERS.get(name)
                why = (f" ({' and '.join(f'`{p}`' for p in partner)} at its central value "
                       "makes it irrelevant; set it with rerun(...) first)") if partner else ""
                return ValueError(f"the total does not depend on `{name}` with the other "
                                  f"inputs at their central values{why}: it stays at "
                                  f"{_money(float(f[0] + target))}")
            upper = f"{hi:g}" if math.isfinite(hi) else "∞"
            return ValueError(
                f"no value of `{name}` in its valid range [{lo:g}, {upper}] reaches a total "
                f"of {_money(target)}: the totals there run from "
                f"{_money(float(f.min() + target))} to {_money(float(f.max() + target))} "
                "(with the other inputs at their central values)")

        return _find_root(totals, lo, hi, central[name], unreachable)

    def scale_to(self, target: float, levers: Sequence[str] = LIFTS) -> float:
        """The common factor k by which to multiply ``levers`` to reach ``target``.

        "What if all the lifts were k times what the data support?" The inputs in
        ``levers`` are multiplied by the same k ≥ 0 (others central), within their
        valid ranges.

        Examples
        --------
        >>> res = cx_revenue_scenario(customers=1000, revenue_per_customer=1000,
        ...     retention=0.8, retention_lift=0.05, buy_more_lift=0.1, spend_uplift=0.2)
        >>> k = res.scale_to(2 * res.total)
        >>> round(k, 4), round(res.total_at(retention_lift=0.05 * k, buy_more_lift=0.1 * k))
        (1.9474, 367900)
        """
        target = check_real(target, "target", allow_inf=False)
        names = [check_choice(n, INPUTS, "levers") for n in
                 ([levers] if isinstance(levers, str) else list(levers))]
        central = self._central_values()
        if not any(central[n] != 0 for n in names):
            raise ValueError(f"`levers` {names} are all zero at their central values; "
                             "scaling them cannot change the total")
        k_max = _INF
        for n in names:
            lo, hi = self._bounds_for(n, central)
            c = central[n]
            if c > 0:
                k_max = min(k_max, hi / c)
            elif c < 0:
                k_max = min(k_max, lo / c)
        years = self.horizon_years

        def totals(k: np.ndarray) -> np.ndarray:
            values = {key: np.full(k.size, central[key]) for key in INPUTS}
            for n in names:
                values[n] = central[n] * k
            return _totals(values, years) - target

        def unreachable(f: np.ndarray) -> ValueError:
            upper = f"{k_max:g}" if math.isfinite(k_max) else "∞"
            return ValueError(
                f"no common factor k in [0, {upper}] applied to {', '.join(names)} reaches a "
                f"total of {_money(target)}: the totals there run from "
                f"{_money(float(f.min() + target))} to {_money(float(f.max() + target))}")

        return _find_root(totals, 0.0, k_max, 1.0, unreachable)


def _grid(lo: float, hi: float, current: float) -> np.ndarray:
    """Points over [lo, hi] (an unbounded upper end is covered geometrically)."""
    if math.isfinite(hi):
        return np.unique(np.concatenate([np.linspace(lo, hi, 2049), [current]]))
    reach = max(1.0, abs(current), abs(lo)) * np.logspace(0, 12, 1201)
    return np.unique(np.concatenate([np.linspace(lo, lo + 1.0, 257), lo + reach, [current]]))


def _find_root(func, lo: float, hi: float, current: float, unreachable) -> float:
    """The root of ``func`` (vectorised: total − target) in [lo, hi] nearest ``current``.

    A grid scan brackets every sign change, Brent's method refines the one nearest
    ``current``; ``unreachable(values on the grid)`` builds the error when there is none.
    """
    from scipy.optimize import brentq

    grid = _grid(lo, hi, current)
    f = func(grid)
    if np.any(f == 0):
        hits = grid[f == 0]
        return float(hits[np.argmin(np.abs(hits - current))])
    change = np.flatnonzero(np.sign(f[:-1]) != np.sign(f[1:]))
    if change.size == 0:
        raise unreachable(f)
    i = change[np.argmin(np.abs((grid[change] + grid[change + 1]) / 2 - current))]
    a, b = float(grid[i]), float(grid[i + 1])
    return float(brentq(lambda x: float(func(np.array([x]))[0]), a, b,
                        xtol=1e-15 * max(1.0, abs(a), abs(b)), rtol=1e-15, maxiter=500))


def _money(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 1 else f"{x:.6g}"


# --------------------------------------------------------------------------------------
# The scenario function
# --------------------------------------------------------------------------------------


def cx_revenue_scenario(*, customers, revenue_per_customer, retention, horizon_years=3,
                        retention_lift=0.0, buy_more_lift=0.0, spend_uplift=0.0,
                        recommend_lift=0.0, referrals_per_recommender=0.0,
                        referral_conversion=0.0, intent_to_behaviour=1.0, discount_rate=0.0,
                        n_draws=10000, confidence_level=0.90, rng=None) -> RevenueScenario:
    r"""Revenue impact of a CX improvement through retention, enrichment and advocacy.

    Every input except ``horizon_years`` may be a number or a ``scipy.stats`` frozen
    distribution (anything with ``rvs`` and ``ppf``). The total is reported at the
    central values (numbers as given, distributions at their median) and, by Monte
    Carlo over ``n_draws`` joint draws of the uncertain inputs (independent), with a
    percentile interval.

    Parameters
    ----------
    customers : number or distribution
        Active customers at the start, N ≥ 0.
    revenue_per_customer : number or distribution
        Annual revenue per active customer, R ≥ 0 (e.g. annual revenue / customers).
    retention : number or distribution
        Baseline share of customers kept from one year to the next, r in (0, 1].
    horizon_years : int, default 3
        Years counted, T ≥ 1.
    retention_lift : number or distribution, default 0
        Δr: absolute change in the share of customers who intend to stay that the CX
        improvement brings (0.05 = 5 points); the improved retention r + κ·Δr must stay
        in [0, 1] (with κ = 1, r + Δr ≤ 1).
    buy_more_lift : number or distribution, default 0
        Δbuy_more: absolute change in the share of customers who buy more, in [−1, 1].
    spend_uplift : number or distribution, default 0
        Relative extra spend of a customer who buys more (0.2 = 20% more), ≥ −1.
    recommend_lift : number or distribution, default 0
        Δrecommend: absolute change in the share of customers who recommend, in [−1, 1].
    referrals_per_recommender : number or distribution, default 0
        People a recommender refers per year, ≥ 0.
    referral_conversion : number or distribution, default 0
        Share of referred people who become customers, in [0, 1].
    intent_to_behaviour : number or distribution, default 1
        κ: share of each (stated-intention) lift that becomes behaviour, in [0, 1]. With
        lifts estimated from survey intentions, 1 takes every intention at its word.
    discount_rate : number or distribution, default 0
        d: annual discount rate; year t is discounted by (1 + d)^−(t−1).
    n_draws : int, default 10000
        Monte Carlo draws.
    confidence_level : float, default 0.90
        Level of the Monte Carlo interval.
    rng : None, int or numpy.random.Generator
        Seed of the draws (inputs are drawn in the order of :data:`INPUTS`). A
        ``scipy.stats.truncnorm`` input is drawn by exact inverse CDF from
        ``rng.random`` (much faster than its ``rvs``, and a different stream of draws
        for the same seed); other distributions by their own ``rvs``.

    Returns
    -------
    RevenueScenario
        ``total``, ``interval``, ``levers``, ``by_year``, ``timeline``, ``inputs``,
        ``draws``; methods ``sensitivity()``, ``solve_for(target, lever)``,
        ``scale_to(target)``, ``total_at(**values)`` and ``rerun(**changes)``.

    Raises
    ------
    TypeError
        An input that is neither a number nor a distribution.
    ValueError
        An input outside its valid range (negative customers or revenue, retention
        outside (0, 1], a lift that pushes a share out of [0, 1], …), a horizon that is
        not a positive integer, or a distribution with draws outside the valid range —
        named, with examples. Nothing is clipped.

    Notes
    -----
    Year t = 1..T. Baseline: A₁ = N, A_{t+1} = A_t·r, revenue A_t·R. With the
    improvement (κ = ``intent_to_behaviour``): A'₁ = N,
    A'_{t+1} = A'_t·(r + κΔr) + new_t, new_t = A'_t·κ·Δrecommend·referrals·conversion
    (referred customers pay from the year after they are referred, then follow the
    improved retention); revenue A'_t·R·(1 + κ·Δbuy_more·spend_uplift). So

    .. math:: \text{impact}_t = N R \, \frac{m\,g^{t-1} - r^{t-1}}{(1+d)^{t-1}},\quad
              g = r + \kappa\Delta r + \kappa\Delta_{rec}\,f\,q,\quad
              m = 1 + \kappa\Delta_{buy}\,s.

    Year 1 has no retention or advocacy effect (everyone starts as a customer); the
    enrichment effect starts in year 1.

    **Attribution of interactions.** The levers interact (retained customers also buy
    more; referred customers are retained at the improved rate), so the impact of all
    three is not the sum of their impacts alone. Each year's impact is split between
    the levers by the Shapley value: a lever's contribution is its marginal effect
    averaged over the orders in which the levers could be switched on (2³ = 8
    evaluations of the model). Each interaction is thereby shared equally between the
    levers that create it; the contributions add up to the total exactly, and a lever
    with zero lift contributes zero.

    **Caveats.** Lifts estimated from survey intentions are associations, not causal
    effects, and intentions are not behaviour (κ); the uncertain inputs are drawn
    independently; the customer base is homogeneous (one R, one r); no costs of the
    improvement are counted.

    References
    ----------
    Temkin Group (2018). *ROI of Customer Experience, 2018*.
    Forrester (2018). *The US Customer Experience Index*: revenue impact via retention,
    enrichment and advocacy.
    Shapley, L. S. (1953). A value for n-person games. *Contributions to the Theory of
    Games* II, 307–317.

    Examples
    --------
    Enrichment only: 10% more customers buy more, spending 20% more (48,800 = 2,440
    customer-years × $1,000 × 0.02):

    >>> res = cx_revenue_scenario(customers=1000, revenue_per_customer=1000,
    ...                           retention=0.8, buy_more_lift=0.1, spend_uplift=0.2)
    >>> round(res.total, 6), tuple(res.interval)
    (48800.0, (48800.0, 48800.0))

    With uncertainty about how much intention becomes behaviour:

    >>> from scipy import stats
    >>> res = cx_revenue_scenario(customers=1000, revenue_per_customer=1000,
    ...     retention=0.8, retention_lift=0.05, intent_to_behaviour=stats.uniform(0.3, 0.5),
    ...     rng=7)
    >>> round(res.total), [round(x, -2) for x in res.interval]
    (72256, [42500.0, 102100.0])
    """
    inputs = {"customers": customers, "revenue_per_customer": revenue_per_customer,
              "retention": retention, "retention_lift": retention_lift,
              "buy_more_lift": buy_more_lift, "spend_uplift": spend_uplift,
              "recommend_lift": recommend_lift,
              "referrals_per_recommender": referrals_per_recommender,
              "referral_conversion": referral_conversion,
              "intent_to_behaviour": intent_to_behaviour, "discount_rate": discount_rate}
    inputs = {k: _as_input(k, v) for k, v in inputs.items()}
    if _is_distribution(horizon_years):
        raise TypeError("`horizon_years` must be a positive integer, not a distribution")
    horizon = check_positive_int(horizon_years, "horizon_years", maximum=100,
                                 why="a CX scenario over more than a century is not a forecast")
    n_draws = check_positive_int(n_draws, "n_draws", maximum=MAX_DRAWS,
                                 why=f"{MAX_DRAWS:,} draws already take about 1 GB of memory")
    level = check_confidence_level(confidence_level)
    rng = check_rng(rng)

    central = _arrays({k: _central(v) for k, v in inputs.items()})
    _check_values(central, "value")
    uncertain = tuple(k for k in INPUTS if _is_distribution(inputs[k]))
    for name in uncertain:  # quantiles used by the tornado must be valid too
        lo_hi = {k: np.repeat(central[k], 2) for k in INPUTS}
        lo_hi[name] = np.array([inputs[name].ppf((1 - level) / 2),
                                inputs[name].ppf((1 + level) / 2)], dtype=float)
        _check_values(lo_hi, "value")
    draws = {k: _draw(k, inputs[k], n_draws, rng) for k in INPUTS}
    _check_values(draws, "draws")

    years = np.arange(1, horizon + 1, dtype=float)
    contrib_c, impact_c = _shapley(central, horizon)
    lever_totals, totals = _shapley(draws, horizon, per_year=False)  # (3, draws), (draws,)
    total = float(impact_c.sum())
    if not (math.isfinite(total) and np.isfinite(totals).all()):
        raise ValueError("the revenue totals overflow float64 (beyond 1e308 dollars); check "
                         "the units and sizes of the inputs: " + ", ".join(
                             f"`{name}`" for name in INPUTS))
    q = ((1 - level) / 2, (1 + level) / 2)
    totals_sorted = np.sort(totals)  # one sort for the interval and the median
    low, high = (float(x) for x in sorted_quantiles(totals_sorted, q))
    if not uncertain:
        low = high = total  # identical draws; avoid float noise in the quantile
    note = None if uncertain else "every input fixed: no uncertainty to propagate"
    interval = ConfidenceInterval(low, high, level, _MC_METHOD, note)
    tables = _tables(central, inputs, draws, contrib_c, impact_c, lever_totals, totals,
                     years, level, uncertain)
    notes = _scenario_notes(central, uncertain)
    return RevenueScenario(
        total=total, interval=interval, mean=float(totals.mean()),
        median=sorted_median(totals_sorted), probability_positive=float((totals > 0).mean()),
        horizon_years=horizon, n_draws=n_draws, confidence_level=level,
        uncertain=uncertain, notes=notes, _spec={"inputs": inputs}, **tables)


def _tables(central, inputs, draws, contrib_c, impact_c, lever_totals, totals, years,
            level, uncertain) -> dict[str, Any]:
    import pandas as pd

    names = list(LEVERS)
    q = ((1 - level) / 2, (1 + level) / 2)
    total = float(impact_c.sum())
    if total == 0:
        warn("the scenario's total impact is 0 (no customers, no revenue, or no lift that "
             "reaches behaviour), so each lever's share of it is undefined (NaN)")
    lever_rows = []
    for j, lever in enumerate(names):
        c = float(contrib_c[j].sum())
        lo, hi = sorted_quantiles(np.sort(lever_totals[j]), q) if uncertain else (c, c)
        lever_rows.append({"lever": lever, "contribution": c,
                           "share": c / total if total != 0 else math.nan,
                           "mean": float(lever_totals[j].mean()), "ci_low": float(lo),
                           "ci_high": float(hi)})
    levers = pd.DataFrame(lever_rows)
    by_year = pd.DataFrame({"year": np.repeat(years.astype(int), 3),
                            "lever": names * years.size,
                            "contribution": contrib_c[:, 0, :].T.ravel()})
    timeline = _timeline(central, years)
    input_rows = []
    for k in INPUTS:
        lo, hi = (sorted_quantiles(np.sort(draws[k]), q) if k in uncertain
                  else (central[k][0],) * 2)
        input_rows.append({"input": k, "central": float(central[k][0]),
                           "distribution": _describe(inputs[k]),
                           "uncertain": k in uncertain, "draws_low": float(lo),
                           "draws_high": float(hi)})
    frame = {k: draws[k] for k in uncertain}
    frame.update({f"impact_{lever}": lever_totals[j] for j, lever in enumerate(names)})
    frame["total"] = totals
    return {"levers": levers, "by_year": by_year, "timeline": timeline,
            "inputs": pd.DataFrame(input_rows),
            "draws": pd.DataFrame(frame, copy=False)}  # the arrays are the frame's own


def _timeline(central: Mapping[str, np.ndarray], years: np.ndarray):
    """Customers and revenue year by year at the central values, by the recurrence."""
    import pandas as pd

    v = {k: float(central[k][0]) for k in INPUTS}
    kappa = v["intent_to_behaviour"]
    referral_rate = kappa * v["recommend_lift"] * v["referrals_per_recommender"] \
        * v["referral_conversion"]
    m = 1.0 + kappa * v["buy_more_lift"] * v["spend_uplift"]
    a, a_new, new = v["customers"], v["customers"], 0.0
    rows = []
    for t in years.astype(int):
        factor = (1.0 + v["discount_rate"]) ** -(t - 1)
        base_rev = a * v["revenue_per_customer"]
        new_rev = a_new * v["revenue_per_customer"] * m
        rows.append({"year": t, "customers_baseline": a, "customers_improved": a_new,
                     "new_customers": new, "revenue_baseline": base_rev,
                     "revenue_improved": new_rev, "impact": new_rev - base_rev,
                     "discount_factor": factor,
                     "discounted_impact": (new_rev - base_rev) * factor})
        new = a_new * referral_rate
        a, a_new = a * v["retention"], a_new * (v["retention"] + kappa * v["retention_lift"]) + new
    return pd.DataFrame(rows)


def _scenario_notes(central, uncertain) -> tuple[str, ...]:
    v = {k: float(central[k][0]) for k in INPUTS}
    notes = []
    if v["intent_to_behaviour"] == 1.0 and any(v[k] != 0 for k in LIFTS):
        notes.append("intent_to_behaviour = 1 counts every stated intention as behaviour; "
                     "survey intentions usually overstate what customers do")
    if len(uncertain) > 1:
        notes.append("uncertain inputs are drawn independently of each other")
    notes.append("lever contributions split interactions by the Shapley value; "
                 "no costs of the CX improvement are counted")
    return tuple(notes)


# --------------------------------------------------------------------------------------
# Lever effects from survey data
# --------------------------------------------------------------------------------------

def _outcome_map(data, outcomes) -> dict[str, Any]:
    if isinstance(outcomes, Mapping):
        if not outcomes:
            raise ValueError("`outcomes` is empty; map a label to each outcome column, e.g. "
                             "{'stay': 'loy1'}")
        bad = [k for k in outcomes if not isinstance(k, (str, int)) or isinstance(k, bool)]
        if bad:
            raise TypeError(f"`outcomes` labels must be text; got {bad[0]!r}")
        labels = [str(k) for k in outcomes]
        cols = check_columns(data, list(outcomes.values()), "outcomes")
    else:
        cols = check_columns(data, outcomes, "outcomes")
        labels = [str(c) for c in cols]
    repeated = sorted({label for label in labels if labels.count(label) > 1})
    if repeated:
        raise ValueError(f"`outcomes` labels must be distinct as text; "
                         f"{', '.join(map(repr, repeated))} would name several rows (e.g. "
                         "columns 1 and '1'); give each outcome its own label")
    return dict(zip(labels, cols, strict=True))


def _expit(z: np.ndarray) -> np.ndarray:
    from scipy.special import expit

    return expit(z)


def _fit_glm(x: np.ndarray, k: np.ndarray, m: np.ndarray, level: float):
    """Binomial logit fit of k events out of m at each x (statsmodels), grouped data."""
    import statsmodels.api as sm

    exog = sm.add_constant(x, has_constant="add")
    fit = sm.GLM(np.column_stack([k, m - k]), exog, family=sm.families.Binomial()).fit()
    ci = np.asarray(fit.conf_int(alpha=1 - level))
    return np.asarray(fit.params, dtype=float), np.asarray(fit.cov_params(), dtype=float), ci


def _bootstrap_logit(x, y, counts, beta0, shifted, cx_of_x, n_resamples, rng):
    """Lifts of ``n_resamples`` respondent resamples, by weighted Newton–Raphson.

    Resampling respondents is a multinomial draw of the (x, y) cell counts, so each
    resample is a weighted logit on the cells: cost O(resamples × cells), not × n.
    """
    n = int(counts.sum())
    w = rng.multinomial(n, counts / n, size=n_resamples).astype(float)  # (B, J)
    b = np.tile(beta0, (n_resamples, 1))
    converged = np.zeros(n_resamples, dtype=bool)
    for _ in range(100):
        eta = b[:, :1] + b[:, 1:] * x[None, :]
        p = _expit(eta)
        r = w * (y[None, :] - p)
        g0, g1 = r.sum(axis=1), (r * x).sum(axis=1)
        h = w * p * (1 - p)
        h00, h01, h11 = h.sum(axis=1), (h * x).sum(axis=1), (h * x * x).sum(axis=1)
        det = h00 * h11 - h01 * h01
        with np.errstate(divide="ignore", invalid="ignore"):
            d0 = (h11 * g0 - h01 * g1) / det
            d1 = (h00 * g1 - h01 * g0) / det
        step = np.column_stack([d0, d1])
        step[converged] = 0.0
        b = b + step
        newly = np.all(np.abs(step) < 1e-10 * (1 + np.abs(b)), axis=1)
        converged |= newly & np.all(np.isfinite(b), axis=1)
        if converged.all():
            break
    ok = converged & (np.abs(b[:, 1]) < 50)
    # lift per resample: respondents' counts per distinct CX value, × change in p
    ux, inverse = cx_of_x
    m = np.zeros((n_resamples, ux.size))
    np.add.at(m.T, inverse, w.T)
    diff = _expit(b[:, :1] + b[:, 1:] * shifted[None, :]) - _expit(b[:, :1] + b[:, 1:] * ux)
    lifts = (m * diff).sum(axis=1) / n
    lifts[~ok] = np.nan
    return lifts


def estimate_lever_effects(data=None, *, cx, outcomes, shift=1.0, top_box=9, scale=(0, 10),
                           cx_scale=None, method="bootstrap", min_top_box=10,
                           n_resamples=1000, confidence_level=0.95, rng=None):
    r"""How much a CX improvement shifts loyalty intentions, from survey data.

    For each outcome (e.g. "would choose us again", "would recommend us"), a logit
    model of being in the outcome's top box (rating ≥ ``top_box``) on the CX rating is
    fitted with statsmodels; the lift is the model's predicted top-box share after every
    respondent's CX rating rises by ``shift`` points (capped at the top of the CX scale)
    minus the share at the observed ratings.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per respondent.
    cx : str or list of str
        The CX rating column, or several columns averaged into a CX index (the row mean;
        the ``cx`` column of the result says which).
    outcomes : str, list of str, or mapping of label to column
        Outcome columns on ``scale``, e.g. ``{"stay": "loy1", "recommend": "loy3"}``.
    shift : float, default 1
        Points added to every respondent's CX rating (capped at the CX scale's top).
    top_box : float, default 9
        An outcome counts as "yes" when the rating is ≥ ``top_box``.
    scale : (min, max), default (0, 10)
        Scale of the outcomes (and of ``cx`` unless ``cx_scale`` is given).
    cx_scale : (min, max), optional
        Scale of the CX rating(s), when it differs from ``scale``.
    method : {"bootstrap", "delta"}, default "bootstrap"
        Interval of the lift: percentile bootstrap with respondents resampled (each
        resample's logit refitted), or the delta method on the model's covariance.
    min_top_box : int, default 10
        Fewest respondents needed both in and out of the top box to fit the model.
    n_resamples : int, default 1000
        Bootstrap resamples.
    confidence_level : float, default 0.95
    rng : None, int or numpy.random.Generator

    Returns
    -------
    pandas.DataFrame
        One row per outcome: ``outcome``, ``column``, ``cx`` (what the CX rating is),
        ``shift``, ``top_box``, ``n`` (respondents used), ``n_excluded`` (rows with a
        missing CX rating or outcome, not used), ``n_top_box``, ``baseline_share``
        (observed share in the top box), ``predicted_share`` (after the shift),
        ``lift`` (= predicted − fitted baseline; can be negative, never clipped),
        ``lift_se`` (standard error: bootstrap SD or delta method), ``ci_low``,
        ``ci_high``, ``confidence_level``, ``method``, ``odds_ratio`` (per CX point)
        with ``odds_ratio_ci_low``/``_high`` (Wald), ``intercept``, ``slope``,
        ``n_capped`` (respondents whose shift was capped at the scale's top),
        ``n_resamples`` and ``n_failed_resamples`` (resamples whose logit did not
        converge, e.g. separation; left out of the interval).

    Raises
    ------
    ValueError
        An outcome or CX column with values off its scale, a CX rating with no variance,
        fewer than ``min_top_box`` respondents in (or out of) the top box (the message
        says how many), a perfectly separated outcome.

    Notes
    -----
    Model: logit P(y ≥ top_box) = β₀ + β₁·cx. With p̂ᵢ = expit(β₀ + β₁·cxᵢ) and
    p̂ᵢ* = expit(β₀ + β₁·min(cxᵢ + shift, cx_max)),

    .. math:: \text{lift} = \frac1n\sum_i \hat p_i^{*} - \frac1n\sum_i \hat p_i .

    The fit uses the counts of each distinct (CX, outcome) pair, so a million
    respondents cost no more than the number of distinct CX values. The lift is an
    *association* between CX and stated intention, not a causal effect, and an
    intention is not behaviour: see ``intent_to_behaviour`` in
    :func:`cx_revenue_scenario`.

    References
    ----------
    Efron, B. & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman &
    Hall. Temkin Group (2018). *ROI of Customer Experience*.

    Examples
    --------
    >>> import cxkit
    >>> from cxkit.revenue import estimate_lever_effects
    >>> bank = cxkit.load_dataset("bank_satisfaction")
    >>> eff = estimate_lever_effects(bank, cx=["sat1", "sat2", "sat3", "sat4"],
    ...                              outcomes={"stay": "loy1", "recommend": "loy3"}, rng=1)
    >>> eff[["outcome", "n", "baseline_share", "lift", "ci_low", "ci_high"]].round(3)
         outcome    n  baseline_share   lift  ci_low  ci_high
    0       stay  250           0.332  0.165   0.126    0.205
    1  recommend  250           0.260  0.138   0.094    0.184
    """
    import pandas as pd

    data = check_dataframe(data, "data")
    cx_cols = check_columns(data, cx, "cx")
    targets = _outcome_map(data, outcomes)
    lo, hi = check_scale(scale, "scale", example="(0, 10)")
    cx_lo, cx_hi = (lo, hi) if cx_scale is None else check_scale(cx_scale, "cx_scale",
                                                                example="(0, 10)")
    shift = check_real(shift, "shift", allow_inf=False)
    top_box = check_real(top_box, "top_box", allow_inf=False)
    if not lo < top_box <= hi:
        raise ValueError(f"`top_box` must lie on `scale` above its minimum, in ({lo:g}, "
                         f"{hi:g}]; got {top_box:g}")
    method = check_choice(method, ("bootstrap", "delta"), "method")
    min_top_box = check_positive_int(min_top_box, "min_top_box", maximum=MAX_COUNT,
                                     why="the largest count float64 holds exactly")
    n_resamples = check_positive_int(n_resamples, "n_resamples", minimum=2,
                                     maximum=MAX_RESAMPLES)
    level = check_confidence_level(confidence_level)
    rng = check_rng(rng)

    cx_frame = numeric_frame(data, cx_cols, "cx")
    check_in_range(cx_frame, cx_lo, cx_hi, "cx",
                   hint=f"clean the data or pass `cx_scale` (min, max) (now "
                   f"{cx_lo:g}–{cx_hi:g})")
    cx_index = cx_frame.to_numpy().mean(axis=1)  # NaN when any CX item is missing
    cx_text = cx_cols[0] if len(cx_cols) == 1 else f"mean of {', '.join(map(str, cx_cols))}"
    rows = []
    for label, col in targets.items():
        y_raw = numeric_frame(data, [col], "outcomes")[col].to_numpy()
        check_in_range(pd.Series(y_raw, name=col), lo, hi, "outcomes",
                       hint=f"outcomes must be on scale={lo:g}–{hi:g}; clean or pass scale=")
        rows.append(_one_outcome(label, col, cx_index, cx_text, y_raw, shift, top_box,
                                 (cx_lo, cx_hi), method, min_top_box, n_resamples, level, rng))
    return pd.DataFrame(rows)


#: exp() of a larger log odds ratio overflows float64.
_MAX_LOG_ODDS = 709.0


def _one_outcome(label, col, cx_index, cx_text, y_raw, shift, top_box, cx_range, method,
                 min_top_box, n_resamples, level, rng) -> dict[str, Any]:
    from scipy import stats

    used = ~(np.isnan(cx_index) | np.isnan(y_raw))
    n = int(used.sum())
    x_all, y_all = cx_index[used], (y_raw[used] >= top_box).astype(float)
    if n == 0:
        raise ValueError(f"`outcomes` column {col!r}: no respondent has both a CX rating and "
                         "an answer")
    if np.ptp(x_all) == 0:
        raise ValueError(f"`cx` ({cx_text}) has no variance among the {n} respondents with "
                         f"an answer to {col!r} (every value is {x_all[0]:g}); a constant "
                         "CX rating cannot predict anything")
    events = int(y_all.sum())
    if min(events, n - events) < min_top_box:
        where = "in" if events < min_top_box else "out of"
        count = events if events < min_top_box else n - events
        raise ValueError(
            f"`outcomes` column {col!r}: only {count} of {n} respondents are {where} the top "
            f"box (≥ {top_box:g}); the logit model needs at least {min_top_box} in and "
            f"{min_top_box} out of it (`min_top_box`). Lower or raise `top_box`, or use more "
            "data")
    if x_all[y_all == 0].max() <= x_all[y_all == 1].min() or \
            x_all[y_all == 1].max() <= x_all[y_all == 0].min():
        raise ValueError(f"`outcomes` column {col!r} is perfectly separated by the CX rating "
                         "(every top-box answer lies on one side of a CX value); the logit "
                         "slope is infinite and no lift can be estimated")
    # sufficient statistics: counts of each distinct (x, y) cell, and per distinct x
    ux, inverse = np.unique(x_all, return_inverse=True)
    table = np.bincount(2 * inverse + y_all.astype(np.intp), minlength=2 * ux.size)
    m = table.reshape(-1, 2).sum(axis=1).astype(float)  # respondents per distinct CX value
    k = table[1::2].astype(float)  # of whom in the top box
    keep = table > 0  # the (x, y) cells that occur, ordered by x then y
    cells = np.column_stack([np.repeat(ux, 2), np.tile([0.0, 1.0], ux.size)])[keep]
    counts = table[keep]
    inverse = np.repeat(np.arange(ux.size), 2)[keep]  # distinct CX value of each cell
    beta, cov, or_ci = _fit_glm(ux, k, m, level)
    shifted = np.minimum(ux + shift, cx_range[1])
    p0, p1 = _expit(beta[0] + beta[1] * ux), _expit(beta[0] + beta[1] * shifted)
    fitted, predicted = float((m * p0).sum() / n), float((m * p1).sum() / n)
    lift = predicted - fitted
    n_failed = 0
    if method == "bootstrap":
        boot = _bootstrap_logit(cells[:, 0], cells[:, 1], counts.astype(float), beta,
                                shifted, (ux, inverse), n_resamples, rng)
        good = boot[np.isfinite(boot)]
        n_failed = int(boot.size - good.size)
        lift_se = float(good.std(ddof=1)) if good.size > 1 else math.nan
        ci_low, ci_high = (np.quantile(good, [(1 - level) / 2, (1 + level) / 2])
                           if good.size else (math.nan, math.nan))
        if n_failed:
            warn(f"{n_failed} of {n_resamples} bootstrap resamples of {col!r} gave no "
                 "logit fit (separation) and were left out of the interval")
    else:
        grad = np.array([(m * (p1 * (1 - p1) - p0 * (1 - p0))).sum(),
                         (m * (p1 * (1 - p1) * shifted - p0 * (1 - p0) * ux)).sum()]) / n
        lift_se = float(math.sqrt(grad @ cov @ grad))
        z = stats.norm.ppf((1 + level) / 2)
        ci_low, ci_high = lift - z * lift_se, lift + z * lift_se
    if max(beta[1], or_ci[1, 1]) > _MAX_LOG_ODDS or min(beta[1], or_ci[1, 0]) < -_MAX_LOG_ODDS:
        raise ValueError(
            f"`outcomes` column {col!r}: the logit slope per CX point ({beta[1]:.4g}, interval "
            f"{or_ci[1, 0]:.4g} to {or_ci[1, 1]:.4g}) is so steep that its odds ratio "
            "overflows: the CX rating nearly separates the top box. Measure `cx` in larger "
            "units (e.g. 0–10 rather than 0–0.01) or use more varied data")
    odds = [math.exp(v) for v in (beta[1], or_ci[1, 0], or_ci[1, 1])]
    return {"outcome": label, "column": col, "cx": cx_text, "shift": shift,
            "top_box": top_box, "n": n, "n_excluded": int(used.size - n),
            "n_top_box": events, "baseline_share": events / n, "predicted_share": predicted,
            "lift": lift, "lift_se": lift_se, "ci_low": float(ci_low),
            "ci_high": float(ci_high), "confidence_level": level,
            "method": "percentile bootstrap" if method == "bootstrap" else "delta",
            "odds_ratio": odds[0], "odds_ratio_ci_low": odds[1],
            "odds_ratio_ci_high": odds[2], "intercept": float(beta[0]),
            "slope": float(beta[1]),
            "n_capped": int(m[ux + shift > cx_range[1]].sum()),
            "n_resamples": n_resamples if method == "bootstrap" else 0,
            "n_failed_resamples": n_failed}


def lift_distribution(effects, outcome=None, *, lower=-1.0, upper=1.0):
    """A lift with its uncertainty, as a distribution for :func:`cx_revenue_scenario`.

    A normal distribution centred on the estimated lift with its standard error
    (``lift_se``: the bootstrap SD or the delta-method SE), truncated to
    [``lower``, ``upper``] so that every draw is a valid share change — e.g. ``upper =
    (1 − retention) / intent_to_behaviour`` for a retention lift.

    Parameters
    ----------
    effects : pandas.DataFrame or pandas.Series
        The table of :func:`estimate_lever_effects`, or one of its rows.
    outcome : str, optional
        Which row (by ``outcome`` label) when ``effects`` has several.
    lower, upper : float, default −1, 1
        Truncation bounds.

    Returns
    -------
    scipy.stats frozen ``truncnorm``

    Examples
    --------
    >>> import pandas as pd
    >>> eff = pd.DataFrame({"outcome": ["stay"], "lift": [0.05], "lift_se": [0.01]})
    >>> d = lift_distribution(eff, upper=0.15)
    >>> round(float(d.mean()), 6), round(float(d.std()), 6)
    (0.05, 0.01)
    """
    import pandas as pd
    from scipy import stats

    if isinstance(effects, pd.DataFrame):
        if outcome is None:
            if len(effects) != 1:
                choices = (effects["outcome"].tolist() if "outcome" in effects
                           else list(effects.index))
                raise ValueError("`outcome` must name a row when `effects` has "
                                 f"{len(effects)} rows; choose one of {choices}")
            row = effects.iloc[0]
        else:
            if "outcome" not in effects:
                raise ValueError("`effects` has no 'outcome' column to find `outcome` "
                                 f"{outcome!r} in; pass the table of estimate_lever_effects")
            if not isinstance(outcome, str):
                raise TypeError(f"`outcome` must be an outcome label (str); got "
                                f"{type(outcome).__name__}")
            match = effects[effects["outcome"].astype(object) == outcome]
            if match.empty:
                raise ValueError(f"`outcome` {outcome!r} is not in `effects`; choose one of "
                                 f"{effects['outcome'].tolist()}")
            row = match.iloc[0]
    elif isinstance(effects, pd.Series):
        if outcome is not None:
            raise TypeError("`outcome` picks a row of a table; `effects` is already one row")
        row = effects
    else:
        raise TypeError("`effects` must be the DataFrame of estimate_lever_effects or one of "
                        f"its rows; got {type(effects).__name__}")
    missing = [c for c in ("lift", "lift_se") if c not in row.index]
    if missing:
        raise ValueError(f"`effects` lacks {', '.join(map(repr, missing))}; pass the table "
                         "of estimate_lever_effects (or one of its rows)")
    lift = check_real(row["lift"], "effects['lift']", allow_inf=False)
    se = check_real(row["lift_se"], "effects['lift_se']", allow_inf=False)
    lower = check_real(lower, "lower")
    upper = check_real(upper, "upper")
    if not lower < upper:
        raise ValueError(f"`lower` must be below `upper`; got [{lower:g}, {upper:g}]")
    if not se > 0:
        raise ValueError(f"`effects['lift_se']` must be positive to make a distribution; "
                         f"got {se:g}")
    if math.isfinite(upper - lower) and se > 1000 * (upper - lower):
        raise ValueError(f"`effects['lift_se']` ({se:g}) is over 1000 times the width of "
                         f"[`lower`, `upper`] = [{lower:g}, {upper:g}]: the distribution "
                         "would be flat; check the estimate, or use scipy.stats.uniform")
    if not lower <= lift <= upper:
        raise ValueError(f"the lift {lift:g} lies outside [`lower`, `upper`] = [{lower:g}, "
                         f"{upper:g}]; widen the bounds or check the estimate")
    return stats.truncnorm((lower - lift) / se, (upper - lift) / se, loc=lift, scale=se)
