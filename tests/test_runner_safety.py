"""Parameters are data, never code; the runner refuses before anything runs; signals.

Every parameter of every shipped study is fed YAML tags and quote/escape payloads, from
``-p`` and from ``-f``; each must end with exit status 2 and no file written anywhere.
"""

from __future__ import annotations

import ast
import base64
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxkit import cli, studies
from cxkit._parameters import ParameterError, check_plain, literal, literal_translator
from cxkit.studies import StudyError

from .conftest import PROJECT, write_study

EXPLOIT = '" + str(__import__("os").system("id > owned.txt")) + "'
B64 = base64.b64encode(EXPLOIT.encode()).decode()

#: YAML tags, each as a whole value and inside a list.
TAGS = [
    f"!!binary {B64}", f"[!!binary {B64}]",
    "!!pairs [[a, b]]", "[!!pairs [[a, b]]]",
    "!!set {a, b}", "[!!set {a, b}]",
    "!!omap [{a: 1}]", "[!!omap [{a: 1}]]",
    "!!timestamp 2024-01-01", "[!!timestamp 2024-01-01]",
    "!!python/object/apply:os.system ['id > owned.txt']",
    "[!!python/object/apply:os.system ['id > owned.txt']]",
    "!!python/name:os.system", "!!str &a x", "[&a x, *a]",
]
#: Quote and escape payloads (plain text that would break a naively quoted literal).
PAYLOADS = [
    EXPLOIT,
    "'; __import__('os').system('id > owned.txt'); '",
    '\\"); __import__("os").system("id > owned.txt")  #',
    "x\nimport os; os.system('id > owned.txt')",
    "[\"\\\" + __import__('os').system('id > owned.txt') + \\\"\"]",
    "{{ __import__('os').system('id > owned.txt') }}",
]


def _all_parameters():
    for study in studies.list_studies():
        for name in study.parameters:
            if name not in studies.RUNNER_PARAMETERS:
                yield study.name, name


PARAMETERS = list(_all_parameters())


def _run_cli(args, cwd: Path, capsys) -> tuple[int, str]:
    old = Path.cwd()
    os.chdir(cwd)
    try:
        try:
            code = cli.main(args)
        except SystemExit as exc:  # argparse usage errors
            code = exc.code
    finally:
        os.chdir(old)
    return code, capsys.readouterr().err


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*")]


@pytest.mark.parametrize(("study", "name"), PARAMETERS,
                         ids=[f"{s}.{n}" for s, n in PARAMETERS])
def test_tags_and_payloads_refused_for_every_parameter(study, name, tmp_path, capsys):
    assert len(PARAMETERS) > 60  # every parameter of every study
    for k, value in enumerate(TAGS + PAYLOADS):
        work = tmp_path / f"p{k}"
        work.mkdir()
        code, err = _run_cli(["run", study, "-p", name, value, "--out", "reports"], work,
                             capsys)
        assert code == 2, (value, err)
        assert err.startswith("cxkit: error: ") and len(err.strip().splitlines()) == 1, err
        params = work.parent / f"f{k}.yaml"
        params.write_text(f"{name}: {value}\n" if value in TAGS else
                          f"{name}: {json.dumps(value)}\n", encoding="utf-8")
        code, err = _run_cli(["run", study, "-f", str(params), "--out", "reports"], work,
                             capsys)
        assert code == 2, (value, err)
        assert _files(work) == [], (value, _files(work))
    assert not list(tmp_path.rglob("owned.txt"))


def test_the_reported_exploit_runs_nothing(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "cxkit.cli", "run", "dataset_profile", "-p", "columns",
         f"[!!binary {B64}]"], cwd=tmp_path, capture_output=True, text=True, timeout=300,
        env={**os.environ, "MPLBACKEND": "Agg"})
    assert done.returncode == 2, done.stderr
    assert "YAML tags are not accepted (found !!binary" in done.stderr
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


#: NUL is refused by the gate (tested below); every other character must round-trip
NO_NUL = st.characters(blacklist_characters="\x00")


