"""Shared harness for the adversarial (fuzz) tests of every public function.

The contract each ``tests/test_adversarial_*.py`` module checks with :func:`check_outcome`:

* the only exceptions a public function raises on hostile input are ``ValueError`` and
  ``TypeError`` (subclasses included), and the message names the argument at fault;
* a returned result holds no infinities, and any NaN in it comes with a ``UserWarning``
  that says why (a NaN without a word is a silent failure).

:func:`hostile_values` draws one-dimensional inputs of every hostile class the issue lists
(empty, all-NaN, +-inf, 1e300, bool, text, datetime, timedelta, nullable with ``pd.NA``,
categorical, zero variance, n = 1 and 2), and :func:`hostile_frames` draws DataFrames made
of them, with duplicate, integer and MultiIndex column labels too.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import strategies as st

#: The hostile classes drawn by :func:`hostile_values`.
KINDS = ("empty", "all_nan", "inf", "neg_inf", "huge", "bool", "text", "datetime",
         "timedelta", "nullable", "categorical", "constant", "n1", "n2", "mixed_objects",
         "ok")


def _column(kind: str, n: int, rng: np.random.Generator, lo: int, hi: int) -> pd.Series:
    base = rng.integers(lo, hi + 1, size=n).astype(float)
    if kind == "empty":
        return pd.Series([], dtype=float)
    if kind == "all_nan":
        return pd.Series(np.full(n, np.nan))
    if kind in ("inf", "neg_inf"):
        base[rng.integers(0, n)] = math.inf if kind == "inf" else -math.inf
        return pd.Series(base)
    if kind == "huge":
        base[rng.integers(0, n)] = 1e300
        return pd.Series(base)
    if kind == "bool":
        return pd.Series(base > (lo + hi) / 2)
    if kind == "text":
        values = base.astype(int).astype(str).astype(object)
        values[rng.integers(0, n)] = "Don't know"
        return pd.Series(values)
    if kind == "datetime":
        return pd.Series(pd.to_datetime("2024-01-01") + pd.to_timedelta(base, unit="D"))
    if kind == "timedelta":
        return pd.Series(pd.to_timedelta(base, unit="D"))
    if kind == "nullable":
        s = pd.Series(base.astype(int), dtype="Int64")
        s.iloc[rng.integers(0, n)] = pd.NA
        return s
    if kind == "categorical":
        return pd.Series(pd.Categorical(base.astype(int)))
    if kind == "constant":
        return pd.Series(np.full(n, float(lo)))
    if kind == "n1":
        return pd.Series(base[:1])
    if kind == "n2":
        return pd.Series(base[:2])
    if kind == "mixed_objects":
        values = base.astype(object)
        values[rng.integers(0, n)] = None
        values[rng.integers(0, n)] = [1]
        return pd.Series(values)
    return pd.Series(base)


@st.composite
def hostile_values(draw, *, lo: int = 0, hi: int = 10, kinds: Iterable[str] = KINDS,
                   min_size: int = 3, max_size: int = 40) -> tuple[str, pd.Series]:
    """``(kind, series)``: one hostile one-dimensional input on the scale ``lo..hi``."""
    kind = draw(st.sampled_from(tuple(kinds)))
    n = draw(st.integers(min_size, max_size))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return kind, _column(kind, n, rng, lo, hi)


@st.composite
def hostile_frames(draw, *, k: int = 4, lo: int = 1, hi: int = 5,
                   kinds: Iterable[str] = KINDS, labels: Iterable[str] = (
                       "plain", "duplicate", "integer", "multiindex", "mixed"),
                   min_size: int = 3, max_size: int = 40) -> tuple[str, pd.DataFrame]:
    """``(description, frame)``: ``k`` item columns, one of them hostile, odd labels maybe."""
    kind = draw(st.sampled_from(tuple(kinds)))
    label = draw(st.sampled_from(tuple(labels)))
    n = draw(st.integers(min_size, max_size))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    hostile = _column(kind, n, rng, lo, hi)
    rows = len(hostile) if kind in ("empty", "n1", "n2") else n
    columns = {f"q{j + 1}": pd.Series(rng.integers(lo, hi + 1, size=rows).astype(float))
               for j in range(k - 1)}
    columns[f"q{k}"] = hostile.reset_index(drop=True)
    frame = pd.DataFrame(columns)
    if label == "duplicate":
        frame.columns = ["q1", "q1", *frame.columns[2:]]
    elif label == "integer":
        frame.columns = list(range(k))
    elif label == "multiindex":
        frame.columns = pd.MultiIndex.from_tuples([("scale", c) for c in frame.columns])
    elif label == "mixed":
        frame.columns = [1, "1", *frame.columns[2:]]
    return f"{kind}/{label}", frame


def numbers_in(obj: Any) -> list[float]:
    """Every float found in a result (via ``to_dict``/``to_frame``), recursively."""
    from cxkit._results import to_builtin

    found: list[float] = []

    def walk(x: Any) -> None:
        if isinstance(x, bool) or x is None:
            return
        if isinstance(x, (int, float)):
            found.append(float(x))
        elif isinstance(x, dict):
            for v in x.values():
                walk(v)
        elif isinstance(x, (list, tuple)):
            for v in x:
                walk(v)

    walk(to_builtin(obj))
    return found


def check_outcome(call: Callable[[], Any], arguments: Iterable[str], *,
                  context: str = "", allow_nan: bool = False) -> Any:
    """Run ``call`` and check the adversarial contract; return the result or ``None``.

    ``arguments`` are the names that may appear in an error message (the argument the
    hostile value was given to, or the column it sits in). ``allow_nan`` is for results
    that are not estimates, where NaN marks a missing input (the caller checks it).
    """
    arguments = tuple(arguments)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = call()
        except (ValueError, TypeError) as exc:
            message = str(exc)
            if not any(str(a) in message for a in arguments):
                raise AssertionError(
                    f"{context}: {type(exc).__name__} does not name any of {arguments}: "
                    f"{message!r}") from exc
            return None
    values = numbers_in(result)
    if any(math.isinf(v) for v in values):
        raise AssertionError(f"{context}: the result holds an infinity: {result!r}")
    if not allow_nan and any(math.isnan(v) for v in values):
        if not any(issubclass(w.category, UserWarning) for w in caught):
            raise AssertionError(f"{context}: the result holds NaN without a UserWarning: "
                                 f"{result!r}")
    return result


#: The modules whose ``__all__`` functions the adversarial tests must all drive.
PUBLIC_MODULES = ("cxkit", "cxkit.nps", "cxkit.reliability", "cxkit.revenue",
                  "cxkit.profile", "cxkit.io", "cxkit.datasets", "cxkit.plots",
                  "cxkit.studies")


def public_functions() -> set[str]:
    """``module.name`` of every function listed in a public module's ``__all__``."""
    import importlib
    import inspect

    found: set[str] = set()
    for name in PUBLIC_MODULES:
        module = importlib.import_module(name)
        for attr in module.__all__:
            obj = getattr(module, attr)
            if inspect.isfunction(obj):
                found.add(f"{obj.__module__}.{obj.__name__}")
    return found


