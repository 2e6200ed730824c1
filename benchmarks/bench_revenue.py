"""Time cxkit's CX-to-revenue Monte Carlo against the same model in plain numpy, in one run.

``cx_revenue_scenario`` on a full scenario (all 11 inputs uncertain: 5 truncated normals,
2 betas, 4 uniforms; horizon 3 years; a $1 billion company) with 10⁶ Monte Carlo draws,
timed end to end: drawing, the model vectorised over draws with the Shapley split by
lever, the interval, the tables.

The peer is the same model written in plain numpy, also timed end to end: the 11 inputs
drawn from one ``numpy.random.Generator`` — either numpy's own samplers (``beta``,
``uniform``, and the truncated normals by rejection: normals redrawn until all are
within bounds) or each scipy distribution's ``rvs`` (the idiomatic one-liner, whose
truncated-normal sampler is slow) — then, vectorised over draws, the year-by-year
recurrence A'_{t+1} = A'_t·(r + κΔr) + A'_t·κ·Δrec·f·q for each of the 8 subsets of
levers switched on, the Shapley split (weights 1/3, 1/6, 1/3 for subsets of 0, 1, 2
other levers), and the summary cxkit reports (``np.quantile`` per array: the total's
interval and median, its mean and share positive, each lever's mean and interval, each
input's percentiles). Before timing, the peer's model and summary are run on cxkit's own
draws and checked against cxkit's result to 1e-9 (relative to the total's size for the
lever numbers). Ratios are cxkit/numpy: below 1 means cxkit is faster.

A plain Python loop (floats and ``math``) over 10⁴ draws, inputs drawn up front and not
timed, checks the recurrence independently (per draw, to 1e-9 of the draw's total) and
is timed too, scaled ×(10⁶ / 10⁴). Times are the best of ``--repeat`` runs.

A second part times ``estimate_lever_effects`` on 10⁶ simulated respondents (logit fit and
1,000 bootstrap resamples) against ``statsmodels.Logit`` on the raw rows: one fit, and a
bootstrap of refits on resampled rows (a few timed, scaled to 1,000).
"""

from __future__ import annotations

import argparse
import math

import numpy as np
from _timing import best_of
from scipy import stats

from cxkit.revenue import INPUTS, LEVERS, _shapley, cx_revenue_scenario


def truncated(mean: float, sd: float, low: float, high: float):
    """Normal(mean, sd) truncated to [low, high], as a scipy.stats frozen distribution."""
    return stats.truncnorm((low - mean) / sd, (high - mean) / sd, loc=mean, scale=sd)


def scenario() -> dict:
    """A $1bn company (10⁶ customers × $1,000) with every input uncertain, all in range.

    Retention tops out near 0.94 and κ·Δr below 0.8 × 0.06, so r + κ·Δr stays below 1.
    """
    return {
        "customers": truncated(1_000_000, 20_000, 900_000, 1_100_000),
        "revenue_per_customer": truncated(1_000, 50, 800, 1_200),
        "retention": stats.beta(160, 40),                       # mean 0.80, sd 0.03
        "retention_lift": truncated(0.03, 0.01, 0.0, 0.06),
        "buy_more_lift": truncated(0.05, 0.02, 0.0, 0.15),
        "spend_uplift": stats.uniform(0.10, 0.20),               # 10% to 30% more
        "recommend_lift": truncated(0.05, 0.02, 0.0, 0.15),
        "referrals_per_recommender": stats.uniform(0.5, 1.0),    # 0.5 to 1.5 a year
        "referral_conversion": stats.beta(2, 18),                # mean 0.10
        "intent_to_behaviour": stats.uniform(0.3, 0.5),          # 0.3 to 0.8
        "discount_rate": stats.uniform(0.05, 0.05),              # 5% to 10%
    }


def draw_inputs(inputs: dict, n: int, seed: int) -> dict[str, np.ndarray]:
    """n draws of each input, in the order of cxkit's INPUTS from one generator."""
    rng = np.random.default_rng(seed)
    return {k: np.asarray(inputs[k].rvs(size=n, random_state=rng), dtype=float)
            for k in INPUTS}