@settings(max_examples=100, deadline=None)
@given(st.recursive(
    st.none() | st.booleans() | st.integers(-2**63 + 1, 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(NO_NUL),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(NO_NUL, max_size=5), inner, max_size=4), max_leaves=12))
def test_injected_cell_reads_back_the_same_plain_value(value):
    code = literal_translator().codify({"p": value})
    namespace: dict = {}
    tree = ast.parse(code)
    assert all(isinstance(node, ast.Assign) for node in tree.body)
    exec(compile(tree, "<parameters>", "exec"), {"__builtins__": {}}, namespace)  # noqa: S102
    assert namespace["p"] == value or value != value
    assert ast.literal_eval(literal(value, "p")) == value


class Sneaky(str):
    def __repr__(self):
        return "__import__('os').system('id')"


@pytest.mark.parametrize("value", [b"x", ("a",), {"a"}, Sneaky("a"), float("nan"),
                                   float("inf"), 2**70, {1: "a"}, [object()], "a\x00b"])
def test_only_plain_json_values_pass(value):
    with pytest.raises(ParameterError):
        check_plain(value, "p")
    with pytest.raises(ParameterError):
        literal_translator().codify({"p": value})


@pytest.mark.parametrize(("type_name", "raw"), [
    ("float", "nan"), ("float", "inf"), ("float", "-Infinity"), ("list[float]", "[1, .nan]"),
    ("Optional[float]", "NaN"), ("int", str(2**64)),
])
def test_non_finite_or_huge_numbers_are_refused(type_name, raw):
    with pytest.raises(StudyError, match="finite|too large"):
        studies.cast_parameter(studies.Parameter("x", type_name, 1.0, "", "1.0"), raw)


def test_bare_annotation_is_refused(tmp_path):
    write_study(tmp_path, "bare", 'columns: list = []  # items\noutput_dir: str = "."  # o',
                "pass")
    with pytest.raises(StudyError, match="parameter 'columns' is declared as 'list'"):
        studies.get_study("bare", tmp_path)


def test_every_shipped_parameter_is_concretely_typed():
    for study in studies.list_studies():
        for p in study.parameters.values():
            assert p.type.replace(" ", "") not in ("list", "dict", "any"), (study.name, p)


def test_declared_choices_match_the_library():
    from cxkit.nps import NPS_METHODS
    from cxkit.reliability import RELIABILITY_CI_METHODS

    found = {s.name: s for s in studies.list_studies()}
    assert set(found["nps_study"].choices["method"]) == set(NPS_METHODS)
    assert set(found["empathy_reliability"].choices["method"]) == set(RELIABILITY_CI_METHODS)
    assert found["nps_study"].column_parameters == ("score", "segment", "time")


@pytest.mark.parametrize(("args", "fragment"), [
    (["run", "dataset_profile", "--timeout", "2.5"], "whole number of seconds"),
    (["run", "dataset_profile", "--timeout", "0"], "must be positive"),
    (["run", "dataset_profile", "--out", "afile"], "is a file"),
    (["run", "dataset_profile", "--out", "afile/sub"], "which is a file"),
    (["run", "dataset_profile", "-f", "syntax.yaml"], "not valid YAML at line 2"),
    (["run", "dataset_profile", "-f", "keys.yaml"], "every key must be a parameter name"),
    (["run", "dataset_profile", "-f", "alias.yaml"], "anchors and aliases"),
    (["run", "nps_study", "-p", "segment", "regoin"], "column 'regoin' not in"),
    (["run", "nps_study", "-p", "method", "tangoo"], "did you mean 'tango'"),
    (["run", "nps_study", "-p", "freq", "fortnight"], "must be one of D, W, M, Q"),
    (["run", "empathy_reliability", "-p", "items", "A1,zz"], "parameter 'items'"),
    (["run", "nps_study", "-p", "confidence_level", "nan"], "finite number"),
])
def test_refused_before_any_run_folder_with_one_line(args, fragment, tmp_path, capsys):
    (tmp_path / "afile").write_text("x")
    (tmp_path / "syntax.yaml").write_text("columns: [a, b\nscale_min: 1\n")
    (tmp_path / "keys.yaml").write_text("1: a\n")
    (tmp_path / "alias.yaml").write_text("columns: &c [a]\nother: *c\n")
    before = set(tmp_path.iterdir())
    code, err = _run_cli(args, tmp_path, capsys)
    assert code == 2, err
    assert err.startswith("cxkit: error: ") and len(err.strip().splitlines()) == 1, err
    assert fragment in err
    assert set(tmp_path.iterdir()) == before


