"""Tests for cxkit._validation: every error path names the argument and what was found."""

from __future__ import annotations

import math
import warnings
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxkit._validation import (
    as_float_array,
    check_choice,
    check_columns,
    check_confidence_level,
    check_counts,
    check_dataframe,
    check_in_range,
    check_integer_valued,
    check_not_empty,
    check_positive_int,
    check_probability,
    check_real,
    check_rng,
    check_string,
    count_missing,
    numeric_frame,
    warn,
)

NAMES = ["promoter", "passive", "detractor"]


# -- check_confidence_level ------------------------------------------------------------


@pytest.mark.parametrize("value", [0.95, 0.5, 1e-9, 0.999999, np.float64(0.9), Decimal("0.8")])
def test_confidence_level_accepts_open_unit_interval(value):
    level = check_confidence_level(value)
    assert type(level) is float
    assert level == float(value)


@pytest.mark.parametrize("value", [0, 1, 1.0, -0.5, float("nan"), float("inf")])
def test_confidence_level_rejects_values_outside(value):
    with pytest.raises(ValueError, match="`confidence_level` must be .*between 0 and 1"):
        check_confidence_level(value)


def test_confidence_level_percent_gets_hint():
    with pytest.raises(ValueError, match=r"got 95; did you mean 0\.95\?"):
        check_confidence_level(95)
    with pytest.raises(ValueError, match=r"got 99\.9; did you mean 0\.999\?"):
        check_confidence_level(99.9)


@pytest.mark.parametrize("value", [True, False, np.True_, "0.95", None, [0.95]])
def test_confidence_level_rejects_non_numbers(value):
    with pytest.raises(TypeError, match="`confidence_level` must be a real number"):
        check_confidence_level(value)


def test_confidence_level_custom_name():
    with pytest.raises(ValueError, match="`level` must be"):
        check_confidence_level(2, name="level")


@given(st.floats(min_value=1e-12, max_value=1 - 1e-12))
def test_confidence_level_round_trips(value):
    assert check_confidence_level(value) == value


# -- check_probability / check_real / check_string -------------------------------------


def test_probability_closed_and_open():
    assert check_probability(0, "p") == 0.0
    assert check_probability(1, "p") == 1.0
    assert check_probability(0.3, "p", open_interval=True) == 0.3
    with pytest.raises(ValueError, match=r"`p` must be a probability strictly between 0 and 1; "
                                         r"got 1"):
        check_probability(1, "p", open_interval=True)
    with pytest.raises(ValueError, match=r"got -0\.1"):
        check_probability(-0.1, "p")
    with pytest.raises(ValueError, match=r"did you mean 0\.3\?"):
        check_probability(30, "p")
    with pytest.raises(TypeError, match="`p` .* got bool True"):
        check_probability(True, "p")


def test_check_real():
    assert check_real(np.int32(3), "x") == 3.0
    assert math.isnan(check_real(float("nan"), "x", allow_nan=True))
    assert math.isnan(check_real(np.float32("nan"), "x", allow_nan=True))
    assert check_real(np.array(2.5), "x") == 2.5
    with pytest.raises(ValueError, match="`x` must be a real number; got nan"):
        check_real(float("nan"), "x")
    with pytest.raises(ValueError, match="`x` must be a finite number; got inf"):
        check_real(float("inf"), "x", allow_inf=False)
    with pytest.raises(TypeError, match="`x` must be a real number; got complex"):
        check_real(1j, "x")


def test_check_string():
    assert check_string("a", "method") == "a"
    assert check_string(None, "note", allow_none=True) is None
    with pytest.raises(TypeError, match="`method` must be a non-empty string; got NoneType"):
        check_string(None, "method")
    with pytest.raises(ValueError, match="`method` must be a non-empty string; got ' '"):
        check_string(" ", "method")


# -- check_positive_int ----------------------------------------------------------------


@pytest.mark.parametrize("value, expected", [(1, 1), (np.int64(7), 7), (10.0, 10),
                                             (np.float32(3.0), 3), (Decimal("4"), 4)])
def test_positive_int_accepts(value, expected):
    result = check_positive_int(value, "n_boot")
    assert result == expected and type(result) is int


