"""Adversarial inputs to every public function of ``cxkit.nps``.

Each hostile scalar in each argument (exhaustively), and hypothesis-drawn hostile score
columns, segment columns, time columns and count tables: the only exceptions are
ValueError/TypeError naming the argument, and results are finite (NaN only with a
UserWarning). See ``tests/adversarial.py`` for the contract and the hostile classes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxkit.nps import (
    NPS_METHODS,
    classify_nps,
    compare_nps,
    nps,
    nps_by,
    nps_coverage,
    nps_interval,
    nps_pairwise,
    nps_sample_size,
    nps_sample_size_difference,
    nps_sampling_distribution,
    nps_trend,
)
from tests.adversarial import (
    KINDS,
    check_outcome,
    hostile_values,
    qualified,
    scalar_cases,
)

COVERED = qualified(classify_nps, compare_nps, nps, nps_by, nps_coverage, nps_interval,
                    nps_pairwise, nps_sample_size, nps_sample_size_difference,
                    nps_sampling_distribution, nps_trend)

FAST = settings(max_examples=4000, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SCORES = pd.Series([0, 3, 6, 7, 8, 9, 10, 10, 9, 5, 8, 9] * 3, dtype=float)
FRAME = pd.DataFrame({
    "ltr": SCORES,
    "seg": ["a", "b", "c"] * 12,
    "when": pd.date_range("2024-01-01", periods=36, freq="D"),
})
SEGMENTS = nps_by(FRAME, "ltr", "seg", min_n=1)
COUNTS = {"detractors": 10, "passives": 5, "promoters": 20}

CASES = [
    *scalar_cases("classify_nps", classify_nps, {"scores": SCORES},
                  ["scores", "promoter_min", "detractor_max", "scale"]),
    *scalar_cases("nps_interval", nps_interval,
                  {"detractors": 10, "passives": 5, "promoters": 20},
                  ["detractors", "passives", "promoters", "method", "confidence_level",
                   "prior"]),
    *scalar_cases("nps_interval-bootstrap", nps_interval,
                  {"detractors": 10, "passives": 5, "promoters": 20,
                   "method": "bootstrap", "n_resamples": 100, "rng": 0},
                  ["n_resamples", "rng", "bootstrap"]),
    *scalar_cases("nps", nps, {"scores": SCORES},
                  ["scores", "method", "confidence_level", "promoter_min", "detractor_max",
                   "scale"]),
    *scalar_cases("nps-data", nps, {"data": FRAME, "column": "ltr"}, ["data", "column"]),
    *scalar_cases("nps-counts", nps, {"counts": COUNTS}, ["counts"]),
    *scalar_cases("compare_nps", compare_nps, {"a": SCORES, "b": SCORES[::-1]},
                  ["a", "b", "paired", "method", "confidence_level", "scale"]),
    *scalar_cases("nps_sample_size", nps_sample_size, {"margin": 5.0},
                  ["margin", "promoters", "detractors", "confidence_level"]),
    *scalar_cases("nps_sample_size_difference", nps_sample_size_difference,
                  {"difference": 10.0, "a": (0.4, 0.2), "b": (0.3, 0.3)},
                  ["difference", "a", "b", "power", "confidence_level"]),
    *scalar_cases("nps_coverage", nps_coverage,
                  {"n": 20, "promoters": 0.4, "detractors": 0.2},
                  ["n", "promoters", "detractors", "method", "confidence_level"]),
    *scalar_cases("nps_by", nps_by, {"data": FRAME, "score": "ltr", "by": "seg", "min_n": 1},
                  ["data", "score", "by", "method", "confidence_level", "min_n", "scale"]),
    *scalar_cases("nps_pairwise", nps_pairwise, {"segments": SEGMENTS},
                  ["segments", "method", "confidence_level"]),
    *scalar_cases("nps_trend", nps_trend,
                  {"data": FRAME, "score": "ltr", "time": "when", "freq": "W", "min_n": 1},
                  ["data", "score", "time", "freq", "by", "method", "min_n"]),
    *scalar_cases("nps_sampling_distribution", nps_sampling_distribution,
                  {"n": 20, "promoters": 0.4, "detractors": 0.2},
                  ["n", "promoters", "detractors"]),
]


@pytest.mark.parametrize(("call", "kwargs", "argument"), CASES)
def test_hostile_scalar_argument(call, kwargs, argument):
    check_outcome(lambda: call(**kwargs), [f"`{argument}`", f"`{argument}."],
                  context=f"{call.__name__}({argument}={kwargs[argument]!r})")


@FAST
@given(drawn=hostile_values(lo=0, hi=10), method=st.sampled_from(NPS_METHODS))
def test_nps_on_hostile_scores(drawn, method):
    kind, scores = drawn
    options = {"n_resamples": 100, "rng": 0} if method in ("bootstrap", "bayes") else {}
    check_outcome(lambda: nps(scores, method=method, **options), ["`scores`"],
                  context=f"nps({kind}, method={method})")
    frame = pd.DataFrame({"ltr": scores})
    check_outcome(lambda: nps(data=frame, column="ltr", method=method, **options),
                  ["`column`", "'ltr'", "`data`"], context=f"nps(data={kind})")


@FAST
@given(drawn=hostile_values(lo=0, hi=10))
def test_classify_nps_on_hostile_scores(drawn):
    kind, scores = drawn
    result = check_outcome(lambda: classify_nps(scores), ["`scores`"],
                           context=f"classify_nps({kind})", allow_nan=True)
    if result is not None:  # a category for each score; a missing score stays missing
        assert len(result) == len(scores)
        assert (pd.isna(pd.Series(result)).to_numpy() == pd.isna(scores).to_numpy()).all()


@FAST
@given(a=hostile_values(lo=0, hi=10), b=hostile_values(lo=0, hi=10), paired=st.booleans(),
       method=st.sampled_from(["wald", "adjusted-wald", "paired-wald"]))
def test_compare_nps_on_hostile_samples(a, b, paired, method):
    (kind_a, a), (kind_b, b) = a, b
    if not paired and method == "paired-wald":
        method = "adjusted-wald"
    check_outcome(lambda: compare_nps(a, b, paired=paired, method=method), ["`a`", "`b`"],
                  context=f"compare_nps({kind_a}, {kind_b}, paired={paired})")


HOSTILE_COUNTS = st.one_of(
    st.integers(-5, 40), st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([True, None, "3", 2**63, 10**20, np.int64(3), np.float64(2.5),
                     pd.NA, np.datetime64("2024-01-01")]))


@FAST
@given(d=HOSTILE_COUNTS, pa=HOSTILE_COUNTS, pr=HOSTILE_COUNTS,
       method=st.sampled_from(NPS_METHODS))
def test_nps_on_hostile_counts(d, pa, pr, method):
    options = {"n_resamples": 100, "rng": 0} if method in ("bootstrap", "bayes") else {}
    counts = {"detractors": d, "passives": pa, "promoters": pr}
    check_outcome(lambda: nps(counts=counts, method=method, **options), ["`counts`"],
                  context=f"nps(counts={counts}, {method})")
    check_outcome(lambda: nps_interval(d, pa, pr, method=method, **options),
                  ["`detractors`", "`passives`", "`promoters`"],
                  context=f"nps_interval({d}, {pa}, {pr}, {method})")


@st.composite
def segment_frames(draw):
    """A score column and a segment column, either of them hostile."""
    kind, hostile = draw(hostile_values(lo=0, hi=10, min_size=3, max_size=30))
    n = len(hostile)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    scores = pd.Series(rng.integers(0, 11, n).astype(float))
    segment_kind = draw(st.sampled_from(["plain", "blank", "all_blank", "one", "numeric",
                                         "categorical", "hostile", "bool"]))
    labels = np.array(["north", "south", "east"], dtype=object)[rng.integers(0, 3, n)]
    if segment_kind == "blank" and n:
        labels[rng.integers(0, n)] = None
        segment = pd.Series(labels)
    elif segment_kind == "all_blank":
        segment = pd.Series([None] * n, dtype=object)
    elif segment_kind == "one":
        segment = pd.Series(["north"] * n)
    elif segment_kind == "numeric":
        segment = pd.Series(rng.integers(0, 3, n))
    elif segment_kind == "categorical":
        segment = pd.Series(pd.Categorical(labels, categories=["north", "south", "east",
                                                               "unused"]))
    elif segment_kind == "bool":
        segment = pd.Series(rng.random(n) < 0.5)
    elif segment_kind == "hostile":
        segment = hostile.reset_index(drop=True)
        hostile = scores
    else:
        segment = pd.Series(labels)
    score_is_hostile = segment_kind != "hostile"
    frame = pd.DataFrame({"ltr": (hostile if score_is_hostile else scores).reset_index(
        drop=True), "seg": segment.reset_index(drop=True)})
    return f"score={kind if score_is_hostile else 'ok'}, seg={segment_kind}/{kind}", frame


@FAST
@given(drawn=segment_frames(), min_n=st.sampled_from([1, 2, 30]),
       method=st.sampled_from(["tango", "wald", "adjusted-wald"]))
def test_nps_by_and_pairwise_on_hostile_segments(drawn, min_n, method):
    context, frame = drawn
    tables = []

    def by_segment():  # the segment labels are the data's own (inf may be a label)
        tables.append(nps_by(frame, "ltr", "seg", min_n=min_n, method=method))
        return tables[-1].drop(columns="seg")

    check_outcome(by_segment, ["`score`", "`by`", "`data`", "'ltr'", "'seg'"],
                  context=f"nps_by({context})")
    if not tables:
        return
    table = tables[0]
    assert table["n"].sum() + table.attrs.get("excluded", {}).get("n", 0) >= 0
    pairwise = "wald" if method == "wald" else "adjusted-wald"
    check_outcome(lambda: nps_pairwise(table, method=pairwise), ["`segments`"],
                  context=f"nps_pairwise({context})")


@FAST
@given(data=st.data())
def test_nps_pairwise_on_hostile_count_tables(data):
    k = data.draw(st.integers(0, 4))
    rows = []
    for j in range(k):
        rows.append({"segment": data.draw(st.sampled_from([f"s{j}", None, j, "s0"])),
                     "detractors": data.draw(HOSTILE_COUNTS),
                     "passives": data.draw(HOSTILE_COUNTS),
                     "promoters": data.draw(HOSTILE_COUNTS)})
    table = pd.DataFrame(rows, columns=["segment", "detractors", "passives", "promoters"])
    check_outcome(lambda: nps_pairwise(table), ["`segments`"],
                  context=f"nps_pairwise({rows})")


TIME_KINDS = ("dates", "text_dates", "nat", "tz", "ints", "floats", "text", "bool",
              "timedelta", "period", "categorical_dates", "one_date", "far_apart")


@st.composite
def time_frames(draw):
    kind, scores = draw(hostile_values(lo=0, hi=10, kinds=KINDS, min_size=3, max_size=30))
    time_kind = draw(st.sampled_from(TIME_KINDS))
    if not draw(st.booleans()):
        kind = "ok"
        scores = pd.Series(np.arange(len(scores)) % 11, dtype=float)
    n = len(scores)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    days = pd.Series(pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 60, n),
                                                                  unit="D"))
    if time_kind == "text_dates":
        time = days.dt.strftime("%Y-%m-%d").astype(object)
    elif time_kind == "nat":
        time = days.copy()
        if n:
            time.iloc[rng.integers(0, n)] = pd.NaT
    elif time_kind == "tz":
        time = days.dt.tz_localize("Europe/Paris")
    elif time_kind == "ints":
        time = pd.Series(rng.integers(2020, 2024, n))
    elif time_kind == "floats":
        time = pd.Series(rng.random(n))
    elif time_kind == "text":
        time = pd.Series(["last week"] * n, dtype=object)
    elif time_kind == "bool":
        time = pd.Series(rng.random(n) < 0.5)
    elif time_kind == "timedelta":
        time = pd.Series(pd.to_timedelta(rng.integers(0, 60, n), unit="D"))
    elif time_kind == "period":
        time = days.dt.to_period("D")
    elif time_kind == "categorical_dates":
        time = pd.Series(pd.Categorical(days.dt.strftime("%Y-%m-%d")))
    elif time_kind == "one_date":
        time = pd.Series([pd.Timestamp("2024-01-01")] * n)
    elif time_kind == "far_apart":
        time = days.copy()
        if n:
            time.iloc[0] = pd.Timestamp("1700-01-01")
    else:
        time = days
    frame = pd.DataFrame({"ltr": scores.reset_index(drop=True),
                          "when": time.reset_index(drop=True)})
    return f"score={kind}, time={time_kind}", frame


@FAST
@given(drawn=time_frames(), freq=st.sampled_from(["D", "W", "MS", "QE", "h", "YE"]))
def test_nps_trend_on_hostile_time_columns(drawn, freq):
    context, frame = drawn
    check_outcome(lambda: nps_trend(frame, "ltr", "when", freq=freq, min_n=1),
                  ["`score`", "`time`", "`freq`", "`data`", "'ltr'", "'when'"],
                  context=f"nps_trend({context}, freq={freq})")


SHARES = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-2, 2),
                   st.sampled_from([None, True, "0.3", np.float64(0.3)]))


@FAST
@given(n=st.one_of(st.integers(-2, 60), st.floats(), st.sampled_from([2**63, True, "5"])),
       promoters=SHARES, detractors=SHARES)
def test_sampling_distribution_and_coverage_on_hostile_inputs(n, promoters, detractors):
    check_outcome(lambda: nps_sampling_distribution(n, promoters=promoters,
                                                    detractors=detractors),
                  ["`n`", "`promoters`", "`detractors`"],
                  context=f"nps_sampling_distribution({n}, {promoters}, {detractors})")
    check_outcome(lambda: nps_coverage(n, promoters=promoters, detractors=detractors),
                  ["`n`", "`promoters`", "`detractors`"],
                  context=f"nps_coverage({n}, {promoters}, {detractors})")


@FAST
@given(margin=st.one_of(st.floats(), st.integers(-5, 200)), promoters=SHARES,
       detractors=SHARES, level=st.one_of(st.floats(), st.sampled_from([0.5, 0.999999])))
def test_sample_sizes_on_hostile_inputs(margin, promoters, detractors, level):
    check_outcome(lambda: nps_sample_size(margin, promoters=promoters, detractors=detractors,
                                          confidence_level=level),
                  ["`margin`", "`promoters`", "`detractors`", "`confidence_level`"],
                  context=f"nps_sample_size({margin}, {promoters}, {detractors}, {level})")
    check_outcome(lambda: nps_sample_size_difference(
        margin, a=(promoters, detractors), b=(0.3, 0.3), confidence_level=level),
        ["`difference`", "`a.", "`confidence_level`"],
        context=f"nps_sample_size_difference({margin}, a=({promoters}, {detractors}))")
