"""Time cxkit.profile_items against the same computations written in plain pandas.

Both sides compute per-column missing counts and means, per-item response counts, and
pairwise-complete Pearson correlations on a simulated survey; the script checks that they
agree, then prints the best-of-N times and their ratio.
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
from _timing import best_of

import cxkit


def simulate(rows: int, items: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=(rows, 1))
    raw = np.clip(np.rint(3.5 + 1.2 * (0.7 * latent + 0.7 * rng.normal(size=(rows, items)))),
                  1, 6)
    raw[rng.random(raw.shape) < 0.02] = np.nan  # 2% missing at random
    return pd.DataFrame(raw, columns=[f"q{j + 1}" for j in range(items)]).astype("Int64")


def plain_pandas(frame: pd.DataFrame):
    x = frame.astype("float64")
    missing = frame.isna().sum()
    means = x.mean()
    counts = {c: x[c].value_counts().reindex(np.arange(1.0, 7.0), fill_value=0)
              for c in x.columns}
    return missing, means, counts, x.corr()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--items", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    frame = simulate(args.rows, args.items, args.seed)

    prof = cxkit.profile_items(frame, scale=(1, 6))
    missing, means, counts, corr = plain_pandas(frame)
    summary = prof.column_summary.set_index("column")
    assert (summary["n_missing"] == missing).all()
    assert np.allclose(summary["mean"], means)
    assert np.allclose(prof.correlations, corr)
    for item, table in counts.items():
        got = prof.distribution.loc[prof.distribution["item"] == item, "count"].to_numpy()
        assert (got == table.to_numpy()).all()

    t_cxkit = best_of(lambda: cxkit.profile_items(frame, scale=(1, 6)), args.repeat)
    t_pandas = best_of(lambda: plain_pandas(frame), args.repeat)
    print(f"{args.rows:,} rows x {args.items} items, best of {args.repeat}")
    print(f"  cxkit.profile_items : {t_cxkit * 1e3:9.1f} ms")
    print(f"  plain pandas        : {t_pandas * 1e3:9.1f} ms")
    print(f"  ratio cxkit/pandas  : {t_cxkit / t_pandas:9.2f}  (results agree)")


if __name__ == "__main__":
    main()