def test_positive_int_errors():
    with pytest.raises(TypeError, match="`n_boot` must be an integer >= 1; got bool True"):
        check_positive_int(True, "n_boot")
    with pytest.raises(TypeError, match="got str '5'"):
        check_positive_int("5", "n_boot")
    with pytest.raises(ValueError, match=r"got 2\.5, which is not a whole number"):
        check_positive_int(2.5, "n_boot")
    with pytest.raises(ValueError, match=r"got nan, which is not a whole number"):
        check_positive_int(float("nan"), "n_boot")
    with pytest.raises(ValueError, match="`n_boot` must be an integer >= 1; got -3"):
        check_positive_int(-3, "n_boot")
    with pytest.raises(ValueError, match="`k` must be an integer >= 2; got 1"):
        check_positive_int(1, "k", minimum=2)
    assert check_positive_int(0, "k", minimum=0) == 0


# -- check_choice ----------------------------------------------------------------------


def test_choice_exact_and_case_insensitive():
    assert check_choice("wald", ["wilson", "wald"], "method") == "wald"
    assert check_choice(" Wilson ", ("wilson", "wald"), "method") == "wilson"


def test_choice_unknown_lists_choices_and_suggests():
    with pytest.raises(ValueError) as info:
        check_choice("wilsn", ["wilson", "wald", "bootstrap"], "method")
    message = str(info.value)
    assert "`method` must be one of 'wilson', 'wald', 'bootstrap'" in message
    assert "got 'wilsn'" in message
    assert "did you mean 'wilson'?" in message


def test_choice_without_close_match_has_no_suggestion():
    with pytest.raises(ValueError) as info:
        check_choice("zzz", ["wilson", "wald"], "method")
    assert "did you mean" not in str(info.value)


def test_choice_type_error():
    with pytest.raises(TypeError, match="`method` must be one of 'a', 'b'; got NoneType None"):
        check_choice(None, ["a", "b"], "method")


@given(st.lists(st.text(min_size=1), min_size=1, unique=True), st.data())
def test_choice_accepts_every_choice(choices, data):
    value = data.draw(st.sampled_from(choices))
    assert check_choice(value, choices, "method") == value


# -- check_rng -------------------------------------------------------------------------


def test_rng_accepts_seed_generator_and_seedsequence():
    generator = np.random.default_rng(1)
    assert check_rng(generator) is generator
    assert check_rng(5).random() == np.random.default_rng(5).random()
    assert check_rng(np.int64(5)).random() == np.random.default_rng(5).random()
    seq = np.random.SeedSequence(3)
    assert check_rng(seq).random() == np.random.default_rng(np.random.SeedSequence(3)).random()
    assert isinstance(check_rng(None), np.random.Generator)


def test_rng_never_touches_the_global_state():
    # The legacy global state is what this test is about, hence the noqa.
    before = np.random.get_state()  # noqa: NPY002
    check_rng(None).random()
    check_rng(3).random()
    after = np.random.get_state()  # noqa: NPY002
    assert np.array_equal(before[1], after[1]) and before[2] == after[2]


def test_rng_rejects_random_state_with_hint():
    with pytest.raises(TypeError, match=r"got numpy\.random\.RandomState .*default_rng\(seed\)"):
        check_rng(np.random.RandomState(0))


@pytest.mark.parametrize("value, error, found", [
    (1.5, TypeError, "got float 1.5"), (True, TypeError, "got bool True"),
    ("42", TypeError, "got str '42'"), (-1, ValueError, "got -1"),
])
def test_rng_rejects(value, error, found):
    with pytest.raises(error, match=f"`seed_source`.*{found}"):
        check_rng(value, name="seed_source")


# -- check_not_empty / count_missing ---------------------------------------------------


def test_not_empty():
    assert check_not_empty(3, "score") == 3
    values = [1]
    assert check_not_empty(values, "score") is values
    with pytest.raises(ValueError, match=r"`score` has no usable values \(n = 0\)"):
        check_not_empty(0, "score")
    with pytest.raises(ValueError, match="`score` has no usable values"):
        check_not_empty(np.array([]), "score")
    with pytest.raises(TypeError, match="`score`: expected a count"):
        check_not_empty(None, "score")