def qualified(*functions: Callable[..., Any]) -> set[str]:
    """``module.name`` of each function, for a test module's ``COVERED`` set."""
    return {f"{f.__module__}.{f.__name__}" for f in functions}


def hostile_scalars() -> list[Any]:
    """Every hostile scalar class, for exhaustive parametrisation of scalar arguments."""
    import datetime as dt

    return [
        None, True, False, 0, 1, -1, 3, 2.5, -0.5, math.nan, math.inf, -math.inf, 1e300,
        -1e300, 5e-324, "5", "", "tango", "2024-02-30", b"3", [4], (4,), {4}, {"a": 1},
        np.int64(4), np.float64(4.0), np.float32(0.5), np.nan, np.bool_(True),
        np.datetime64("2024-01-01"), np.datetime64("NaT"), np.timedelta64(3, "D"), pd.NA,
        pd.NaT, pd.Timestamp("2024-01-01"), dt.date(2024, 1, 1), 2**63, 10**20,
        complex(1, 1), np.array([1.0, 2.0]), pd.Series([1, 2]), object(),
    ]


def scalar_cases(name: str, call: Callable[..., Any], base: dict[str, Any],
                 arguments: Iterable[str]) -> list[Any]:
    """pytest params ``(name, call, kwargs, argument, value)``: each argument × each scalar."""
    import pytest

    cases = []
    for argument in arguments:
        for i, value in enumerate(hostile_scalars()):
            cases.append(pytest.param(call, {**base, argument: value}, argument,
                                      id=f"{name}-{argument}-{i}:{type(value).__name__}"))
    return cases
