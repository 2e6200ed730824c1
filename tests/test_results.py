"""Tests for cxkit._results: ConfidenceInterval, ResultBase and the rendering helpers."""

from __future__ import annotations

import dataclasses
import datetime
import json
import math
import pickle
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxkit._results import (
    ConfidenceInterval,
    ResultBase,
    format_ci,
    format_number,
    render_html,
    to_builtin,
)

# -- example result classes, written the way library modules write them ----------------


@dataclass(frozen=True)
class MeanResult(ResultBase):
    """A minimal result: estimate, interval, n."""

    _title: ClassVar[str] = "Mean score"
    estimate: float
    ci: ConfidenceInterval
    n: int
    n_missing: int = 0
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SegmentResult(ResultBase):
    """A richer result: two intervals, a table, a Series, a private and a hidden field."""

    _title: ClassVar[str] = "NPS by segment <script>alert(1)</script>"
    estimate: float
    ci: ConfidenceInterval
    difference: float
    difference_ci: ConfidenceInterval
    n: int
    method: str
    segments: Any
    shares: Any = None
    warnings: tuple[str, ...] = ()
    raw: Any = field(default=None, repr=False)
    _cache: Any = None


@dataclass(frozen=True)
class SummaryFieldsResult(ResultBase):
    _title: ClassVar[str] = "Chosen fields"
    _summary_fields: ClassVar[tuple[str, ...]] = ("doubled", "n")
    value: float
    n: int

    @property
    def doubled(self) -> float:
        return 2 * self.value


def make_ci(**changes) -> ConfidenceInterval:
    values = dict(low=0.8031234567891, high=0.8254, confidence_level=0.95, method="feldt")
    return ConfidenceInterval(**(values | changes))


def make_mean(**changes) -> MeanResult:
    values = dict(estimate=np.float64(7.25), ci=ConfidenceInterval(6.9, 7.6, 0.95, "t"),
                  n=np.int64(120), n_missing=3, notes=("3 missing answers excluded",))
    return MeanResult(**(values | changes))


def make_segments() -> SegmentResult:
    table = pd.DataFrame({"segment": ["EMEA", "<b>APAC</b>"], "nps": [12.5, np.nan],
                          "n": pd.array([40, None], dtype="Int64")})
    return SegmentResult(
        estimate=23.4, ci=ConfidenceInterval(10, 30, 0.95, "wilson",
                                             note="clipped to [-100, 100]"),
        difference=-3.2, difference_ci=ConfidenceInterval(-5, -1, 0.90, "bootstrap"),
        n=np.int64(120), method="wilson", segments=table,
        shares=pd.Series({"promoter": 0.5, "detractor": 0.2}),
        warnings=("segment 'APAC' has only 12 responses",), raw=np.arange(3))


# -- ConfidenceInterval ----------------------------------------------------------------


def test_ci_unpacks_indexes_and_iterates():
    ci = make_ci()
    low, high = ci
    assert (low, high) == (ci.low, ci.high)
    assert tuple(ci) == (ci.low, ci.high)
    assert ci[0] == ci.low and ci[-1] == ci.high and len(ci) == 2
    np.testing.assert_array_equal(np.asarray(ci), [ci.low, ci.high])


def test_ci_is_frozen_and_hashable():
    ci = make_ci()
    with pytest.raises(dataclasses.FrozenInstanceError):
        ci.low = 0.0
    assert hash(ci) == hash(make_ci())
    assert dataclasses.replace(ci, high=0.9).high == 0.9


def test_ci_repr_keeps_full_precision():
    ci = make_ci()
    assert repr(ci) == ("ConfidenceInterval(low=0.8031234567891, high=0.8254, "
                        "confidence_level=0.95, method='feldt')")
    assert "note='clipped'" in repr(make_ci(note="clipped"))
    assert eval(repr(ci), {"ConfidenceInterval": ConfidenceInterval}) == ci


def test_ci_stores_python_floats_unrounded():
    ci = ConfidenceInterval(np.float32(0.1), np.float64(0.2), np.float64(0.95), "x")
    assert type(ci.low) is float and type(ci.high) is float
    assert type(ci.confidence_level) is float
    assert ci.low == float(np.float32(0.1))


def test_ci_width_contains_to_dict():
    ci = ConfidenceInterval(-1.5, 2.5, 0.9, "wald", note="n")
    assert ci.width == 4.0
    assert ci.contains(0) and ci.contains(-1.5) and ci.contains(2.5)
    assert not ci.contains(2.6) and not ci.contains(float("nan"))
    assert ci.to_dict() == {"low": -1.5, "high": 2.5, "confidence_level": 0.9,
                            "method": "wald", "note": "n"}
    assert json.loads(json.dumps(ci.to_dict())) == ci.to_dict()


