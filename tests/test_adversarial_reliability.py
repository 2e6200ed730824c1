"""Adversarial inputs to every public function of ``cxkit.reliability``.

Hostile item frames (one hostile column among ordinary ones, with duplicate, integer,
MultiIndex or mixed column labels), hostile covariance matrices, hostile group and score
columns, and each hostile scalar in each argument: the only exceptions are
ValueError/TypeError naming the argument, and results are finite (NaN only with a
UserWarning). See ``tests/adversarial.py`` for the contract and the hostile classes.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxkit.reliability import cronbach_alpha, group_reliability, omega, reverse_items
from tests.adversarial import (
    KINDS,
    check_outcome,
    hostile_frames,
    hostile_values,
    qualified,
    scalar_cases,
)

COVERED = qualified(cronbach_alpha, group_reliability, omega, reverse_items)

FAST = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
_rng = np.random.default_rng(7)
_trait = _rng.normal(size=60)
ITEMS = pd.DataFrame({f"q{j + 1}": np.clip(np.round(3 + _trait + _rng.normal(size=60)), 1, 5)
                      for j in range(4)})
COV = ITEMS.cov().to_numpy()
GROUPS = pd.DataFrame({"g": np.repeat(list("abcdef"), 10),
                       "s": np.repeat(np.arange(6.0), 10) + _rng.normal(size=60)})


def _means_dropped(function):
    """``function`` on a covariance matrix: the item means are not known, and say so.

    With 2 items, "alpha if an item is deleted" is NaN by definition (one item left has
    no alpha; documented), so those columns are left out of the check too.
    """
    def call(**kwargs):
        result = function(**kwargs)
        if result.n is not None and "cov" in kwargs and kwargs["cov"] is not None:
            assert any("item means are not available" in note for note in result.notes)
            out = result.to_dict()
            for item in out.get("items") or []:
                item.pop("mean", None)
                if len(out["items"]) == 2:
                    for key in [k for k in item if k.endswith("_if_deleted")]:
                        item.pop(key)
            return out
        return result
    call.__name__ = function.__name__
    return call


# every argument that names something in the data may be named by the error instead
DATA_NAMES = ["`data`", "`items`", "`reverse`", "`scale`", "q1", "q4", "'q", "column",
              "`score`", "`group`"]

CASES = [
    *scalar_cases("cronbach_alpha", cronbach_alpha, {"data": ITEMS},
                  ["data", "items", "reverse", "scale", "nan_policy", "method",
                   "confidence_level"]),
    *scalar_cases("cronbach_alpha-bootstrap", cronbach_alpha,
                  {"data": ITEMS, "method": "bootstrap", "n_resamples": 100, "rng": 0},
                  ["n_resamples", "rng"]),
    *scalar_cases("cronbach_alpha-cov", _means_dropped(cronbach_alpha), {"cov": COV, "n": 60},
                  ["cov", "n", "method"]),
    *scalar_cases("omega", omega, {"data": ITEMS},
                  ["data", "items", "n_factors", "reverse", "scale", "nan_policy",
                   "confidence_level"]),
    *scalar_cases("omega-bootstrap", omega,
                  {"data": ITEMS, "n_resamples": 20, "rng": 0}, ["n_resamples", "rng"]),
    *scalar_cases("omega-cov", _means_dropped(omega), {"cov": COV, "n": 60}, ["cov", "n"]),
    *scalar_cases("reverse_items", reverse_items,
                  {"data": ITEMS, "items": ["q2"], "scale": (1, 5)},
                  ["data", "items", "scale"]),
    *scalar_cases("group_reliability", group_reliability,
                  {"data": GROUPS, "score": "s", "group": "g"}, ["data", "score", "group"]),
]


@pytest.mark.parametrize(("call", "kwargs", "argument"), CASES)
def test_hostile_scalar_argument(call, kwargs, argument):
    check_outcome(lambda: call(**kwargs), [f"`{argument}`"],
                  context=f"{call.__name__}({argument}={kwargs[argument]!r})")


@FAST
@given(drawn=hostile_frames(k=4, lo=1, hi=5),
       method=st.sampled_from(["feldt", "duhachek", "bootstrap"]),
       nan_policy=st.sampled_from(["pairwise", "listwise"]))
def test_cronbach_alpha_on_hostile_items(drawn, method, nan_policy):
    context, frame = drawn
    options = {"n_resamples": 100, "rng": 0} if method == "bootstrap" else {}
    check_outcome(lambda: cronbach_alpha(frame, method=method, nan_policy=nan_policy,
                                         **options),
                  DATA_NAMES, context=f"cronbach_alpha({context}, {method}, {nan_policy})")


@FAST
@given(drawn=hostile_frames(k=4, lo=1, hi=5), n_factors=st.sampled_from([1, 1, 2]),
       nan_policy=st.sampled_from(["pairwise", "listwise"]))
def test_omega_on_hostile_items(drawn, n_factors, nan_policy):
    context, frame = drawn
    check_outcome(lambda: omega(frame, n_factors=n_factors, nan_policy=nan_policy),
                  [*DATA_NAMES, "`n_factors`"],
                  context=f"omega({context}, n_factors={n_factors}, {nan_policy})")


@FAST
@given(drawn=hostile_frames(k=4, lo=1, hi=5),
       scale=st.sampled_from([(1, 5), (0, 10), (5, 1), (1, 5.5), None]))
def test_reverse_items_and_alpha_with_reverse_on_hostile_items(drawn, scale):
    context, frame = drawn
    item = frame.columns[-1]
    check_outcome(lambda: reverse_items(frame, [item], scale=scale), DATA_NAMES,
                  context=f"reverse_items({context}, scale={scale})", allow_nan=True)
    check_outcome(lambda: cronbach_alpha(frame, reverse=[item], scale=scale), DATA_NAMES,
                  context=f"cronbach_alpha({context}, reverse, scale={scale})")


ENTRIES = st.one_of(st.floats(-5, 5), st.sampled_from([np.nan, np.inf, -np.inf, 1e300, 0.0]))


@FAST
@given(k=st.integers(0, 4), data=st.data(),
       n=st.one_of(st.integers(-2, 200), st.sampled_from([None, 2.5, np.nan, True, 2**63])),
       symmetric=st.booleans())
def test_alpha_and_omega_on_hostile_covariance_matrices(k, data, n, symmetric):
    matrix = np.array(data.draw(st.lists(st.lists(ENTRIES, min_size=k, max_size=k),
                                         min_size=k, max_size=k)), dtype=float).reshape(k, k)
    if symmetric:
        matrix = (matrix + matrix.T) / 2
    for function in (cronbach_alpha, omega):
        function = _means_dropped(function)
        check_outcome(lambda f=function: f(cov=matrix, n=n), ["`cov`", "`n`"],
                      context=f"{function.__name__}(cov={matrix.tolist()}, n={n})")
        frame = pd.DataFrame(matrix, columns=[f"i{j}" for j in range(k)],
                             index=[f"i{j}" for j in range(k)])
        check_outcome(lambda f=function, c=frame: f(cov=c, n=n), ["`cov`", "`n`"],
                      context=f"{function.__name__}(cov=DataFrame, n={n})")


GROUP_KINDS = ("plain", "blank", "all_blank", "one_group", "singletons", "numeric",
               "categorical", "bool", "hostile")


@st.composite
def group_frames(draw):
    kind, hostile = draw(hostile_values(lo=1, hi=5, kinds=KINDS, min_size=3, max_size=40))
    n = len(hostile)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    group_kind = draw(st.sampled_from(GROUP_KINDS))
    scores = pd.Series(rng.integers(1, 6, n).astype(float))
    labels = np.array(list("abcd"), dtype=object)[rng.integers(0, 4, n)]
    if group_kind == "blank" and n:
        labels[rng.integers(0, n)] = None
        group = pd.Series(labels)
    elif group_kind == "all_blank":
        group = pd.Series([None] * n, dtype=object)
    elif group_kind == "one_group":
        group = pd.Series(["a"] * n)
    elif group_kind == "singletons":
        group = pd.Series([f"g{i}" for i in range(n)])
    elif group_kind == "numeric":
        group = pd.Series(rng.integers(0, 3, n))
    elif group_kind == "categorical":
        group = pd.Series(pd.Categorical(labels, categories=[*"abcd", "unused"]))
    elif group_kind == "bool":
        group = pd.Series(rng.random(n) < 0.5)
    elif group_kind == "hostile":
        group, hostile = hostile.reset_index(drop=True), scores
    else:
        group = pd.Series(labels)
    score_kind = kind if group_kind != "hostile" else "ok"
    frame = pd.DataFrame({"s": hostile.reset_index(drop=True),
                          "g": group.reset_index(drop=True)})
    return f"score={score_kind}, group={group_kind}/{kind}", frame


@FAST
@given(drawn=group_frames())
def test_group_reliability_on_hostile_groups(drawn):
    context, frame = drawn
    result = check_outcome(lambda: group_reliability(frame, score="s", group="g"),
                           ["`score`", "`group`", "`data`", "'s'", "'g'"],
                           context=f"group_reliability({context})")
    if result is None:
        return
    # responses_needed gives a number of responses, or None and says why there is none
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        needed = result.responses_needed(0.7)
    if needed is None:
        assert not result.icc1 > 0
        assert any("do not differ more than chance" in str(w.message) for w in caught)
    else:
        assert isinstance(needed, int) and needed >= 1 and result.icc1 > 0