# Subsets of levers (retention, enrichment, advocacy) switched on, and Shapley weights
SUBSETS = [(bool(s & 1), bool(s & 2), bool(s & 4)) for s in range(8)]
WEIGHTS = {0: 1 / 3, 1: 1 / 6, 2: 1 / 3}


def shapley_split(value: dict) -> list:
    """Each lever's Shapley share of the total, from the value of every lever subset
    (floats, or arrays over draws): Σ over subsets S without j of w(|S|)·(v(S ∪ j) − v(S))."""
    levers = []
    for j in range(3):
        c = 0.0
        for subset in SUBSETS:
            if not subset[j]:
                with_j = tuple(True if i == j else subset[i] for i in range(3))
                c = c + WEIGHTS[sum(subset)] * (value[with_j] - value[subset])
        levers.append(c)
    return levers


def python_loop(rows: list[tuple[float, ...]], horizon: int) -> list[tuple[float, ...]]:
    """(retention, enrichment, advocacy, total) per draw, in plain Python."""
    out = []
    for (n, revenue, r, d_ret, d_buy, spend, d_rec, referrals, conversion, kappa,
         discount) in rows:
        ret_on = r + kappa * d_ret
        referral_rate = kappa * d_rec * referrals * conversion
        m_on = 1.0 + kappa * d_buy * spend
        value = {}
        for subset in SUBSETS:
            keep = ret_on if subset[0] else r
            m = m_on if subset[1] else 1.0
            rate = referral_rate if subset[2] else 0.0
            a, a_new, impact = n, n, 0.0
            for t in range(horizon):
                factor = math.pow(1.0 + discount, -t)
                impact += (a_new * revenue * m - a * revenue) * factor
                a, a_new = a * r, a_new * keep + a_new * rate
            value[subset] = impact
        contrib = shapley_split(value)
        out.append((contrib[0], contrib[1], contrib[2], value[SUBSETS[7]]))
    return out


def numpy_draws(inputs: dict, n: int, seed: int, sampler: str) -> dict[str, np.ndarray]:
    """The peer's draws: each frozen distribution's own ``rvs`` ("scipy"), or numpy's
    Generator directly ("numpy": ``beta``, ``uniform``, and the truncated normals by
    rejection — draw normals, redraw the ones outside the bounds until none is left)."""
    rng = np.random.default_rng(seed)
    if sampler == "scipy":
        return {k: inputs[k].rvs(size=n, random_state=rng) for k in INPUTS}
    out = {}
    for k in INPUTS:
        dist = inputs[k]
        name, loc, scale = dist.dist.name, dist.kwds.get("loc", 0.0), dist.kwds.get("scale", 1.0)
        if name == "beta":
            out[k] = rng.beta(*dist.args, size=n)
        elif name == "uniform":
            out[k] = rng.uniform(loc, loc + scale, size=n)
        else:  # truncnorm
            low, high = loc + dist.args[0] * scale, loc + dist.args[1] * scale
            x = rng.normal(loc, scale, size=n)
            bad = np.flatnonzero((x < low) | (x > high))
            while bad.size:
                x[bad] = rng.normal(loc, scale, size=bad.size)
                bad = bad[(x[bad] < low) | (x[bad] > high)]
            out[k] = x
    return out


def numpy_model(x: dict[str, np.ndarray], horizon: int, level: float) -> dict:
    """The scenario in plain numpy, vectorised over draws, from the draws to the summary.

    The recurrence year by year for each of the 8 subsets of levers (the baseline,
    discount factors and spend multiplier computed once), the Shapley split, then the
    summary cxkit reports: mean, median, share positive and percentile interval of the
    total, each lever's mean and interval, and each input's percentiles.
    """
    n_cust, revenue, r = x["customers"], x["revenue_per_customer"], x["retention"]
    kappa = x["intent_to_behaviour"]
    keep_on = r + kappa * x["retention_lift"]
    rate_on = kappa * x["recommend_lift"] * x["referrals_per_recommender"] \
        * x["referral_conversion"]
    spend_on = revenue * (1.0 + kappa * x["buy_more_lift"] * x["spend_uplift"])
    discount = [(1.0 + x["discount_rate"]) ** -t for t in range(horizon)]
    baseline, a = 0.0, n_cust
    for t in range(horizon):
        baseline = baseline + a * revenue * discount[t]
        a = a * r
    value = {}
    for subset in SUBSETS:
        keep = keep_on if subset[0] else r
        spend = spend_on if subset[1] else revenue
        growth = keep + rate_on if subset[2] else keep  # A'_{t+1} = A'_t·keep + A'_t·rate
        improved, a_new = 0.0, n_cust
        for t in range(horizon):
            improved = improved + a_new * spend * discount[t]
            a_new = a_new * growth
        value[subset] = improved - baseline
    levers = shapley_split(value)
    total = value[SUBSETS[7]]
    q = [(1 - level) / 2, 0.5, (1 + level) / 2]
    low, median, high = np.quantile(total, q)
    return {"total": total, "levers": levers, "low": low, "high": high, "median": median,
            "mean": total.mean(), "positive": (total > 0).mean(),
            "lever_mean": [c.mean() for c in levers],
            "lever_ci": [np.quantile(c, q[::2]) for c in levers],
            "input_ci": {k: np.quantile(x[k], q[::2]) for k in INPUTS}}