@pytest.mark.parametrize("values, expected", [
    ([1.0, np.nan, None], 2), (np.array([1, 2]), 0), (np.array([np.nan, 1.0]), 1),
    (pd.Series([1, None], dtype="Int64"), 1), (pd.Series(["a", None, np.nan]), 2),
    (pd.DataFrame({"a": [1, None], "b": [None, None]}), 3), ([pd.NA, pd.NaT, "x"], 2),
    (np.array(["2024-01-01", "NaT"], dtype="datetime64[D]"), 1), ([], 0),
])
def test_count_missing(values, expected):
    assert count_missing(values) == expected


# -- check_dataframe / check_columns ---------------------------------------------------


@pytest.fixture
def survey():
    return pd.DataFrame({f"q{i}": [1, 2, 3] for i in range(1, 16)} | {"segment": list("abc")})


def test_check_dataframe(survey):
    assert check_dataframe(survey) is survey
    with pytest.raises(TypeError, match="`data` must be a pandas DataFrame; got list"):
        check_dataframe([[1, 2]])
    with pytest.raises(TypeError, match=r"`responses` .* got pandas\.Series; use series\.to_frame"):
        check_dataframe(survey["q1"], "responses")
    with pytest.raises(TypeError, match=r"got dict; wrap it with pandas\.DataFrame"):
        check_dataframe({"q1": [1]})
    with pytest.raises(TypeError, match=r"got numpy\.ndarray"):
        check_dataframe(np.zeros((2, 2)))


def test_columns_accepts_str_and_sequences(survey):
    assert check_columns(survey, "q1") == ["q1"]
    assert check_columns(survey, ("q2", "q1")) == ["q2", "q1"]
    assert check_columns(survey, pd.Index(["q3"])) == ["q3"]
    assert check_columns(survey, ["q1", "q2"], min_count=2) == ["q1", "q2"]


def test_columns_unknown_lists_missing_suggestion_and_truncated_available(survey):
    with pytest.raises(ValueError) as info:
        check_columns(survey, ["q1", "Q2", "nps"], "items")
    message = str(info.value)
    assert "`items` names 2 columns not in `data`: 'Q2', 'nps'" in message
    assert "did you mean 'q2'" in message
    assert "available columns: 'q1', 'q2'" in message
    assert "… and 6 more" in message  # 16 columns, 10 shown


def test_columns_duplicates_and_min_count(survey):
    with pytest.raises(ValueError, match="`items` lists 'q1' more than once"):
        check_columns(survey, ["q1", "q2", "q1"], "items")
    with pytest.raises(ValueError, match=r"`items` must name at least 2 columns; got 1 \('q1'\)"):
        check_columns(survey, "q1", "items", min_count=2)


def test_columns_type_errors(survey):
    with pytest.raises(TypeError, match="`columns` must be a column name .* got NoneType"):
        check_columns(survey, None)
    with pytest.raises(TypeError, match="a set has no order"):
        check_columns(survey, {"q1", "q2"})
    with pytest.raises(TypeError, match=r"`columns` must contain column names; got list \['q1'\]"):
        check_columns(survey, [["q1"]])
    with pytest.raises(TypeError, match="`data` must be a pandas DataFrame"):
        check_columns([1], "q1")


def test_columns_ambiguous_when_data_has_duplicate_names():
    df = pd.DataFrame([[1, 2, 3]], columns=["a", "a", "b"])
    assert check_columns(df, "b") == ["b"]
    with pytest.raises(ValueError, match="`data` has several columns named 'a'"):
        check_columns(df, ["a"])


# -- as_float_array / numeric_frame ----------------------------------------------------