def test_default_column_missing_from_a_file_is_named_before_running(tmp_path, capsys):
    import pandas as pd

    pd.DataFrame({"ltr": [9, 10, 3], "branch": ["a", "b", "a"]}).to_csv(tmp_path / "x.csv",
                                                                          index=False)
    code, err = _run_cli(["run", "nps_study", "-p", "data_path", "x.csv", "-p", "score", "ltr"],
                         tmp_path, capsys)
    assert code == 2
    assert "parameter 'segment': column 'gender' not in data_path" in err
    assert "its columns are: ltr, branch" in err
    assert not (tmp_path / "reports").exists()


def test_tilde_in_data_path_reaches_the_kernel_expanded(study_dir, tmp_path, monkeypatch):
    import pandas as pd

    monkeypatch.setenv("HOME", str(tmp_path))
    pd.DataFrame({"a": [1, 2, 3]}).to_csv(tmp_path / "mine.csv", index=False)
    run = studies.run_study("echo", {"data_path": "~/mine.csv"}, out=tmp_path / "r",
                            directory=study_dir)
    assert run.ok, run.error
    assert run.record["parameters"]["data_path"] == str(tmp_path / "mine.csv")
    assert run.results["rows"] == 3


def test_run_json_is_strict_json(study_dir, tmp_path):
    run = studies.run_study("echo", {"ratio": "0.25"}, out=tmp_path, directory=study_dir)

    def refuse(token):
        raise ValueError(f"non-standard JSON token {token}")

    json.loads((run.run_dir / "run.json").read_text(), parse_constant=refuse)


def _start(study_dir: Path, tmp_path: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "MPLBACKEND": "Agg", "CXKIT_NOTEBOOKS_DIR": str(study_dir)}
    return subprocess.Popen([sys.executable, "-m", "cxkit.cli", "run", "slow", "--out",
                             str(tmp_path), *extra], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_run(tmp_path: Path, seconds: float = 120) -> None:
    """Until run.json exists, then a little longer so the kernel is busy in the cell."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not list(tmp_path.glob("slow/*/run.json")):
        time.sleep(0.2)
    time.sleep(5)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_signal_records_interrupted_without_traceback(sig, study_dir, tmp_path):
    proc = _start(study_dir, tmp_path)
    _wait_for_run(tmp_path)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 128 + sig, err
    record = json.loads(next(tmp_path.glob("slow/*/run.json")).read_text())
    assert record["status"] == "interrupted"
    assert record["signal"] == sig.name
    assert record["ended"] is not None and record["duration_seconds"] > 0
    assert "Traceback" not in err and "ZMQError" not in err
    assert f"interrupted ({sig.name})" in err


def test_cell_timeout_ends_without_traceback(study_dir, tmp_path):
    proc = _start(study_dir, tmp_path, "--timeout", "2", "--quiet")
    out, err = proc.communicate(timeout=180)
    assert proc.returncode == 1
    assert "Traceback" not in err and "ZMQError" not in err and "DeadKernel" not in err
    assert "timed out" in err
    assert out == ""  # --quiet: nothing on stdout
    record = json.loads(next(tmp_path.glob("slow/*/run.json")).read_text())
    assert record["status"] == "failed" and record["timeout_seconds"] == 2


def test_project_notebooks_declare_no_unknown_metadata():
    for path in sorted((PROJECT / "notebooks").glob("*.ipynb")):
        meta = json.loads(path.read_text())["metadata"].get("cxkit", {})
        assert set(meta) <= {"column_parameters", "choices", "patterns"}, path.name
