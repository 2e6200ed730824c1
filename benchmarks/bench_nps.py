"""Time cxkit's NPS functions against plain pandas, in one run, and print ratios.

1. ``nps`` on 10⁷ raw scores against a plain pandas ``value_counts`` computation of the
   NPS and its Wald interval;
2. ``nps_by`` over 10⁷ rows in 1,000 segments against a bare pandas
   ``groupby(...).value_counts()`` of the category counts (no intervals at all);
3. ``nps_by`` and a weekly ``nps_trend`` over the same rows against DuckDB on one thread
   (``SET threads = 1``): one SQL query that counts detractors, passives and promoters per
   segment (per ISO week for the trend, ``date_trunc('week', ...)``) straight from the
   pandas frame, fetched as a DataFrame;
4. the bootstrap interval with 10,000 resamples at n = 10³ and n = 10⁷: resampling the
   three counts costs the same whatever n is.

Each comparison first checks that both sides agree on the counts.
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
from _timing import best_of, best_of_pair, print_ratio

from cxkit.nps import nps, nps_by, nps_trend

CATEGORY_COUNTS = """
    count(*) FILTER (WHERE ltr <= 6) AS detractors,
    count(*) FILTER (WHERE ltr > 6 AND ltr < 9) AS passives,
    count(*) FILTER (WHERE ltr >= 9) AS promoters"""


def simulate(rows: int, segments: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    probs = np.array([2, 1, 2, 3, 3, 5, 8, 12, 20, 22, 22], float)
    scores = rng.choice(11, size=rows, p=probs / probs.sum()).astype("float64")
    branch = rng.integers(0, segments, size=rows)
    # two years of responses, one timestamp each (to the second)
    start = np.datetime64("2025-01-01T00:00:00", "s")
    stamps = start + rng.integers(0, 2 * 365 * 86_400, size=rows).astype("timedelta64[s]")
    return pd.DataFrame({"ltr": scores, "branch": branch, "date": stamps})


def duckdb_connection():
    """An in-memory DuckDB limited to one thread, or None when duckdb is not installed."""
    try:
        import duckdb
    except ImportError:
        return None
    con = duckdb.connect()
    con.execute("SET threads = 1")
    return con


def duckdb_counts_by(con, frame: pd.DataFrame) -> pd.DataFrame:
    con.register("responses", frame)
    return con.sql(f"SELECT branch, {CATEGORY_COUNTS} FROM responses "
                   "GROUP BY branch ORDER BY branch").df()


def duckdb_weekly(con, frame: pd.DataFrame) -> pd.DataFrame:
    con.register("responses", frame)
    return con.sql(f"SELECT date_trunc('week', date) AS period, {CATEGORY_COUNTS} "
                   "FROM responses GROUP BY period ORDER BY period").df()


def pandas_nps(scores: pd.Series):
    counts = scores.value_counts()
    n = counts.sum()
    p = counts[counts.index >= 9].sum() / n
    d = counts[counts.index <= 6].sum() / n
    se = np.sqrt((p + d - (p - d) ** 2) / n)
    return 100 * (p - d), 100 * (p - d - 1.96 * se), 100 * (p - d + 1.96 * se)


def pandas_counts_by(frame: pd.DataFrame):
    category = pd.Series(np.where(frame["ltr"] <= 6, 0, np.where(frame["ltr"] >= 9, 2, 1)),
                         index=frame.index, name="category")
    return frame.groupby(["branch", category]).size().unstack(fill_value=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--segments", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    frame = simulate(args.rows, args.segments, args.seed)
    scores = frame["ltr"]

    # 1. overall NPS
    ours = nps(scores.to_numpy(), method="tango")
    theirs = pandas_nps(scores)
    assert abs(ours.estimate - theirs[0]) < 1e-9
    print_ratio(f"nps, {args.rows:,} raw scores (tango interval) vs pandas value_counts (Wald):",
                *best_of_pair(lambda: nps(scores.to_numpy(), method="tango"),
                              lambda: pandas_nps(scores), args.repeat), "pandas")

    # 2. segments
    table = nps_by(frame, "ltr", "branch", method="tango")
    counts = pandas_counts_by(frame)
    assert (table[["detractors", "passives", "promoters"]].to_numpy() == counts.to_numpy()).all()
    print_ratio(f"nps_by, {args.rows:,} rows x {args.segments:,} segments (counts + tango "
                "intervals) vs pandas groupby counts only:",
                *best_of_pair(lambda: nps_by(frame, "ltr", "branch", method="tango"),
                              lambda: pandas_counts_by(frame), args.repeat), "pandas")

    # 3. DuckDB on one thread
    con = duckdb_connection()
    if con is None:
        print("nps_by / nps_trend vs DuckDB: skipped (duckdb is not installed; "
              "pip install -e '.[dev]')")
    else:
        theirs = duckdb_counts_by(con, frame)
        cats = ["detractors", "passives", "promoters"]
        assert (table[cats].to_numpy() == theirs[cats].to_numpy()).all()
        print_ratio(f"nps_by, {args.rows:,} rows x {args.segments:,} segments vs DuckDB SQL "
                    "counts (1 thread):",
                    *best_of_pair(lambda: nps_by(frame, "ltr", "branch", method="tango"),
                                  lambda: duckdb_counts_by(con, frame), args.repeat), "duckdb")

        trend = nps_trend(frame, "ltr", "date", freq="W")
        weekly = duckdb_weekly(con, frame)
        observed = trend[trend["n"] > 0]
        assert (observed["period"].to_numpy() == weekly["period"].to_numpy()).all()
        assert (observed[cats].to_numpy() == weekly[cats].to_numpy()).all()
        print_ratio(f"nps_trend weekly, {args.rows:,} rows, {len(trend)} weeks vs DuckDB "
                    "date_trunc('week') counts (1 thread):",
                    *best_of_pair(lambda: nps_trend(frame, "ltr", "date", freq="W"),
                                  lambda: duckdb_weekly(con, frame), args.repeat), "duckdb")

    # 4. bootstrap cost does not grow with n
    small = nps(scores.to_numpy()[:1_000])
    large = nps(scores.to_numpy())
    t_small = best_of(lambda: small.confidence_interval(method="bootstrap", n_resamples=10_000,
                                                        rng=1), args.repeat)
    t_large = best_of(lambda: large.confidence_interval(method="bootstrap", n_resamples=10_000,
                                                        rng=1), args.repeat)
    print("bootstrap (BCa, 10,000 resamples of the counts):")
    print(f"  n = 10^3 {t_small * 1e3:8.1f} ms | n = {args.rows:.0e} {t_large * 1e3:8.1f} ms | "
          f"ratio {t_large / t_small:5.2f}")


if __name__ == "__main__":
    main()