@pytest.mark.parametrize("values", [
    [1, 2, None], (1, 2.0, np.nan), np.array([1, 2, 3]), np.array([1.0, np.nan]),
    pd.Series([1, None, 3], dtype="Int64"), pd.Series([1.5, None], dtype="Float64"),
    pd.array([1, pd.NA], dtype="Int64"), pd.Series([1, None], dtype=object),
    [1, pd.NA, Decimal("2.5")], pd.Series([3, 4], dtype="int64[pyarrow]"),
])
def test_as_float_array_converts(values):
    out = as_float_array(values, "score")
    assert out.dtype == np.float64 and out.ndim == 1
    expected = [np.nan if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))
                else float(v) for v in list(values)]
    np.testing.assert_array_equal(out, np.array(expected, dtype=float))


def test_as_float_array_returns_a_copy():
    source = np.array([1.0, 2.0])
    out = as_float_array(source, "x")
    out[0] = 99
    assert source[0] == 1.0
    series = pd.Series([1.0, 2.0])
    as_float_array(series, "x")[0] = 99  # must not fail on a read-only view
    assert series[0] == 1.0


def test_as_float_array_rejects_text_with_examples():
    with pytest.raises(TypeError) as info:
        as_float_array([1, "abc", "n/a", "abc", "x", "y"], "score")
    message = str(info.value)
    assert message.startswith("`score`")
    assert "5 non-numeric values (e.g. 'abc', 'n/a', 'x')" in message


def test_as_float_array_names_series_column():
    with pytest.raises(TypeError, match=r"`score` column 'q1' \(dtype .*\) has 1 non-numeric "
                                        r"value \(e\.g\. 'abc'\)"):
        as_float_array(pd.Series([1, "abc"], name="q1"), "score")


@pytest.mark.parametrize("values", [np.array([True, False]), pd.Series([True, None],
                                                                       dtype="boolean"),
                                    pd.Series([True, False])])
def test_as_float_array_rejects_boolean_dtype(values):
    with pytest.raises(TypeError, match="booleans, which are not numeric here"):
        as_float_array(values, "flag")


def test_as_float_array_rejects_booleans_in_objects():
    with pytest.raises(TypeError, match=r"1 non-numeric value \(e\.g\. True\).*booleans"):
        as_float_array([1, True, 2], "x")


@pytest.mark.parametrize("values, error, text", [
    ("123", TypeError, "got str"), (None, TypeError, "got NoneType"),
    ({"a": 1}, TypeError, "got dict"), (5, ValueError, r"shape \(\)"),
    ([[1, 2], [3]], ValueError, "could not be read"), ([1j, 2], TypeError, "non-numeric"),
    (np.zeros((2, 2)), ValueError, r"must be 1-dimensional; got an array of shape \(2, 2\)"),
    (np.array(["2024-01-01"], dtype="datetime64[D]"), TypeError, "non-numeric"),
])
def test_as_float_array_errors(values, error, text):
    with pytest.raises(error, match=f"`x`.*{text}"):
        as_float_array(values, "x")


def test_as_float_array_ndim():
    assert as_float_array([[1, 2], [3, 4]], "x", ndim=2).shape == (2, 2)
    assert as_float_array(5, "x", ndim=None).shape == ()
    frame = pd.DataFrame({"a": [1, 2], "b": [3.0, None]})
    np.testing.assert_array_equal(as_float_array(frame, "x", ndim=2),
                                  [[1.0, 3.0], [2.0, np.nan]])


def test_numeric_frame_converts_nullable_and_objects():
    df = pd.DataFrame({"a": pd.array([1, None, 3], dtype="Int64"),
                       "b": pd.array([1.5, None, 2], dtype="Float64"),
                       "c": np.array([1, None, 2.5], dtype=object), "d": ["x", "y", "z"]},
                      index=[10, 20, 30])
    out = numeric_frame(df, ["c", "a", "b"])
    assert list(out.columns) == ["c", "a", "b"]
    assert list(out.index) == [10, 20, 30]
    assert (out.dtypes == np.float64).all()
    assert out["a"].isna().tolist() == [False, True, False]
    assert out.loc[30, "c"] == 2.5


def test_numeric_frame_names_the_non_numeric_column():
    df = pd.DataFrame({"q1": [1, 2, 3], "q2": ["5", "abc", None]})
    with pytest.raises(TypeError) as info:
        numeric_frame(df, None, "items")
    message = str(info.value)
    assert "`items` column 'q2'" in message
    assert "1 answer that is not a number (e.g. 'abc')" in message  # the offending text first
    assert "1 number(s) stored as text (e.g. '5')" in message and "na_values" in message