def test_ci_allows_nan_and_infinite_bounds():
    assert math.isnan(ConfidenceInterval(float("nan"), float("nan"), 0.95, "x").width)
    assert ConfidenceInterval(0.0, math.inf, 0.95, "one-sided").contains(1e300)


@pytest.mark.parametrize("kwargs, error, text", [
    (dict(low=0.9, high=0.8), ValueError, r"`low` \(0\.9\) must not exceed `high` \(0\.8\)"),
    (dict(confidence_level=95), ValueError, r"`confidence_level` .* got 95; did you mean 0\.95"),
    (dict(confidence_level=1.0), ValueError, "`confidence_level` must be strictly between"),
    (dict(confidence_level=True), TypeError, "`confidence_level` .* got bool True"),
    (dict(low="0.1"), TypeError, "`low` must be a real number; got str '0.1'"),
    (dict(high=None), TypeError, "`high` must be a real number; got NoneType"),
    (dict(method=""), ValueError, "`method` must be a non-empty string"),
    (dict(method=3), TypeError, "`method` must be a non-empty string; got int 3"),
    (dict(note=5), TypeError, "`note` must be a non-empty string or None; got int 5"),
])
def test_ci_validation(kwargs, error, text):
    with pytest.raises(error, match=text):
        make_ci(**kwargs)


def test_ci_html_escapes():
    html = make_ci(method="<script>", note="a<b")._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html and "a&lt;b" in html


@settings(deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False),
       st.floats(allow_nan=False, allow_infinity=False),
       st.floats(min_value=0.001, max_value=0.999))
def test_ci_properties(a, b, level):
    low, high = min(a, b), max(a, b)
    ci = ConfidenceInterval(low, high, level, "m")
    assert tuple(ci) == (low, high)
    assert ci.width >= 0 or math.isinf(ci.width)
    assert ci.contains(low) and ci.contains(high)
    assert eval(repr(ci), {"ConfidenceInterval": ConfidenceInterval}) == ci
    assert json.loads(json.dumps(ci.to_dict())) == ci.to_dict()


# -- format_number / format_ci ---------------------------------------------------------


@pytest.mark.parametrize("value, expected", [
    (0.803141, "0.8031"), (120, "120"), (np.int64(7), "7"), (0.0, "0"), (-0.0, "0"),
    (float("nan"), "nan"), (float("inf"), "inf"), (-np.inf, "-inf"), (None, "NA"),
    (pd.NA, "NA"), (True, "True"), (1234567.8, "1,234,568"), (9999.7, "10,000"),
    (1e20, "1e+20"), (1.5e-7, "1.5e-07"), (np.float32(0.25), "0.25"), ("text", "text"),
])
def test_format_number(value, expected):
    assert format_number(value) == expected


def test_format_number_digits():
    assert format_number(math.pi, digits=2) == "3.1"
    assert format_number(math.pi, digits=8) == "3.1415927"
    with pytest.raises(ValueError, match="`digits` must be an integer >= 1; got 0"):
        format_number(1.0, digits=0)


@given(st.floats(allow_nan=True, allow_infinity=True), st.integers(1, 17))
def test_format_number_never_raises_on_floats(value, digits):
    text = format_number(value, digits)
    assert isinstance(text, str) and text
    if abs(value) < 1e300:  # display text parses back to the value, up to its digits
        assert math.isclose(float(text.replace(",", "")), value, rel_tol=10.0 ** (1 - digits),
                            abs_tol=1e-300)


def test_format_ci():
    assert format_ci(ConfidenceInterval(0.803, 0.825, 0.95, "feldt")) == \
        "[0.803, 0.825] (95% feldt)"
    assert format_ci(ConfidenceInterval(1, 2, 0.975, "t")) == "[1, 2] (97.5% t)"
    assert format_ci(ConfidenceInterval(0.1234567, 0.2, 0.9, "w"), digits=2) == \
        "[0.12, 0.2] (90% w)"
    assert format_ci((1.0, float("nan"))) == "[1, nan]"


# -- to_builtin ------------------------------------------------------------------------