def check_numpy_peer(res, horizon: int) -> float:
    """Largest relative difference between the numpy peer and cxkit on cxkit's own draws.

    The peer's model and summary run on the draws of ``res`` (a cx_revenue_scenario with
    every input uncertain); each summary number is compared with cxkit's (lever numbers
    relative to the larger of the value and the total's size, as in check_agreement).
    SystemExit above 1e-9.
    """
    draws = {k: res.draws[k].to_numpy() for k in INPUTS}
    peer = numpy_model(draws, horizon, res.confidence_level)
    size = float(np.abs(res.draws["total"]).max())
    levers = res.levers.set_index("lever")
    inputs = res.inputs.set_index("input")
    pairs = [("interval low", peer["low"], res.interval.low, size),
             ("interval high", peer["high"], res.interval.high, size),
             ("median", peer["median"], res.median, size),
             ("mean", peer["mean"], res.mean, size),
             ("share positive", peer["positive"], res.probability_positive, 1.0)]
    for j, lever in enumerate(LEVERS):
        pairs += [(f"{lever} mean", peer["lever_mean"][j], levers.loc[lever, "mean"], size),
                  (f"{lever} ci_low", peer["lever_ci"][j][0], levers.loc[lever, "ci_low"],
                   size),
                  (f"{lever} ci_high", peer["lever_ci"][j][1], levers.loc[lever, "ci_high"],
                   size)]
        per_draw = np.abs(peer["levers"][j] - res.draws[f"impact_{lever}"].to_numpy())
        pairs.append((f"{lever} per draw", float(per_draw.max()), 0.0, size))
    for k in INPUTS:
        for end, got, want in zip(("low", "high"), peer["input_ci"][k],
                                  inputs.loc[k, ["draws_low", "draws_high"]], strict=True):
            pairs.append((f"{k} draws_{end}", got, want, abs(want)))
    worst = 0.0
    for label, got, want, scale in pairs:
        rel = abs(float(got) - float(want)) / max(abs(float(want)), scale)
        if not rel <= 1e-9:
            raise SystemExit(f"numpy peer and cxkit disagree on {label}: {got!r} vs {want!r}")
        worst = max(worst, rel)
    return worst


