"""The study runner: discovery, strict parameters, run folders, run.json, failures."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import nbformat
import pytest

from cxkit import studies
from cxkit.studies import Parameter, StudyError, cast_parameter

from .conftest import PROJECT


def _p(type_name: str, default=None) -> Parameter:
    return Parameter("x", type_name, default, "", repr(default))


# ------------------------------------------------------------------ discovery


def test_list_studies_reads_description_and_typed_parameters():
    found = {s.name: s for s in studies.list_studies()}
    assert "dataset_profile" in found
    profile = found["dataset_profile"]
    assert profile.description.startswith("Data set profile")
    params = profile.parameters
    assert list(params)[:10] == ["dataset", "data_path", "sep", "decimal", "encoding",
                                 "date_format", "sheet", "na_values", "columns", "scale_min"]
    assert params["na_values"].type == "list[str]" and params["na_values"].default == []
    assert params["dataset"].type == "str" and params["dataset"].default == "bank_satisfaction"
    assert params["columns"].type == "list[str]" and params["columns"].default == []
    assert params["scale_min"].optional
    assert "Excel .xlsx, SPSS .sav or Parquet" in params["data_path"].help


def test_unknown_study_lists_known_ones(study_dir):
    with pytest.raises(StudyError, match=r"unknown study 'nope'; known studies: echo, failing"):
        studies.get_study("nope", study_dir)


def test_parameter_line_papermill_cannot_read_is_an_error(tmp_path):
    from .conftest import write_study

    write_study(tmp_path, "sloppy", 'a: int = 1  # fine\nb: float | None = None  # x = y', "pass")
    with pytest.raises(StudyError, match="could not read the parameter line.* of b"):
        studies.get_study("sloppy", tmp_path)


def test_study_needs_exactly_one_parameters_cell(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    nbformat.write(nb, tmp_path / "untagged.ipynb")
    with pytest.raises(StudyError, match="0 cells tagged 'parameters'"):
        studies.get_study("untagged", tmp_path)


# ------------------------------------------------------------------ casting


@pytest.mark.parametrize(("type_name", "raw", "expected"), [
    ("str", "2024", "2024"),
    ("str", 2024, "2024"),          # a YAML number for a str parameter
    ("int", "12", 12),
    ("int", " -3 ", -3),
    ("int", 4.0, 4),
    ("float", "0.25", 0.25),
    ("float", "1e-3", 0.001),
    ("float", 2, 2.0),
    ("bool", "yes", True),
    ("bool", "False", False),
    ("bool", "0", False),
    ("list", "A1, A2,A3", ["A1", "A2", "A3"]),
    ("list", "[A1, 2]", ["A1", 2]),
    ("list", "", []),
    ("list", ["a"], ["a"]),
    ("list[int]", "10, 30,100", [10, 30, 100]),
    ("list[int]", "[10, 30]", [10, 30]),
    ("list[float]", [1, "2.5"], [1.0, 2.5]),
    ("list[str]", "[2024, q3]", ["2024", "q3"]),
    ("dict", "{a: 1}", {"a": 1}),
    ("Optional[float]", "none", None),
    ("float|None", "null", None),
    ("Optional[int]", "7", 7),
    ("str | None", "", None),
])
def test_cast_parameter(type_name, raw, expected):
    value = cast_parameter(_p(type_name), raw)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(("type_name", "raw", "expected_text"), [
    ("int", "2.5", "an integer"),
    ("int", "twelve", "an integer"),
    ("int", True, "an integer"),
    ("float", "abc", "a number"),
    ("bool", "maybe", "true or false"),
    ("list", "[unclosed", "a list"),
    ("dict", "1", "a mapping"),
    ("list[int]", "10,ten", "an integer"),
    ("str", ["a"], "a string"),
    ("int", "none", "an integer"),
    ("int", None, "None is not allowed"),
])
def test_cast_failure_names_parameter_type_and_value(type_name, raw, expected_text):
    with pytest.raises(StudyError) as info:
        cast_parameter(Parameter("wave", type_name, 1, "", "1"), raw)
    message = str(info.value)
    assert "parameter 'wave'" in message
    assert expected_text in message
    assert f"'{type_name}'" in message
    assert repr(raw) in message


def test_resolve_parameters_unknown_name_lists_valid_ones(study_dir):
    study = studies.get_study("echo", study_dir)
    with pytest.raises(StudyError) as info:
        studies.resolve_parameters(study, {"wav": "2024"})
    message = str(info.value)
    assert "unknown parameter 'wav'" in message
    assert "did you mean 'wave'" in message
    assert "valid parameters: wave, n, ratio, flag, items, dataset, data_path" in message
    assert "output_dir" not in message.split("valid parameters:")[1]


def test_resolve_parameters_output_dir_is_the_runners(study_dir):
    study = studies.get_study("echo", study_dir)
    with pytest.raises(StudyError, match="set by the runner"):
        studies.resolve_parameters(study, {"output_dir": "/tmp/x"})


def test_parameter_file(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("wave: 2024\nn: 5\nitems: [A1, A2]\n")
    assert studies.read_parameter_file(path) == {"wave": 2024, "n": 5, "items": ["A1", "A2"]}
    path.write_text("- a\n- b\n")
    with pytest.raises(StudyError, match="must hold a mapping"):
        studies.read_parameter_file(path)
    with pytest.raises(StudyError, match="cannot read parameter file"):
        studies.read_parameter_file(tmp_path / "missing.yaml")


# ------------------------------------------------------------------ runs


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_bad_parameters_execute_nothing(study_dir, tmp_path):
    out = tmp_path / "reports"
    for overrides in ({"nope": 1}, {"n": "many"}, {"data_path": str(tmp_path / "no.csv")},
                      {"dataset": "no_such_data"}):
        with pytest.raises(StudyError):
            studies.run_study("echo", overrides, out=out, directory=study_dir)
    assert not out.exists() or not any(out.rglob("*"))


def test_run_casts_values_and_records_everything(study_dir, tmp_path):
    data = tmp_path / "wave.csv"
    data.write_text("q1,q2\n1,2\n3,4\n5,6\n")
    ticks = []
    run = studies.run_study(
        "echo", {"wave": "2024", "n": "7", "flag": "yes", "items": "A1,A2",
                 "data_path": str(data)},
        out=tmp_path / "reports", directory=study_dir, progress=lambda *a: ticks.append(a))
    assert run.ok, run.error
    results = run.results
    assert results["wave"] == "2024" and results["wave_type"] == "str"
    assert results["n"] == 7 and results["n_type"] == "int"
    assert results["flag"] is True and results["items"] == ["A1", "A2"]
    assert results["rows"] == 3
    # progress: code cells 1..N in order, with elapsed seconds
    assert [k for k, _, _ in ticks] == list(range(1, ticks[0][1] + 1))
    assert all(elapsed >= 0 for _, _, elapsed in ticks)

    record = json.loads((run.run_dir / "run.json").read_text())
    assert record == run.record
    assert record["status"] == "succeeded"
    assert record["overrides"] == {"wave": "2024", "n": 7, "flag": True, "items": ["A1", "A2"],
                                   "data_path": str(data.resolve())}
    assert record["defaults"]["wave"] == "2023"
    assert record["parameters"]["ratio"] == 0.5
    assert record["parameters"]["output_dir"] == str(run.run_dir)
    assert record["inputs"] == [{"parameter": "data_path", "path": str(data.resolve()),
                                 "bytes": data.stat().st_size, "sha256": _sha256(data)}]
    for key in ("python", "cxkit", "pandas", "numpy", "papermill", "nbconvert"):
        assert record["versions"][key], key
    assert record["cxkit_version"] == record["versions"]["cxkit"]
    assert set(record["git"]) == {"commit", "dirty"}
    assert record["platform"]["machine"]
    assert record["duration_seconds"] > 0 and record["ended"] >= record["started"]
    names = {o["path"] for o in record["outputs"]}
    assert {"echo.ipynb", "echo.html", "results.json", "echo.png"} <= names
    png = next(o for o in record["outputs"] if o["path"] == "echo.png")
    assert png["sha256"] == _sha256(run.run_dir / "echo.png")


def test_bundled_dataset_checksum_recorded(study_dir, tmp_path):
    run = studies.run_study("echo", {"dataset": "ecsi_mobile"}, out=tmp_path,
                            directory=study_dir)
    assert run.ok, run.error
    assert run.results["rows"] == 250
    sums = dict(reversed(line.split()) for line in
                (PROJECT / "datasets" / "SHA256SUMS").read_text().splitlines())
    (entry,) = run.record["inputs"]
    assert entry["parameter"] == "dataset"
    assert entry["path"] == "datasets/ecsi_mobile.csv"
    assert entry["sha256"] == sums["ecsi_mobile.csv"]
    assert entry["sha256"] == _sha256(PROJECT / "datasets" / "ecsi_mobile.csv")


def test_two_runs_give_two_folders(study_dir, tmp_path):
    first = studies.run_study("echo", {"n": 1}, out=tmp_path, directory=study_dir)
    second = studies.run_study("echo", {"n": 2}, out=tmp_path, directory=study_dir)
    assert first.ok and second.ok
    assert first.run_dir != second.run_dir
    assert first.run_dir.parent == second.run_dir.parent == (tmp_path / "echo").resolve()
    assert first.results["n"] == 1 and second.results["n"] == 2  # nothing overwritten
    assert len(list((tmp_path / "echo").iterdir())) == 2


def test_same_second_gets_a_suffix(tmp_path):
    import datetime as dt

    stamp = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    made = [studies._new_run_dir(tmp_path, "s", stamp) for _ in range(3)]
    assert [p.name for p in made] == ["20260102T030405Z", "20260102T030405Z-2",
                                      "20260102T030405Z-3"]


def test_failing_notebook_is_kept_and_recorded(study_dir, tmp_path):
    run = studies.run_study("failing", {"column": "q9"}, out=tmp_path, directory=study_dir)
    assert run.status == "failed" and not run.ok
    assert "ValueError: deliberate failure: column 'q9' is not in the data" in run.error
    assert "Traceback" not in run.error
    record = json.loads((run.run_dir / "run.json").read_text())
    assert record["status"] == "failed"
    assert record["error"] == run.error
    executed = nbformat.read(run.run_dir / "failing.ipynb", as_version=4)
    errors = [o for c in executed.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert errors and errors[0]["ename"] == "ValueError"
    assert (run.run_dir / "failing.html").is_file()
    assert not (run.run_dir / "results.json").exists()


def test_cell_timeout_fails_the_run(study_dir, tmp_path):
    run = studies.run_study("slow", {"seconds": 30}, out=tmp_path, directory=study_dir,
                            timeout=2)
    assert run.status == "failed"
    assert "timed out" in run.error.lower() or "timeout" in run.error.lower()
    assert run.record["timeout_seconds"] == 2


def test_refresh_figures_replaces_old_ones(study_dir, tmp_path):
    run = studies.run_study("echo", {}, out=tmp_path / "r", directory=study_dir)
    figures = tmp_path / "figures"
    (figures / "echo").mkdir(parents=True)
    (figures / "echo" / "stale.png").write_bytes(b"old")
    copied = studies.refresh_figures(run, figures)
    assert [p.name for p in copied] == ["echo.png"]
    assert sorted(p.name for p in (figures / "echo").iterdir()) == ["echo.png"]