def test_to_builtin_numpy_and_pandas():
    frame = pd.DataFrame({"a": [1, 2], "b": [np.nan, 0.5]})
    converted = to_builtin({
        "i": np.int64(3), "f": np.float32(0.5), "b": np.bool_(True), "arr": np.arange(2),
        "frame": frame, "series": pd.Series([1.5, np.nan], index=["x", "y"]),
        "na": pd.NA, "nat": pd.NaT, "ts": pd.Timestamp("2024-05-01"),
        "date": datetime.date(2024, 5, 1), "dt64": np.datetime64("2024-05-01"),
        "index": pd.Index(["p", "q"]), "nullable": pd.array([1, None], dtype="Int64"),
        "ci": ConfidenceInterval(1, 2, 0.95, "m"), ("tuple", "key"): {1, 2}, 7: None,
    })
    assert converted["i"] == 3 and type(converted["i"]) is int
    assert converted["f"] == 0.5 and type(converted["f"]) is float
    assert converted["b"] is True
    assert converted["arr"] == [0, 1]
    assert converted["frame"][0] == {"a": 1, "b": converted["frame"][0]["b"]}
    assert math.isnan(converted["frame"][0]["b"])
    assert converted["series"]["x"] == 1.5 and math.isnan(converted["series"]["y"])
    assert converted["na"] is None and converted["nat"] is None
    assert converted["ts"].startswith("2024-05-01")
    assert converted["date"] == "2024-05-01" and converted["dt64"] == "2024-05-01"
    assert converted["index"] == ["p", "q"] and converted["nullable"] == [1, None]
    assert converted["ci"]["low"] == 1.0
    assert sorted(converted["('tuple', 'key')"]) == [1, 2] and converted["7"] is None
    json.dumps(converted, allow_nan=True)


def test_to_builtin_keeps_a_meaningful_index():
    frame = pd.DataFrame({"nps": [10.0, 20.0]}, index=pd.Index(["a", "b"], name="segment"))
    assert to_builtin(frame) == [{"segment": "a", "nps": 10.0}, {"segment": "b", "nps": 20.0}]
    assert to_builtin(frame.reset_index(drop=True)) == [{"nps": 10.0}, {"nps": 20.0}]


# -- ResultBase: to_dict / to_frame ----------------------------------------------------


def test_to_dict_flattens_the_interval():
    d = make_mean().to_dict()
    assert d == {"estimate": 7.25, "ci_low": 6.9, "ci_high": 7.6, "confidence_level": 0.95,
                 "method": "t", "n": 120, "n_missing": 3,
                 "notes": ["3 missing answers excluded"]}
    assert type(d["estimate"]) is float and type(d["n"]) is int


def test_to_dict_two_intervals_and_clashing_method_field():
    d = make_segments().to_dict()
    assert d["ci_low"] == 10.0 and d["ci_high"] == 30.0
    assert d["confidence_level"] == 0.95  # stored once, from the first interval
    assert d["ci_method"] == "wilson" and d["method"] == "wilson"  # field `method` wins
    assert d["ci_note"] == "clipped to [-100, 100]"
    assert d["difference_ci_confidence_level"] == 0.9  # differs: prefixed
    assert d["difference_ci_method"] == "bootstrap"
    assert d["segments"][1]["segment"] == "<b>APAC</b>"
    assert math.isnan(d["segments"][1]["nps"]) and d["segments"][1]["n"] is None
    assert d["shares"] == {"promoter": 0.5, "detractor": 0.2}
    assert d["raw"] == [0, 1, 2]
    assert "_cache" not in d


def test_to_dict_json_round_trip():
    result = make_segments()
    text = json.dumps(result.to_dict(), allow_nan=True)
    back = json.loads(text)
    assert back["n"] == 120 and back["ci_high"] == 30.0
    assert math.isnan(back["segments"][1]["nps"])
    with pytest.raises(ValueError):  # NaN is kept as NaN, not silently turned into null
        json.dumps(result.to_dict(), allow_nan=False)


@settings(deadline=None)
@given(st.floats(allow_nan=True, allow_infinity=False), st.integers(0, 10**9))
def test_to_dict_round_trips_any_estimate(estimate, n):
    result = make_mean(estimate=estimate, n=n)
    back = json.loads(json.dumps(result.to_dict(), allow_nan=True))
    assert back["n"] == n
    assert back["estimate"] == estimate or (math.isnan(estimate) and math.isnan(back["estimate"]))


def test_to_frame_columns():
    frame = make_mean().to_frame()
    assert frame.shape == (1, 7)
    assert list(frame.columns) == ["estimate", "ci_low", "ci_high", "confidence_level",
                                   "method", "n", "n_missing"]
    assert frame.loc[0, "ci_low"] == 6.9