def test_numeric_frame_rejects_bool_column_and_duplicate_names():
    with pytest.raises(TypeError, match="`data` column 'flag' holds booleans"):
        numeric_frame(pd.DataFrame({"flag": [True, False]}))
    with pytest.raises(ValueError, match="`data` has several columns named 'a'"):
        numeric_frame(pd.DataFrame([[1, 2]], columns=["a", "a"]))
    with pytest.raises(ValueError, match="not in `data`: 'zz'"):
        numeric_frame(pd.DataFrame({"a": [1]}), "zz")


def test_numeric_frame_does_not_modify_input():
    df = pd.DataFrame({"a": [1, 2]})
    out = numeric_frame(df)
    out.loc[0, "a"] = 99.0
    assert df.loc[0, "a"] == 1 and df["a"].dtype == np.int64


# -- check_in_range / check_integer_valued ---------------------------------------------


def test_in_range_message_matches_design_example():
    with pytest.raises(ValueError) as info:
        check_in_range(pd.Series([11, 3, -1, 11, 12], name="q1"), 0, 10, "score",
                       hint="clean or pass scale=…")
    assert str(info.value) == ("`score` column 'q1' has 4 values outside 0–10 "
                               "(e.g. 11, -1, 12); clean or pass scale=…")


def test_in_range_ignores_missing_and_returns_input_unchanged():
    values = pd.Series([0, None, 10], dtype="Int64")
    assert check_in_range(values, 0, 10, "score") is values
    array = np.array([np.nan, 5.0])
    assert check_in_range(array, 0, 10, "score") is array


def test_in_range_dataframe_names_every_bad_column():
    df = pd.DataFrame({"q1": [1, 7], "q2": [0, 3], "q3": [9, 5]})
    with pytest.raises(ValueError) as info:
        check_in_range(df, 1, 5, "items")
    message = str(info.value)
    assert "`items` column 'q1' has 1 value outside 1–5 (e.g. 7)" in message
    assert "`items` column 'q2' has 1 value outside 1–5 (e.g. 0)" in message
    assert "q3" in message


def test_in_range_one_sided_and_negative_bounds():
    with pytest.raises(ValueError, match=r"`n` has 1 value below 0 \(e\.g\. -2\)"):
        check_in_range([1, -2], 0, None, "n")
    with pytest.raises(ValueError, match=r"`p` has 2 values above 1 \(e\.g\. 1\.5, inf\)"):
        check_in_range([1.5, np.inf, 0.2], None, 1, "p")
    with pytest.raises(ValueError, match=r"outside \[-100, 100\] \(e\.g\. -150\)"):
        check_in_range([-150, 3], -100, 100, "nps")
    with pytest.raises(ValueError, match="`lo` .* must not exceed `hi`"):
        check_in_range([1], 5, 1, "x")


def test_in_range_rejects_non_numeric():
    with pytest.raises(TypeError, match="`score` .*non-numeric"):
        check_in_range(["a", 1], 0, 10, "score")


@settings(deadline=None)
@given(st.integers(-1000, 1000), st.integers(0, 1000), st.data())
def test_in_range_never_raises_for_values_inside(lo, span, data):
    hi = lo + span
    inside = st.one_of(st.floats(min_value=lo, max_value=hi), st.just(float("nan")))
    values = data.draw(st.lists(inside, max_size=30))
    assert check_in_range(values, lo, hi, "x") is values


@settings(deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1))
def test_in_range_raises_exactly_when_a_value_is_outside(values):
    outside = [v for v in values if not math.isnan(v) and not 0 <= v <= 10]
    if outside:
        with pytest.raises(ValueError, match=f"has {len(outside)} value"):
            check_in_range(values, 0, 10, "x")
    else:
        check_in_range(values, 0, 10, "x")


