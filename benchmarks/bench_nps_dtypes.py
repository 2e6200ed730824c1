"""``nps`` on each column dtype a survey export gives, against its peers, in one run.

For 10⁷ scores (by default) stored as int64, int8, float64 with 5% missing, a
Categorical and Python ints in an object column, it prints cxkit's time, the time of a
plain pandas NPS (``value_counts``), of ``np.bincount`` (integer columns) and the ratios;
then the peak extra memory of ``nps`` on 10⁸ int8 scores (tracemalloc: numpy reports its
buffers) against the input's size. Every comparison first checks that both agree.

Run from the repository root: ``python benchmarks/bench_nps_dtypes.py``.
"""

from __future__ import annotations

import argparse
import tracemalloc

import numpy as np
import pandas as pd
from _timing import best_of_pair

from cxkit.nps import nps


def pandas_nps(scores: pd.Series) -> float:
    counts = scores.value_counts()
    n = counts.sum()
    index = counts.index.astype(float)
    return 100 * (counts[index >= 9].sum() - counts[index <= 6].sum()) / n


def bincount_nps(values: np.ndarray) -> float:
    counts = np.bincount(values, minlength=11)
    return 100 * (counts[9:].sum() - counts[:7].sum()) / counts.sum()


def columns(rows: int, seed: int) -> dict[str, pd.Series]:
    rng = np.random.default_rng(seed)
    probs = np.array([2, 1, 2, 3, 3, 5, 8, 12, 20, 22, 22], float)
    points = rng.choice(11, size=rows, p=probs / probs.sum())
    with_nan = points.astype("float64")
    with_nan[rng.random(rows) < 0.05] = np.nan
    return {
        "int64": pd.Series(points.astype("int64")),
        "int8": pd.Series(points.astype("int8")),
        "float64 with NaN": pd.Series(with_nan),
        "Categorical": pd.Series(pd.Categorical(points)),
        "object (Python ints)": pd.Series(points.astype(object)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--memory-rows", type=int, default=100_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    print(f"nps on {args.rows:,} scores, best of {args.repeat} (seconds)")
    print(f"{'dtype':<22}{'cxkit':>9}{'pandas':>9}{'ratio':>8}{'bincount':>10}{'ratio':>8}")
    for label, series in columns(args.rows, args.seed).items():
        assert abs(nps(series).estimate - pandas_nps(series)) < 1e-9
        ours, theirs = best_of_pair(lambda s=series: nps(s), lambda s=series: pandas_nps(s),
                                    args.repeat)
        line = f"{label:<22}{ours:>9.4f}{theirs:>9.4f}{ours / theirs:>7.2f}×"
        if series.dtype.kind in "iu":
            values = series.to_numpy()
            assert abs(nps(series).estimate - bincount_nps(values)) < 1e-9
            again, raw = best_of_pair(lambda s=series: nps(s),
                                      lambda v=values: bincount_nps(v), args.repeat)
            line += f"{raw:>10.4f}{again / raw:>7.2f}×"
        print(line)

    rng = np.random.default_rng(args.seed)
    big = rng.integers(0, 11, args.memory_rows, dtype=np.int8)
    tracemalloc.start()
    nps(big)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"peak extra memory of nps on {args.memory_rows:,} int8 scores: {peak / 1e6:.1f} MB "
          f"= {peak / big.nbytes:.3f}× the input ({big.nbytes / 1e6:.0f} MB)")


if __name__ == "__main__":
    main()
