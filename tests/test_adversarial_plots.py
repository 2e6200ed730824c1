"""Adversarial arguments to every figure in cxkit.plots: only ValueError/TypeError naming
the argument, checked before a figure is created; valid results built from hostile but
accepted data (blank, all-NaN and n = 1 segments, constant items, NaN intervals, zero
lifts) either draw a Figure or are refused by name, and NaN data never crashes a figure."""

from __future__ import annotations

import functools
import math
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import cxkit  # noqa: E402
from cxkit import plots  # noqa: E402
from tests.adversarial import (  # noqa: E402
    check_outcome,
    hostile_frames,
    hostile_scalars,
    hostile_values,
    qualified,
)

COVERED = qualified(*(getattr(plots, name) for name in plots.__all__
                      if callable(getattr(plots, name))))

HOSTILE_SCALARS = hostile_scalars()  # the shared set (tests/adversarial.py)
SETTINGS = settings(max_examples=20, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture])


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def quiet(call):
    """Run an upstream (statistics) call, its warnings silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return call()


# --------------------------------------------------------------------------- valid inputs


@functools.cache
def survey() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    n = 240
    base = rng.normal(size=n)
    items = {f"q{j}": np.clip(np.round(3 + base + rng.normal(scale=0.8, size=n)), 1, 5)
             for j in range(1, 5)}
    return pd.DataFrame({"seg": rng.choice(["north", "south", "east"], n),
                         "ltr": rng.integers(0, 11, n),
                         "when": pd.date_range("2024-01-01", periods=n, freq="D"), **items})


@functools.cache
def valid() -> dict:
    data = survey()
    quietly = quiet
    scenario = quietly(lambda: cxkit.cx_revenue_scenario(
        customers=1000, revenue_per_customer=1000, retention=0.8,
        retention_lift=__import__("scipy").stats.uniform(0.02, 0.06), buy_more_lift=0.1,
        spend_uplift=0.2, n_draws=200, rng=1))
    return {
        "profile": quietly(lambda: cxkit.profile_items(data, columns=["q1", "q2", "q3", "q4"])),
        "nps": quietly(lambda: cxkit.nps(data["ltr"])),
        "by": quietly(lambda: cxkit.nps_by(data, "ltr", "seg")),
        "trend": quietly(lambda: cxkit.nps_trend(data, "ltr", "when", freq="M")),
        "alpha": quietly(lambda: cxkit.cronbach_alpha(data, ["q1", "q2", "q3", "q4"])),
        "scenario": scenario,
        "sensitivity": scenario.sensitivity(),
        "coverage": pd.DataFrame({"n": [20, 50, 200] * 2, "method": ["wald"] * 3 + ["tango"] * 3,
                                  "coverage": [0.91, 0.93, 0.945, 0.952, 0.949, 0.95]}),
        "alpha_table": pd.DataFrame({"n": [30] * 3 + [300] * 3,
                                     "alpha": [0.71, 0.80, 0.77, 0.78, 0.79, 0.775]}),
        "ranking": pd.DataFrame({"ratings_per_employee": [5, 10, 20, 50, 100],
                                 "p_best_ranked_first": [0.18, 0.27, 0.39, 0.58, 0.74],
                                 "icc1": 0.05, "chance": 0.1}),
        "effects": pd.DataFrame({"outcome": ["stay", "recommend"], "lift": [0.16, 0.14],
                                 "ci_low": [0.13, 0.09], "ci_high": [0.2, 0.18],
                                 "baseline_share": [0.33, 0.26], "n": [250, 250],
                                 "shift": [1.0, 1.0], "confidence_level": [0.95, 0.95]}),
    }


def _figure():
    fig, _ = plt.subplots()
    return fig


#: name -> (function, valid positional arguments (a callable), valid keyword arguments)
CALLS = {
    "likert_bars": (plots.likert_bars, lambda v: {"profile": v["profile"]}),
    "correlation_heatmap": (plots.correlation_heatmap,
                            lambda v: {"profile_or_corr": v["profile"]}),
    "missing_bars": (plots.missing_bars, lambda v: {"profile": v["profile"]}),
    "nps_distribution": (plots.nps_distribution, lambda v: {"result": v["nps"]}),
    "nps_forest": (plots.nps_forest, lambda v: {"frame": v["by"]}),
    "nps_trend_plot": (plots.nps_trend_plot, lambda v: {"frame": v["trend"]}),
    "coverage_plot": (plots.coverage_plot, lambda v: {"table": v["coverage"]}),
    "nps_sampling_distribution": (plots.nps_sampling_distribution, lambda v: {
        "values": [-50, 0, 50, 100], "probabilities": [0.1, 0.4, 0.4, 0.1]}),
    "item_analysis": (plots.item_analysis, lambda v: {"result": v["alpha"]}),
    "alpha_scatter": (plots.alpha_scatter, lambda v: {"table": v["alpha_table"]}),
    "ranking_accuracy": (plots.ranking_accuracy, lambda v: {"table": v["ranking"]}),
    "revenue_waterfall": (plots.revenue_waterfall, lambda v: {"scenario": v["scenario"]}),
    "revenue_distribution": (plots.revenue_distribution,
                             lambda v: {"scenario": v["scenario"]}),
    "revenue_tornado": (plots.revenue_tornado, lambda v: {"scenario_or_table": v["scenario"]}),
    "lever_effects": (plots.lever_effects, lambda v: {"effects": v["effects"]}),
}
#: The keyword options of each figure that take a scalar (or None).
OPTIONS = {
    "likert_bars": ("ax", "labels", "title"),
    "correlation_heatmap": ("ax", "annotate", "title"),
    "missing_bars": ("ax", "title"),
    "nps_distribution": ("ax", "title"),
    "nps_forest": ("by", "overall", "ax", "title", "sort"),
    "nps_trend_plot": ("time", "ax", "title"),
    "coverage_plot": ("confidence_level", "ax", "title"),
    "nps_sampling_distribution": ("true_value", "ax", "title"),
    "item_analysis": ("ax", "title"),
    "alpha_scatter": ("truth", "ax", "title"),
    "ranking_accuracy": ("ax", "title"),
    "revenue_waterfall": ("ax", "title"),
    "revenue_distribution": ("target", "ax", "title"),
    "revenue_tornado": ("ax", "title", "max_inputs"),
    "lever_effects": ("truth", "ax", "title"),
}
#: The argument each figure draws (the result object or table).
FIRST = {name: next(iter(make({k: None for k in (
    "profile", "nps", "by", "trend", "alpha", "scenario", "sensitivity", "coverage",
    "alpha_table", "ranking", "effects")}))) for name, (_, make) in CALLS.items()}


def draws_or_refuses(function, kwargs, names, context):
    """The contract for a figure: a Figure, or a ValueError/TypeError naming an argument."""
    result = check_outcome(lambda: function(**kwargs), [f"`{n}" for n in names],
                           context=context)
    if result is not None:
        assert isinstance(result, Figure), context
    return result


def test_every_figure_is_driven():
    public = {name for name in plots.__all__ if callable(getattr(plots, name))}
    assert public == set(CALLS) | {"save_figure"}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_valid_inputs_draw(name):
    function, make = CALLS[name]
    assert isinstance(quiet(lambda: function(**make(valid()))), Figure)


@pytest.mark.parametrize("value", HOSTILE_SCALARS, ids=repr)
@pytest.mark.parametrize(("name", "option"),
                         [(n, o) for n in sorted(OPTIONS) for o in OPTIONS[n]])
def test_hostile_option_draws_or_raises_named_error(name, option, value):
    """Every hostile scalar in every keyword option of every figure (exhaustive)."""
    function, make = CALLS[name]
    kwargs = {**make(valid()), option: value}
    draws_or_refuses(function, kwargs, [option], f"{name}({option}={value!r})")


@pytest.mark.parametrize("value", HOSTILE_SCALARS, ids=repr)
@pytest.mark.parametrize("name", sorted(CALLS))
def test_hostile_main_argument_raises_named_error(name, value):
    """A scalar (or None) where the result object or table belongs."""
    function, make = CALLS[name]
    kwargs = make(valid())
    if name == "nps_sampling_distribution":
        kwargs = {**kwargs, "values": value}
    else:
        kwargs = {**kwargs, FIRST[name]: value}
    argument = "values" if name == "nps_sampling_distribution" else FIRST[name]
    draws_or_refuses(function, kwargs, [argument], f"{name}({argument}={value!r})")


@pytest.mark.parametrize("other", ["profile", "nps", "by", "trend", "alpha", "scenario",
                                   "sensitivity", "coverage", "alpha_table", "ranking",
                                   "effects", "empty_frame", "series", "dict", "figure"])
@pytest.mark.parametrize("name", sorted(CALLS))
def test_result_of_the_wrong_kind_raises_named_error(name, other):
    function, make = CALLS[name]
    extra = {"empty_frame": pd.DataFrame(), "series": pd.Series([1.0, 2.0]),
             "dict": {"estimate": 1.0}, "figure": _figure()}
    value = extra[other] if other in extra else valid()[other]
    argument = "values" if name == "nps_sampling_distribution" else FIRST[name]
    kwargs = {**make(valid()), argument: value}
    # the right kind passes (e.g. a scenario or its sensitivity table for the tornado)
    quiet(lambda: draws_or_refuses(function, kwargs, [argument, "result.", "frame"],
                                   f"{name}({argument}=<{other}>)"))


@pytest.mark.parametrize("ax", ["axes_of_a_closed_figure", "list3", "array_of_text"])
def test_ax_of_the_wrong_shape_is_refused(ax):
    value = {"axes_of_a_closed_figure": ["a", "b"], "list3": [None, None, None],
             "array_of_text": np.array(["x", "y"])}[ax]
    for name, (function, make) in CALLS.items():
        draws_or_refuses(function, {**make(valid()), "ax": value}, ["ax"], f"{name} ax={ax}")


# --------------------------------------------------------------------------- tables


TABLES = {  # figure -> (table argument, valid table key, numeric columns)
    "nps_forest": ("frame", "by", ["n", "estimate", "ci_low", "ci_high"]),
    "nps_trend_plot": ("frame", "trend", ["n", "estimate", "ci_low", "ci_high"]),
    "coverage_plot": ("table", "coverage", ["n", "coverage"]),
    "alpha_scatter": ("table", "alpha_table", ["n", "alpha"]),
    "ranking_accuracy": ("table", "ranking", ["ratings_per_employee", "p_best_ranked_first",
                                              "icc1", "chance"]),
    "revenue_tornado": ("scenario_or_table", "sensitivity", ["low", "high", "total_low",
                                                             "total_high"]),
    "lever_effects": ("effects", "effects", ["lift", "ci_low", "ci_high", "baseline_share",
                                             "n"]),
}


def _sensitivity():
    return pd.DataFrame({"input": ["retention_lift", "intent_to_behaviour"],
                         "low": [0.02, 0.3], "central": [0.05, 0.65], "high": [0.08, 1.0],
                         "total_low": [50_000.0, 80_000.0], "total_high": [200_000.0, 150_000.0]})


def _table(key):
    return _sensitivity() if key == "sensitivity" else valid()[key].copy()


@pytest.mark.parametrize("name", sorted(TABLES))
def test_table_missing_each_column_raises_named_error(name):
    argument, key, numeric = TABLES[name]
    function, make = CALLS[name]
    for column in numeric:
        table = _table(key).drop(columns=column)
        draws_or_refuses(function, {**make(valid()), argument: table}, [argument],
                         f"{name} without {column}")


@pytest.mark.parametrize("labels", ["duplicate", "multiindex", "integer"])
@pytest.mark.parametrize("name", sorted(TABLES))
def test_table_with_odd_labels_raises_named_error(name, labels):
    argument, key, numeric = TABLES[name]
    function, make = CALLS[name]
    table = _table(key)
    if labels == "duplicate":
        table = pd.concat([table, table[[numeric[0]]]], axis=1)
    elif labels == "multiindex":
        table.columns = pd.MultiIndex.from_tuples([("t", c) for c in table.columns])
    else:
        table.columns = range(table.shape[1])
    draws_or_refuses(function, {**make(valid()), argument: table}, [argument, "by"],
                     f"{name} with {labels} labels")


@SETTINGS
@given(name=st.sampled_from(sorted(TABLES)), data=st.data())
def test_table_with_a_hostile_column_draws_or_raises_named_error(name, data):
    argument, key, numeric = TABLES[name]
    function, make = CALLS[name]
    column = data.draw(st.sampled_from(numeric))
    table = _table(key)
    kind, values = data.draw(hostile_values(lo=0, hi=1, min_size=len(table),
                                            max_size=len(table)))
    if len(values) == len(table):
        table[column] = values.to_numpy() if kind != "categorical" else values.values
    else:  # empty, n1, n2: a shorter table
        table = table.iloc[:len(values)].copy()
        table[column] = values.to_numpy()
    draws_or_refuses(function, {**make(valid()), argument: table}, [argument],
                     f"{name} {column}={kind}")


@pytest.mark.parametrize("name", sorted(TABLES))
def test_all_nan_table_draws_or_raises_named_error(name):
    argument, key, numeric = TABLES[name]
    function, make = CALLS[name]
    table = _table(key)
    table[numeric] = np.nan
    draws_or_refuses(function, {**make(valid()), argument: table}, [argument],
                     f"{name} all NaN")


@SETTINGS
@given(kind=st.sampled_from(["values", "probabilities"]),
       hostile=hostile_values(lo=0, hi=1, min_size=4, max_size=4))
def test_sampling_distribution_hostile_arrays(kind, hostile):
    label, values = hostile
    kwargs = {"values": [-50, 0, 50, 100], "probabilities": [0.1, 0.4, 0.4, 0.1],
              kind: values}
    draws_or_refuses(plots.nps_sampling_distribution, kwargs, ["values", "probabilities"],
                     f"{kind}={label}")


# ------------------------------------------------------------- results from hostile data


@SETTINGS
@given(hostile=hostile_values(lo=0, hi=10, min_size=1, max_size=40),
       labels=st.lists(st.sampled_from(["a", "b", "", " ", None, "c"]), min_size=1,
                       max_size=40),
       min_n=st.sampled_from([1, 5, 30]))
def test_nps_by_on_hostile_segments_draws_a_forest(hostile, labels, min_n):
    """Blank, missing and n = 1 segments, all-NaN scores in a segment."""
    kind, scores = hostile
    n = len(scores)
    segment = (labels * (n // len(labels) + 1))[:n]
    frame = pd.DataFrame({"seg": segment, "ltr": scores.reset_index(drop=True)})
    if n > 2:
        frame.loc[frame.index[:2], "seg"] = "all_nan"
        frame["ltr"] = frame["ltr"].astype(object)
        frame.loc[frame.index[:2], "ltr"] = np.nan
    try:
        table = quiet(lambda: cxkit.nps_by(frame, "ltr", "seg", min_n=min_n))
        overall = quiet(lambda: cxkit.nps(frame["ltr"]))
    except (ValueError, TypeError):
        return  # refused upstream: nothing to draw
    draws_or_refuses(plots.nps_forest, {"frame": table}, ["frame", "by"], kind)
    draws_or_refuses(plots.nps_forest, {"frame": table, "overall": overall},
                     ["frame", "by", "overall"], kind)
    draws_or_refuses(plots.nps_distribution, {"result": overall}, ["result"], kind)


@SETTINGS
@given(hostile=hostile_values(lo=0, hi=10, min_size=1, max_size=40),
       freq=st.sampled_from(["D", "W", "M"]))
def test_nps_trend_on_hostile_scores_draws_a_trend(hostile, freq):
    kind, scores = hostile
    frame = pd.DataFrame({"ltr": scores.reset_index(drop=True),
                          "when": pd.date_range("2024-01-01", periods=len(scores), freq="D")})
    try:
        table = quiet(lambda: cxkit.nps_trend(frame, "ltr", "when", freq=freq))
    except (ValueError, TypeError):
        return
    draws_or_refuses(plots.nps_trend_plot, {"frame": table}, ["frame"], kind)


@SETTINGS
@given(hostile=hostile_frames(k=4, lo=1, hi=5, labels=("plain", "integer"), min_size=2,
                              max_size=30))
def test_profile_of_hostile_items_draws(hostile):
    """Constant, n = 1, NaN and refused text columns; integer labels."""
    label, frame = hostile
    try:
        profile = quiet(lambda: cxkit.profile_items(frame))
    except (ValueError, TypeError):
        return
    for function in (plots.likert_bars, plots.correlation_heatmap, plots.missing_bars):
        argument = "profile_or_corr" if function is plots.correlation_heatmap else "profile"
        draws_or_refuses(function, {argument: profile}, [argument], f"{function.__name__} "
                         f"{label}")


@SETTINGS
@given(hostile=hostile_frames(k=4, lo=1, hi=5, labels=("plain",), min_size=2, max_size=30),
       nan_policy=st.sampled_from(["pairwise", "listwise"]))
def test_alpha_of_hostile_items_draws_an_item_analysis(hostile, nan_policy):
    label, frame = hostile
    try:
        result = quiet(lambda: cxkit.cronbach_alpha(frame, list(frame.columns),
                                                    nan_policy=nan_policy))
    except (ValueError, TypeError):
        return
    draws_or_refuses(plots.item_analysis, {"result": result}, ["result"], label)


def test_alpha_with_nan_interval_draws():
    items = pd.DataFrame({"r_drop": [np.nan, 0.5], "alpha_if_deleted": [np.nan, np.nan]},
                         index=["q1", "q2"])
    from types import SimpleNamespace

    from cxkit._results import ConfidenceInterval

    result = SimpleNamespace(alpha=math.nan, items=items, reverse=(),
                             ci=ConfidenceInterval(math.nan, math.nan, 0.95, "feldt"))
    assert isinstance(plots.item_analysis(result), Figure)


@SETTINGS
@given(lifts=st.tuples(*[st.sampled_from([0.0, 0.0, 0.05, 1e-12]) for _ in range(4)]),
       horizon=st.integers(1, 4), draws=st.sampled_from([1, 2, 50]),
       retention=st.sampled_from([0.0, 0.5, 0.999]))
def test_revenue_scenarios_with_zero_lifts_draw(lifts, horizon, draws, retention):
    retention_lift, buy_more, spend, recommend = lifts
    try:
        scenario = quiet(lambda: cxkit.cx_revenue_scenario(
            customers=100, revenue_per_customer=50, retention=retention,
            horizon_years=horizon, retention_lift=retention_lift, buy_more_lift=buy_more,
            spend_uplift=spend, recommend_lift=recommend, n_draws=draws, rng=0))
    except (ValueError, TypeError):
        return
    draws_or_refuses(plots.revenue_waterfall, {"scenario": scenario}, ["scenario"], "")
    draws_or_refuses(plots.revenue_distribution, {"scenario": scenario, "target": 10.0},
                     ["scenario"], "")
    draws_or_refuses(plots.revenue_tornado, {"scenario_or_table": scenario},
                     ["scenario_or_table"], "")


# --------------------------------------------------------------------------- save_figure


@pytest.mark.parametrize("value", HOSTILE_SCALARS, ids=repr)
@pytest.mark.parametrize("argument", ["fig", "output_dir", "name", "dpi"])
def test_save_figure_hostile_arguments(tmp_path, monkeypatch, argument, value):
    monkeypatch.chdir(tmp_path)  # a relative folder that is accepted lands here
    kwargs = {"fig": _figure(), "output_dir": tmp_path, "name": "figure", "dpi": 20,
              argument: value}
    result = check_outcome(lambda: plots.save_figure(**kwargs), [f"`{argument}`"],
                           context=f"{argument}={value!r}")
    if result is not None:
        assert result.is_file() and result.parent == tmp_path


@pytest.mark.parametrize(("argument", "value"), [
    ("output_dir", "missing/folder"), ("output_dir", "file.txt"), ("name", "a/b"),
    ("name", "   "), ("name", ".."), ("dpi", 10**6), ("dpi", 0),
])
def test_save_figure_refuses_bad_places_and_sizes(tmp_path, argument, value):
    (tmp_path / "file.txt").write_text("x")
    kwargs = {"fig": _figure(), "output_dir": tmp_path, "name": "figure", "dpi": 20}
    kwargs[argument] = tmp_path / value if argument == "output_dir" else value
    with pytest.raises((ValueError, TypeError), match=f"`{argument}`"):
        plots.save_figure(**kwargs)
    assert list(tmp_path.iterdir()) == [tmp_path / "file.txt"]


# --------------------------------------------------------------------------- regressions
# Each case failed before the figures checked their arguments; the old error is quoted.


def _by_table(**columns):
    return pd.DataFrame({"seg": ["a", "b"], "n": [10, 20], "estimate": [1.0, 2.0],
                         "ci_low": [0.0, 1.0], "ci_high": [2.0, 3.0], **columns})


@pytest.mark.parametrize(("call", "error", "match"), [
    # AttributeError: 'NoneType' object has no attribute 'items'
    (lambda: plots.likert_bars(None), TypeError, "`profile` must be an ItemProfile"),
    # AttributeError: 'dict' object has no attribute 'detractor_max'
    (lambda: plots.nps_distribution({"estimate": 1}), TypeError, "`result` must be an NPS"),
    # AttributeError: 'int' object has no attribute 'figure'
    (lambda: plots.nps_forest(_by_table(), ax=5), TypeError, "`ax` must be a matplotlib"),
    # ValueError: cannot convert float NaN to integer
    (lambda: plots.nps_forest(_by_table(n=np.nan)), ValueError, "`frame` column 'n'"),
    # ValueError: could not convert string to float: 'x'
    (lambda: plots.nps_forest(_by_table(estimate=["x", "y"])), TypeError,
     "`frame` column 'estimate'"),
    # ValueError: Axis limits cannot be NaN or Inf
    (lambda: plots.nps_trend_plot(_by_table().rename(columns={"seg": "period"}).iloc[:0]),
     ValueError, "`frame` has no periods"),
    # TypeError: unhashable type: 'list'
    (lambda: plots.nps_trend_plot(_by_table(), time=["seg"]), TypeError, "`time` must be"),
    # ValueError: Axis limits cannot be NaN or Inf
    (lambda: plots.coverage_plot(pd.DataFrame({"n": [10], "method": ["wald"],
                                               "coverage": [np.nan]})),
     ValueError, "`table` has no coverage values"),
    # numpy UFuncTypeError
    (lambda: plots.coverage_plot(valid()["coverage"], confidence_level="x"), TypeError,
     "`confidence_level`"),
    # ValueError: 'xerr' must not contain negative values
    (lambda: plots.lever_effects(valid()["effects"].assign(lift=[0.5, 0.5])), ValueError,
     "`effects` row 0 has a lift outside its interval"),
    # TypeError: cannot do positional indexing on RangeIndex with these indexers [3]
    (lambda: plots.revenue_tornado(valid()["scenario"], max_inputs="3"), TypeError,
     "`max_inputs`"),
    # numpy UFuncTypeError
    (lambda: plots.revenue_distribution(valid()["scenario"], target="x"), TypeError,
     "`target`"),
    # drew a meaningless figure
    (lambda: plots.correlation_heatmap(pd.DataFrame({"a": [1.0, 0.5]})), ValueError,
     "`profile_or_corr` must be a square"),
    # ValueError: `data` and `annot` must have same shape (seaborn)
    (lambda: plots.correlation_heatmap(valid()["profile"], annotate="yes"), TypeError,
     "`annotate`"),
    # ValueError: could not convert string to float: 'x'
    (lambda: plots.nps_sampling_distribution([0], [1.0], true_value="x"), TypeError,
     "`true_value`"),
    (lambda: plots.alpha_scatter(valid()["alpha_table"], truth="x"), TypeError, "`truth`"),
    # TypeError: argument of type 'NoneType' is not iterable
    (lambda: plots.ranking_accuracy(None), TypeError, "`table` must be a pandas DataFrame"),
    # AttributeError: 'NoneType' object has no attribute 'savefig'
    (lambda: plots.save_figure(None, ".", "f"), TypeError, "`fig` must be a matplotlib"),
    # RuntimeError: FT_Set_Char_Size ... invalid ppem value (FreeType)
    (lambda: plots.save_figure(_figure(), ".", "f", dpi=3), ValueError, "`dpi`"),
])
def test_regression_refused_by_name(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_regression_empty_tornado_names_its_argument():
    """Was 'nothing to draw: ...' without the argument's name."""
    scenario = quiet(lambda: cxkit.cx_revenue_scenario(customers=10, revenue_per_customer=1,
                                                       retention=0.5))
    with pytest.raises(ValueError, match="`scenario_or_table`: nothing to draw"):
        plots.revenue_tornado(scenario)


def test_regression_save_figure_never_writes_into_the_current_folder(tmp_path, monkeypatch):
    """output_dir='' wrote name.png into the current folder; 'a/b' raised FileNotFoundError."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match="`output_dir` is empty"):
        plots.save_figure(_figure(), "", "f")
    with pytest.raises(ValueError, match="`output_dir` '.*missing' does not exist"):
        plots.save_figure(_figure(), tmp_path / "missing", "f")
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("counts", [[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 0], [5, 5, 5],
                                    [2**40, 0, 1]])
@pytest.mark.parametrize("method", ["tango", "wald", "bayes"])
def test_nps_from_counts_draws_three_bars(counts, method):
    """A result from category counts (no score_counts), including one-category samples."""
    try:
        result = quiet(lambda: cxkit.nps(counts=counts, method=method))
    except (ValueError, TypeError):
        return
    draws_or_refuses(plots.nps_distribution, {"result": result}, ["result"], repr(counts))
    draws_or_refuses(plots.nps_forest, {"frame": _by_table(), "overall": result},
                     ["overall"], repr(counts))