def test_integer_valued():
    assert check_integer_valued([1, 2.0, None], "score") == [1, 2.0, None]
    with pytest.raises(ValueError, match=r"`score` has 3 non-integer values "
                                         r"\(e\.g\. 7\.5, inf, 0\.25\); expected whole numbers"):
        check_integer_valued([7.5, np.inf, 0.25, 3], "score")
    with pytest.raises(ValueError, match="`items` column 'b' has 1 non-integer value"):
        check_integer_valued(pd.DataFrame({"a": [1, 2], "b": [1.5, 2]}), "items")


# -- check_counts ----------------------------------------------------------------------


def test_counts_sequence_mapping_series():
    expected = {"promoter": 5, "passive": 3, "detractor": 2}
    assert check_counts((5, 3, 2), NAMES) == expected
    assert check_counts(np.array([5.0, 3.0, 2.0]), NAMES) == expected
    assert check_counts({"detractor": 2, "passive": 3, "promoter": 5}, NAMES) == expected
    counts = check_counts(pd.Series({"detractor": 2, "promoter": 5, "passive": 3}), NAMES)
    assert counts == expected and list(counts) == NAMES
    assert all(type(v) is int for v in counts.values())


@pytest.mark.parametrize("counts, error, text", [
    ([1, 2], ValueError, r"`counts` must have 3 entries \(promoter, passive, detractor\); got 2"),
    ([1, -2, 3], ValueError, "`counts` entry 'passive' must be a non-negative integer; got -2"),
    ([1, 2.5, 3], ValueError, "entry 'passive' .* got 2.5"),
    ([1, 2, float("nan")], ValueError, "entry 'detractor' .* got nan"),
    ([True, 2, 3], TypeError, "entry 'promoter' .* got bool True"),
    ([1, "2", 3], TypeError, "entry 'passive' .* got str '2'"),
    ([1, None, 3], TypeError, "entry 'passive' .* got NoneType"),
    ("123", TypeError, "`counts` must be a sequence of 3 counts .* got str"),
    (5, TypeError, "got int"),
    ({"promoter": 1, "passive": 2}, ValueError, "`counts` is missing 'detractor'"),
    ({"promotor": 1, "passive": 2, "detractor": 3}, ValueError,
     r"unknown keys 'promotor' \(did you mean 'promoter'\?\)"),
])
def test_counts_errors(counts, error, text):
    with pytest.raises(error, match=text):
        check_counts(counts, NAMES)


def test_counts_custom_name():
    with pytest.raises(ValueError, match="`tallies` entry 'a'"):
        check_counts([-1], ["a"], name="tallies")


@given(st.tuples(*[st.integers(0, 10**12)] * 3))
def test_counts_round_trip_any_non_negative_triple(triple):
    assert check_counts(triple, NAMES) == dict(zip(NAMES, triple, strict=True))
    as_mapping = dict(zip(reversed(NAMES), reversed(triple), strict=True))
    assert list(check_counts(as_mapping, NAMES).values()) == list(triple)


@given(st.lists(st.integers(0, 10**6), min_size=3, max_size=3), st.integers(0, 2),
       st.integers(-(10**6), -1))
def test_counts_any_negative_entry_is_named(triple, position, negative):
    triple[position] = negative
    with pytest.raises(ValueError, match=f"entry '{NAMES[position]}'.*got {negative}"):
        check_counts(triple, NAMES)


# -- warn ------------------------------------------------------------------------------


def test_warn_points_at_the_direct_caller_outside_cxkit():
    with pytest.warns(UserWarning, match="small segment") as record:
        warn("small segment")
    assert record[0].filename == __file__


def test_warn_skips_cxkit_frames():
    namespace = {"__name__": "cxkit.fake_module", "warn": warn}
    exec("def inner():\n    warn('from deep inside')\n"
         "def public():\n    inner()\n", namespace)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        namespace["public"]()  # this line is the one the user should see
    assert caught[0].category is UserWarning
    assert caught[0].filename == __file__
    assert str(caught[0].message) == "from deep inside"


def test_warn_explicit_stacklevel():
    namespace = {"__name__": "cxkit.fake_module", "warn": warn}
    exec("def public():\n    warn('x', stacklevel=1)\n", namespace)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        namespace["public"]()
    assert caught[0].filename != __file__  # stacklevel=1 is warn() itself