def check_agreement(draws: dict[str, np.ndarray], loop: list, horizon: int) -> float:
    """Largest relative difference between the loop and cxkit; SystemExit above 1e-9.

    cxkit's side is the vectorised model that ``cx_revenue_scenario`` runs on its draws
    (``cxkit.revenue._shapley``), here on the loop's own draws. A difference is relative
    to the larger of the value and the draw's total: a lever with a near-zero lift has a
    tiny contribution made of differences of subset values of the size of the total, so
    both sides carry rounding of the total's size in it (e.g. 3e-7 on $230 of $35M).
    """
    lever_totals, totals = _shapley(draws, horizon, per_year=False)
    ours = np.column_stack([*lever_totals, totals])
    theirs = np.array(loop)
    size = np.maximum(np.abs(ours), np.abs(ours[:, -1:]))
    rel = np.abs(theirs - ours) / size
    worst = float(rel.max())
    if not worst <= 1e-9:
        i, j = np.unravel_index(np.argmax(rel), rel.shape)
        column = [*LEVERS, "total"][j]
        raise SystemExit(f"Python loop and cxkit disagree on {column} of draw {i}: "
                         f"{theirs[i, j]!r} vs {ours[i, j]!r} (relative {worst:.1e})")
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--draws", type=int, default=1_000_000,
                        help="Monte Carlo draws for cxkit (default: 1000000)")
    parser.add_argument("--loop-draws", type=int, default=10_000,
                        help="draws for the Python loop, scaled to --draws (default: 10000)")
    parser.add_argument("--horizon", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true",
                        help="10^5 and 10^3 draws, best of 1 (a smoke test)")
    parser.add_argument("--respondents", type=int, default=1_000_000,
                        help="survey size for estimate_lever_effects (default: 1000000)")
    parser.add_argument("--resamples", type=int, default=1000,
                        help="bootstrap resamples of estimate_lever_effects (default: 1000)")
    parser.add_argument("--peer-resamples", type=int, default=5,
                        help="statsmodels refits timed, scaled to --resamples (default: 5)")
    parser.add_argument("--no-effects", action="store_true",
                        help="skip the estimate_lever_effects benchmark")
    args = parser.parse_args()
    if args.quick:
        args.draws, args.loop_draws, args.repeat = 100_000, 1_000, 1
        args.respondents, args.resamples, args.peer_resamples = 100_000, 200, 2
    inputs = scenario()
    horizon, seed = args.horizon, args.seed

    # the loop's inputs, drawn up front (not timed), and the check against cxkit
    draws = draw_inputs(inputs, args.loop_draws, seed)
    rows = list(zip(*(draws[k].tolist() for k in INPUTS), strict=True))
    worst = check_agreement(draws, python_loop(rows, horizon), horizon)

    def run(n: int):
        return cx_revenue_scenario(**inputs, horizon_years=horizon, n_draws=n, rng=seed)

    res = run(args.draws)
    worst_np = check_numpy_peer(res, horizon)
    level = res.confidence_level

    def peer(sampler: str, n: int):
        return numpy_model(numpy_draws(inputs, n, seed, sampler), horizon, level)

    t_big = best_of(lambda: run(args.draws), args.repeat)
    t_np = best_of(lambda: peer("numpy", args.draws), args.repeat)
    t_np_scipy = best_of(lambda: peer("scipy", args.draws), args.repeat)
    t_small = best_of(lambda: run(args.loop_draws), args.repeat)
    t_loop = best_of(lambda: python_loop(rows, horizon), args.repeat)
    scale = args.draws / args.loop_draws
    t_scaled = t_loop * scale

    print(f"cx_revenue_scenario, all {len(INPUTS)} inputs uncertain, horizon {horizon} years "
          f"(total + Shapley split by lever), best of {args.repeat}")
    print(f"  total {res.total / 1e6:,.1f}M at the medians; {res.confidence_level:.0%} "
          f"interval {res.interval.low / 1e6:,.1f}M to {res.interval.high / 1e6:,.1f}M "
          f"({args.draws:,} draws)")
    print(f"  plain numpy and cxkit agree on cxkit's {args.draws:,} draws (interval, median, "
          f"mean, levers per draw and their intervals, inputs' percentiles) to {worst_np:.1e}")
    print(f"  loop and cxkit agree on all {args.loop_draws:,} loop draws (levers and "
          f"totals) to {worst:.1e} of each draw's total")
    print("  every time includes drawing the inputs, except the loop's (drawn up front)")
    print(f"  {f'cxkit {args.draws:,} draws':<60} {t_big * 1e3:8.1f} ms")
    for label, seconds in [("plain numpy, numpy Generator draws (truncnorm by rejection)", t_np),
                           ("plain numpy, scipy.stats rvs draws", t_np_scipy)]:
        print(f"  {label:<60} {seconds * 1e3:8.1f} ms | ratio cxkit/numpy "
              f"{t_big / seconds:5.2f}")
    rows_out = [(f"cxkit {args.loop_draws:,} draws", t_small, args.loop_draws),
                (f"Python loop {args.loop_draws:,} draws", t_loop, args.loop_draws)]
    for label, seconds, n in rows_out:
        print(f"  {label:<60} {seconds * 1e3:8.1f} ms | {seconds / n * 1e6:8.3f} us/draw")
    print(f"  {f'Python loop x {scale:g} = {args.draws:,} draws':<60} {t_scaled * 1e3:8.1f} ms | "
          f"ratio loop/cxkit {t_scaled / t_big:6.1f}")
    print(f"  at {args.loop_draws:,} draws each: ratio loop/cxkit {t_loop / t_small:6.1f}")

    if not args.no_effects:
        bench_effects(args.respondents, args.resamples, args.peer_resamples, args.repeat, seed)


