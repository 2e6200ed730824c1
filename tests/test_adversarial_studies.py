"""Adversarial inputs to cxkit.studies: parameter casting for every parameter type of the
real studies, unknown studies, results that JSON cannot hold, hostile paths and run
options. Errors are StudyError (a ValueError) or TypeError naming the parameter or the
argument; no test here starts a kernel (run_study is only driven into refusals that
happen before any run folder exists)."""

from __future__ import annotations

import decimal
import functools
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxkit import studies
from cxkit.studies import Parameter, RunResult, StudyError
from tests.adversarial import check_outcome, hostile_scalars, qualified

COVERED = qualified(studies.cast_parameter, studies.get_study, studies.list_studies,
                    studies.notebooks_dir, studies.refresh_figures,
                    studies.resolve_parameters, studies.run_study, studies.write_results)

HOSTILE_SCALARS = hostile_scalars()  # the shared set (tests/adversarial.py)
#: Text a command line or a YAML file may hand the runner.
HOSTILE_TEXT = ["nan", "inf", "-inf", "1e400", "[1, nan]", "[a, [b]]", "{a: 1}", "[", "none",
                " ", "1_000", "0x10", "١٢", "True", "\x00", "a\x00b", "9" * 400, "[]", ",",
                "[1, 2", "!!python/object:os.system", "&a [*a]", "- x", "'", '"', "1,,2"]
SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture])


@functools.cache
def real_studies() -> tuple:
    return tuple(studies.list_studies())


def parameters_by_type() -> dict[str, tuple]:
    """One real (study, parameter) per declared type."""
    found: dict[str, tuple] = {}
    for study in real_studies():
        for param in study.parameters.values():
            found.setdefault(param.type, (study, param))
    return found


TYPES = sorted(parameters_by_type())


def is_plain(value) -> bool:
    """Exact JSON types, finite floats, recursively."""
    if value is None or type(value) in (bool, str, int):
        return True
    if type(value) is float:
        return math.isfinite(value)
    if type(value) is list:
        return all(is_plain(v) for v in value)
    if type(value) is dict:
        return all(type(k) is str and is_plain(v) for k, v in value.items())
    return False


def matches_type(value, type_name: str, default=0) -> bool:
    base, optional = studies._split_optional(type_name)
    if value is None:
        return optional or default is None  # None is the default: documented
    kinds = {"str": str, "int": int, "float": float, "bool": bool}
    if base in kinds:
        return type(value) is kinds[base]
    if base.startswith("list"):
        inner = base[len("list["):-1] if base.startswith("list[") else None
        return type(value) is list and (inner is None or all(
            matches_type(v, inner) for v in value))
    return True


def cast_contract(param: Parameter, value, context: str):
    """StudyError naming the parameter, or a plain JSON value of the declared type."""
    try:
        cast = studies.cast_parameter(param, value)
    except StudyError as exc:
        assert f"'{param.name}'" in str(exc), f"{context}: {exc}"
        return None
    assert is_plain(cast), f"{context}: {cast!r} is not plain JSON data"
    assert matches_type(cast, param.type, param.default), \
        f"{context}: {cast!r} is not a {param.type}"
    json.dumps(cast, allow_nan=False)
    return cast


# --------------------------------------------------------------------------- parameters


def test_real_studies_declare_the_types_driven_here():
    assert {"str", "int", "float", "list[str]", "list[float]"} <= set(TYPES)
    assert {s.name for s in real_studies()} >= {"nps_study", "dataset_profile"}


@pytest.mark.parametrize("value", HOSTILE_SCALARS + HOSTILE_TEXT, ids=repr)
@pytest.mark.parametrize("type_name", TYPES)
def test_cast_parameter_hostile_value(type_name, value):
    study, param = parameters_by_type()[type_name]
    cast_contract(param, value, f"{study.name}.{param.name} ({type_name}) <- {value!r}")