def test_to_frame_leaves_tables_out():
    frame = make_segments().to_frame()
    assert {"segments", "shares", "warnings", "raw", "_cache"}.isdisjoint(frame.columns)
    assert {"estimate", "ci_low", "ci_high", "difference_ci_low", "n", "method"} <= set(
        frame.columns)
    assert len(frame) == 1


# -- ResultBase: repr / html -----------------------------------------------------------


def test_repr_is_a_readable_summary():
    text = repr(make_mean())
    lines = text.splitlines()
    assert lines[0] == "Mean score"
    assert lines[1].split() == ["estimate", "7.25", "[6.9,", "7.6]", "(95%", "t)"]
    assert lines[2].split() == ["n", "120"]
    assert lines[-2:] == ["Notes", "  - 3 missing answers excluded"]
    assert str(make_mean()) == text
    assert all(line == line.rstrip() for line in lines)


def test_repr_pairs_intervals_shows_tables_and_notes():
    text = repr(make_segments())
    assert "difference  -3.2  [-5, -1] (90% bootstrap)" in text
    assert "difference_ci" not in text
    assert "segments    table, 2 rows × 3 columns" in text
    assert "raw" not in text  # field(repr=False)
    assert "_cache" not in text
    assert text.index("Notes") > text.index("segments")
    assert "  - ci: clipped to [-100, 100]" in text
    assert "  - segment 'APAC' has only 12 responses" in text


def test_repr_display_only_rounds():
    result = make_mean(estimate=7.123456789)
    assert "7.123 " in repr(result)
    assert result.estimate == 7.123456789
    assert result.to_dict()["estimate"] == 7.123456789


def test_summary_fields_and_properties():
    result = SummaryFieldsResult(value=1.5, n=4)
    assert repr(result).splitlines() == ["Chosen fields", "  doubled  3", "  n        4"]


def test_default_title_is_class_name():
    @dataclass(frozen=True)
    class Untitled(ResultBase):
        x: int

    assert repr(Untitled(1)).splitlines()[0] == "Untitled"


def test_html_escapes_everything():
    html = make_segments()._repr_html_()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>APAC</b>" not in html and "&lt;b&gt;APAC&lt;/b&gt;" in html
    assert "segment &#x27;APAC&#x27; has only 12 responses" in html
    assert html.count("<table") == 3  # summary, segments, shares
    assert "23.4  [10, 30] (95% wilson)" in html


def test_html_of_a_simple_result():
    html = make_mean()._repr_html_()
    assert html.startswith('<div class="cxkit-result"') and html.endswith("</div>")
    assert ">Mean score<" in html and ">120<" in html and "3 missing answers excluded" in html


def test_render_html_helper():
    html = render_html("T & <i>", {"a<": 1.23456, "ci": make_ci()},
                       tables={"<cap>": pd.DataFrame({"<col>": ["<v>"]})}, notes=["<n>"])
    assert "T &amp; &lt;i&gt;" in html
    assert "a&lt;" in html and "1.235" in html and "(95% feldt)" in html
    assert "&lt;cap&gt;" in html and "&lt;col&gt;" in html and "&lt;v&gt;" in html
    assert "<li>&lt;n&gt;</li>" in html
    with pytest.raises(TypeError, match="`tables` entries must be pandas DataFrames"):
        render_html("t", [], tables=[("x", [1, 2])])


# -- ResultBase: dataclass mechanics ---------------------------------------------------


@pytest.mark.parametrize("factory", [make_mean, make_segments])
def test_results_are_frozen_and_replaceable(factory):
    result = factory()
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.n = 1
    changed = dataclasses.replace(result, n=5)
    assert changed.n == 5 and result.n == 120
    assert type(changed) is type(result)
    assert repr(changed).startswith(result._title)


def test_slots_subclass_has_no_dict_and_plain_subclass_pickles():
    assert not hasattr(make_segments(), "__dict__")
    result = make_mean()
    assert pickle.loads(pickle.dumps(result)) == result


def test_subclass_custom_repr_is_kept():
    @dataclass(frozen=True)
    class Custom(ResultBase):
        x: int

        def __repr__(self) -> str:
            return "custom"

    @dataclass(frozen=True)
    class Child(Custom):
        y: int = 0

    assert repr(Custom(1)) == "custom"
    assert repr(Child(1)) == "custom"


def test_result_base_requires_a_dataclass():
    class NotADataclass(ResultBase):
        pass

    with pytest.raises(TypeError, match="must be a dataclass"):
        NotADataclass().to_dict()