def survey(n: int, seed: int):
    """n respondents: four 0–10 CX items and a 0–10 intention whose top box follows a logit."""
    import pandas as pd
    from scipy.special import expit

    rng = np.random.default_rng(seed)
    items = np.clip(np.rint(rng.normal(7, 1.8, (n, 4))), 0, 10)
    top = rng.random(n) < expit(-6 + 0.8 * items.mean(axis=1))
    frame = pd.DataFrame(items, columns=["cx1", "cx2", "cx3", "cx4"])
    frame["stay"] = np.where(top, rng.integers(9, 11, n), rng.integers(0, 9, n))
    return frame


def bench_effects(n: int, resamples: int, peer_resamples: int, repeat: int, seed: int) -> None:
    """estimate_lever_effects against statsmodels Logit on the raw rows, with a bootstrap.

    The peer fits ``statsmodels.Logit`` on the n rows, predicts the lift, and bootstraps
    by refitting on resampled rows; its bootstrap is timed over ``peer_resamples`` resamples
    and scaled to ``resamples``. cxkit fits the same model on the counts of each distinct
    (CX, outcome) pair and refits every resample at once (weighted Newton–Raphson).
    """
    import statsmodels.api as sm

    from cxkit.revenue import estimate_lever_effects

    frame = survey(n, seed)
    cx = frame[["cx1", "cx2", "cx3", "cx4"]].mean(axis=1).to_numpy()
    y = (frame["stay"].to_numpy() >= 9).astype(float)
    exog, shifted = sm.add_constant(cx), sm.add_constant(np.minimum(cx + 1, 10))

    def peer_lift(rows):
        fit = sm.Logit(y[rows], exog[rows]).fit(disp=0)
        return fit.predict(shifted[rows]).mean() - fit.predict(exog[rows]).mean(), fit

    rng = np.random.default_rng(seed)

    def peer_bootstrap():
        return [peer_lift(rng.integers(0, n, n))[0] for _ in range(peer_resamples)]

    def ours():
        return estimate_lever_effects(frame, cx=["cx1", "cx2", "cx3", "cx4"], outcomes="stay",
                                      n_resamples=resamples, rng=seed)

    lift, fit = peer_lift(np.arange(n))
    res = ours().iloc[0]
    if not (abs(res["lift"] - lift) < 1e-9 and abs(res["slope"] - fit.params[1]) < 1e-8):
        raise SystemExit(f"cxkit and statsmodels disagree: lift {res['lift']!r} vs {lift!r}")
    t_ours = best_of(ours, repeat)
    t_fit = best_of(lambda: peer_lift(np.arange(n)), repeat)
    t_boot = best_of(peer_bootstrap, 1) / peer_resamples * resamples
    print(f"\nestimate_lever_effects, {n:,} respondents, 4-item CX index, {resamples:,} "
          f"bootstrap resamples, best of {repeat}")
    print(f"  lift {res['lift']:.4f} [{res['ci_low']:.4f}, {res['ci_high']:.4f}]; statsmodels "
          f"Logit on the raw rows gives the same lift and slope (to 1e-9)")
    print(f"  {'cxkit (fit + bootstrap)':<37} {t_ours * 1e3:10.1f} ms")
    print(f"  {'statsmodels Logit, one fit':<37} {t_fit * 1e3:10.1f} ms | "
          f"ratio statsmodels/cxkit {t_fit / t_ours:6.1f}")
    label = f"statsmodels bootstrap, {peer_resamples} refits x {resamples / peer_resamples:g}"
    print(f"  {label:<37} "
          f"{t_boot * 1e3:10.1f} ms | ratio statsmodels/cxkit {(t_fit + t_boot) / t_ours:6.1f}")


if __name__ == "__main__":
    main()