@pytest.mark.parametrize("type_name", ["bool", "Optional[int]", "list[int]", "list[bool]",
                                       "dict[str, float]", "dict", "list", "any",
                                       "Optional[list[float]]"])
@pytest.mark.parametrize("value", HOSTILE_SCALARS + HOSTILE_TEXT, ids=repr)
def test_cast_parameter_other_declared_types(type_name, value):
    param = Parameter("p", type_name, None, "", "None")
    cast_contract(param, value, f"{type_name} <- {value!r}")


@SETTINGS
@given(data=st.data())
def test_cast_parameter_any_text(data):
    type_name = data.draw(st.sampled_from(TYPES))
    _, param = parameters_by_type()[type_name]
    text = data.draw(st.text(max_size=30))
    cast_contract(param, text, f"{type_name} <- {text!r}")


@SETTINGS
@given(data=st.data())
def test_cast_parameter_any_json_value(data):
    type_name = data.draw(st.sampled_from(TYPES))
    _, param = parameters_by_type()[type_name]
    value = data.draw(st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
        lambda children: st.lists(children, max_size=3)
        | st.dictionaries(st.text(max_size=3), children, max_size=3), max_leaves=6))
    cast_contract(param, value, f"{type_name} <- {value!r}")


@pytest.mark.parametrize("value", HOSTILE_SCALARS, ids=repr)
def test_cast_parameter_hostile_param(value):
    assert check_outcome(lambda: studies.cast_parameter(value, "1"), ["`param`"]) is None


@pytest.mark.parametrize("value", HOSTILE_SCALARS, ids=repr)
@pytest.mark.parametrize("study_index", range(5))
def test_resolve_parameters_hostile_value_for_each_parameter(study_index, value):
    """Every parameter of the real studies (one hostile value each): cast or refused."""
    study = real_studies()[study_index % len(real_studies())]
    for name, param in study.parameters.items():
        if name in studies.RUNNER_PARAMETERS:
            continue
        try:
            values = studies.resolve_parameters(study, {name: value})
        except StudyError as exc:
            assert f"'{name}'" in str(exc), f"{study.name}.{name}={value!r}: {exc}"
            continue
        assert is_plain(values[name]) and matches_type(values[name], param.type,
                                                       param.default), \
            f"{study.name}.{name}={value!r} -> {values[name]!r}"


@pytest.mark.parametrize("overrides", [5, "ab", [1], [("n", 1)], {4}, b"x", object()],
                         ids=repr)
def test_resolve_parameters_hostile_overrides(overrides):
    study = studies.get_study("dataset_profile")
    assert check_outcome(lambda: studies.resolve_parameters(study, overrides),
                         ["`overrides`"]) is None


@pytest.mark.parametrize("key", [5, None, ("a",), b"columns", 1.5])
def test_resolve_parameters_non_text_names(key):
    """Regression: a non-text name raised difflib's TypeError."""
    study = studies.get_study("dataset_profile")
    with pytest.raises(StudyError, match="`overrides`: parameter names must be text"):
        studies.resolve_parameters(study, {key: 1})


@pytest.mark.parametrize("value", HOSTILE_SCALARS, ids=repr)
def test_resolve_parameters_hostile_study(value):
    assert check_outcome(lambda: studies.resolve_parameters(value, {}), ["`study`"]) is None


@pytest.mark.parametrize(("name", "value"), [("output_dir", "x"), ("nope", 1), ("", 1),
                                             ("Dataset", "bfi"), ("method", "tang")])
def test_resolve_parameters_unknown_runner_and_choice(name, value):
    study = studies.get_study("nps_study")
    with pytest.raises(StudyError, match=f"'{name}'"):
        studies.resolve_parameters(study, {name: value})


# --------------------------------------------------------------------------- discovery


@pytest.mark.parametrize("value", [*HOSTILE_SCALARS, "nope", "../nps_study", "nps_study.ipynb",
                                   "a" * 400, "\x00", " ", "NPS_STUDY"], ids=repr)
