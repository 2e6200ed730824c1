"""profile_items and likert_columns: agreement with plain pandas, errors, invariants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cxkit
from cxkit.profile import likert_columns, profile_items


def _survey(rows=400, items=5, missing=0.1, seed=0):
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=(rows, 1))
    x = np.clip(np.rint(4 + 1.5 * (latent + rng.normal(size=(rows, items)))), 1, 7)
    x[rng.random(x.shape) < missing] = np.nan
    frame = pd.DataFrame(x, columns=[f"q{j}" for j in range(items)]).astype("Int64")
    frame["segment"] = pd.Categorical(rng.choice(["a", "b"], rows))
    frame["age"] = rng.integers(18, 90, rows)
    return frame


def test_matches_plain_pandas_with_missing_values():
    frame = _survey()
    prof = profile_items(frame, scale=(1, 7))
    items = [f"q{j}" for j in range(5)]
    assert prof.items == tuple(items)
    x = frame[items].astype("float64")
    np.testing.assert_allclose(prof.correlations, x.corr(), rtol=1e-12, atol=1e-14)
    summary = prof.column_summary.set_index("column")
    assert (summary["n_missing"] == frame.isna().sum()).all()
    np.testing.assert_allclose(summary.loc[items, "mean"], x.mean(), rtol=1e-12)
    np.testing.assert_allclose(summary.loc[items, "sd"], x.std(), rtol=1e-12)
    assert summary.loc["age", "mean"] == pytest.approx(frame["age"].mean())
    assert summary.loc["segment", "mean"] is pd.NA  # not applicable to a categorical
    for item in items:
        got = prof.distribution.query("item == @item").set_index("value")["count"]
        expected = x[item].value_counts().reindex(got.index, fill_value=0)
        assert (got == expected).all()
        assert prof.distribution.query("item == @item")["share"].sum() == pytest.approx(1)
    assert prof.n_complete == int(x.notna().all(axis=1).sum())
    assert prof.min_pairwise_n == int((x.notna().astype(int).T @ x.notna().astype(int))
                                      .to_numpy().min())


def test_degenerate_columns_give_nan_like_pandas():
    frame = pd.DataFrame({"a": [1, 2, 3, 4, 5, 1], "const": [3] * 6,
                          "sparse": [1, None, None, None, None, 2],
                          "b": [2, 2, 4, 5, 5, 1]}, dtype="Int64")
    with pytest.warns(UserWarning, match=r"4 inter-item correlation\(s\) are undefined"):
        prof = profile_items(frame)
    expected = frame.astype("float64").corr()
    np.testing.assert_allclose(prof.correlations, expected, rtol=1e-12, equal_nan=True)
    assert np.isnan(prof.correlations.loc["const", "a"])
    # each item on the smallest common scale holding its answers
    assert prof.scales == {"a": (1.0, 5.0), "const": (1.0, 3.0), "sparse": (1.0, 3.0),
                           "b": (1.0, 5.0)}
    assert prof.scale is None and prof.scale_inferred


def test_bfi_reference_values():
    prof = profile_items(cxkit.load_dataset("bfi"), columns="A1", scale=(1, 6))
    assert prof.items == ("A1",)
    counts = prof.distribution.set_index("value")["count"]
    raw = pd.read_csv(cxkit.datasets.dataset_path("bfi"))["A1"].value_counts()
    assert counts.to_dict() == {float(k): int(v) for k, v in raw.sort_index().items()}


def test_likert_columns_heuristic():
    frame = pd.DataFrame({"q1": [1, 2, 5], "big": [0, 50, 100], "score": [0.5, 1.0, 2.0],
                          "flag": [True, False, True], "name": list("abc"),
                          "empty": [np.nan] * 3})
    assert likert_columns(frame) == ["q1", "big"]  # 'big' has 3 distinct values


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"columns": ["q0", "zz"]}, ValueError, "zz"),
    ({"columns": ["q0", "segment"]}, TypeError, "segment"),
    ({"columns": ["q0"], "scale": (2, 7)}, ValueError, "outside `scale` 2–7"),
    ({"columns": ["q0"], "scale": (7, 1)}, ValueError, "min < max"),
    ({"columns": ["q0"], "scale": 7}, TypeError, "pair"),
    ({"columns": ["age"]}, ValueError, "more than 21 response categories"),
])
def test_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        profile_items(_survey(), **kwargs)


def test_non_integer_items_and_no_items():
    with pytest.raises(ValueError, match=r"integer-valued ratings; \['x'\]"):
        profile_items(pd.DataFrame({"x": [1.5, 2.0]}), columns=["x"])
    with pytest.raises(ValueError, match="no rating items found"):
        profile_items(pd.DataFrame({"name": ["a", "b"]}))
    with pytest.raises(TypeError):
        profile_items([[1, 2], [3, 4]])


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), missing=st.floats(0, 0.5))
def test_row_order_does_not_matter(seed, missing):
    frame = _survey(rows=60, items=4, missing=missing, seed=seed)
    shuffled = frame.sample(frac=1.0, random_state=seed)
    a = profile_items(frame, columns=["q0", "q1", "q2", "q3"], scale=(1, 7))
    b = profile_items(shuffled, columns=["q0", "q1", "q2", "q3"], scale=(1, 7))
    np.testing.assert_allclose(a.correlations, b.correlations, rtol=1e-9, atol=1e-12,
                               equal_nan=True)
    pd.testing.assert_frame_equal(a.distribution, b.distribution)
    assert a.n_complete == b.n_complete