def test_get_study_unknown_or_hostile_name(value):
    """Regression: a name longer than the file system allows raised OSError."""
    assert check_outcome(lambda: studies.get_study(value), ["study"]) is None


@pytest.mark.parametrize("value", [5, b"x", {"a": 1}, 2.5, True, [Path(".")], ""], ids=repr)
def test_study_folder_of_the_wrong_type(value):
    for call in (lambda: studies.list_studies(value),
                 lambda: studies.get_study("nps_study", value)):
        assert check_outcome(call, ["`directory`"]) is None


def test_study_folders_that_hold_nothing(tmp_path):
    (tmp_path / "file.txt").write_text("x")
    for folder in (tmp_path, tmp_path / "missing", tmp_path / "file.txt"):
        assert studies.list_studies(folder) == []
        with pytest.raises(StudyError, match="known studies: \\(none\\)"):
            studies.get_study("nps_study", folder)


def test_notebooks_dir_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CXKIT_NOTEBOOKS_DIR", str(tmp_path))
    assert studies.notebooks_dir() == tmp_path
    monkeypatch.setenv("CXKIT_NOTEBOOKS_DIR", "")
    assert (studies.notebooks_dir() / "nps_study.ipynb").is_file()


# --------------------------------------------------------------------------- write_results


class Opaque:
    def __repr__(self):
        return "Opaque()"


@pytest.mark.parametrize("value", [
    *HOSTILE_SCALARS, [math.nan, math.inf], {"x": -math.inf}, {1, 2}, frozenset({3}),
    Opaque(), np.array([1.0, np.nan]), pd.Series([1.0, np.inf]), decimal.Decimal("NaN"),
    pd.DataFrame({"a": [1.0, np.nan]}), Path("/x"), range(3), np.float32("nan"),
], ids=repr)
def test_write_results_any_value_gives_valid_json(tmp_path, value):
    """Documented: values converted, NaN and infinities written as null; valid JSON."""
    path = studies.write_results(tmp_path, {"value": value})
    loaded = json.loads(path.read_text(encoding="utf-8"),
                        parse_constant=lambda c: pytest.fail(f"{c} in results.json"))
    assert set(loaded) == {"value"}
    assert not list(tmp_path.glob("*.tmp"))


@SETTINGS
@given(value=st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=3), children, max_size=3), max_leaves=8))
def test_write_results_round_trips_finite_values(tmp_path, value):
    path = studies.write_results(tmp_path, {"v": value})
    loaded = json.loads(path.read_text(encoding="utf-8"))
    assert loaded == {"v": studies._finite_or_none(value)}


@pytest.mark.parametrize("results", [5, "ab", None, [("a", 1)], {1, 2}, b"x"], ids=repr)
def test_write_results_refuses_what_is_not_a_mapping(tmp_path, results):
    assert check_outcome(lambda: studies.write_results(tmp_path, results),
                         ["`results`"]) is None
    assert not list(tmp_path.iterdir())


def test_write_results_refuses_a_circular_value(tmp_path):
    """Regression: a value containing itself raised RecursionError."""
    loop: dict = {}
    loop["self"] = loop
    with pytest.raises(ValueError, match="`results`.*contains itself"):
        studies.write_results(tmp_path, {"a": loop})
    shared = [1, 2]  # the same list twice is not a loop
    studies.write_results(tmp_path, {"a": shared, "b": shared})


@pytest.mark.parametrize("results", [{1: "a", "1": "b"}, {"x": {2.0: 1, "2.0": 2}}])
def test_write_results_refuses_keys_that_collide_as_text(tmp_path, results):
    """Regression: {1: 'a', '1': 'b'} silently kept only one of the two values."""
    with pytest.raises(ValueError, match="`results`.*both written as"):
        studies.write_results(tmp_path, results)


@pytest.mark.parametrize("where", [None, 5, b"x", "", "missing", "file.txt"], ids=repr)
def test_write_results_hostile_output_dir(tmp_path, monkeypatch, where):
    """Regression: '' wrote into the current folder; a file or a missing folder raised
    NotADirectoryError / FileNotFoundError from the temporary file."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "file.txt").write_text("x")
    value = tmp_path / where if where in ("missing", "file.txt") else where
    assert check_outcome(lambda: studies.write_results(value, {"a": 1}),
                         ["`output_dir`"]) is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]


# --------------------------------------------------------------------------- refresh_figures


@pytest.mark.parametrize("value", HOSTILE_SCALARS, ids=repr)
def test_refresh_figures_hostile_run(tmp_path, value):
    assert check_outcome(lambda: studies.refresh_figures(value, tmp_path), ["`run`"]) is None


@pytest.mark.parametrize("study", ["..", ".", "", " ", "a/../..", "/etc", "x\\y", 5, None])
def test_refresh_figures_never_deletes_outside_its_study_folder(tmp_path, study):
    """Regression: study '..' or '' made refresh_figures delete figures/.. or figures/."""
    figures = tmp_path / "figures"
    (figures / "keep").mkdir(parents=True)
    (figures / "keep" / "a.png").write_bytes(b"x")
    run = RunResult(study, tmp_path / "run", "succeeded", {})
    assert check_outcome(lambda: studies.refresh_figures(run, figures), ["`run`"]) is None
    assert (figures / "keep" / "a.png").is_file()


@pytest.mark.parametrize("value", [None, 5, b"x", "", 2.5, {"a": 1}], ids=repr)
def test_refresh_figures_hostile_folder(tmp_path, value):
    run = RunResult("nps_study", tmp_path, "succeeded", {})
    assert check_outcome(lambda: studies.refresh_figures(run, value), ["`figures`"]) is None


def test_refresh_figures_copies_a_fake_run(tmp_path):
    run_dir = tmp_path / "run"
    (run_dir / "sub").mkdir(parents=True)
    (run_dir / "sub" / "f.png").write_bytes(b"png")
    (run_dir / "notes.txt").write_text("x")
    copied = studies.refresh_figures(RunResult("s", run_dir, "succeeded", {}),
                                     tmp_path / "figures")
    assert copied == [tmp_path / "figures" / "s" / "sub" / "f.png"]
    assert studies.refresh_figures(RunResult("s", run_dir, "failed", {}), tmp_path) == []


# --------------------------------------------------------------------------- run_study


@pytest.mark.parametrize("kwargs", [
    {"parameters": {"no_such_parameter": 1}}, {"parameters": {"columns": 5}},
    {"parameters": {"dataset": "no_such_data"}}, {"parameters": 5}, {"parameters": "ab"},
    {"parameters": {"output_dir": "/tmp"}}, {"timeout": -1}, {"timeout": math.nan},
    {"timeout": "x"}, {"out": 5}, {"progress": 5}, {"directory": 5},
    {"parameters": {"decimal": ";"}}, {"parameters": {"data_path": "missing.csv"}},
], ids=repr)
def test_run_study_refuses_before_any_run_folder(tmp_path, kwargs):
    """Refusals happen before a kernel starts, and leave no output folder behind."""
    out = tmp_path / "reports"
    given = kwargs.get("parameters")
    keys = list(given) if isinstance(given, dict) else []
    # a parameter is named 'like_this' (or `like_this` when its value is checked further,
    # e.g. the data set), a run option `like_this`
    names = [f"`{k}`" for k in [*kwargs, *keys]] + [f"'{k}'" for k in keys] + \
        [f"{k} '" for k in keys]
    result = check_outcome(
        lambda: studies.run_study("dataset_profile", **{"out": out, **kwargs}),
        [*names, "timeout", "parameter"], context=repr(kwargs))
    assert result is None
    assert not out.exists()


@pytest.mark.parametrize("name", [None, 5, "", "nope", "../notebooks/nps_study"])
def test_run_study_unknown_study(tmp_path, name):
    with pytest.raises(StudyError, match="unknown study"):
        studies.run_study(name, out=tmp_path / "reports")
    assert not (tmp_path / "reports").exists()
