"""The `cxkit` command as a user types it: messages, exit codes, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from .conftest import PROJECT, write_study


def cxkit(*args, cwd, env=None):
    full_env = {**os.environ, "MPLBACKEND": "Agg", **(env or {})}
    return subprocess.run([sys.executable, "-m", "cxkit.cli", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=600)


def assert_user_error(done, *fragments):
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("cxkit: error: ")
    assert len(done.stderr.strip().splitlines()) == 1  # one clear message
    for fragment in fragments:
        assert fragment in done.stderr


def test_list_shows_studies_with_typed_parameters(tmp_path):
    done = cxkit("list", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("cx_revenue\n")  # alphabetical
    assert "\ndataset_profile\n" in out
    assert "Data set profile" in out
    assert '--  dataset: str = "bank_satisfaction"' in out
    assert "--  columns: list[str] = []" in out
    assert "Excel .xlsx, SPSS .sav or Parquet" in out
    assert "--  na_values: list[str] = []" in out


@pytest.mark.parametrize(("args", "fragments"), [
    (["run", "dataset_profile", "-p", "no_such_param", "1"],
     ["unknown parameter 'no_such_param'", "valid parameters: dataset, data_path, sep, decimal"]),
    (["run", "dataset_profile", "-p", "dataset", "no_such_data"],
     ["unknown dataset 'no_such_data'",
      "bank_satisfaction, bfi, cx_programme, ecsi_mobile, spi_compassion"]),
    (["run", "no_such_study"], ["unknown study 'no_such_study'", "dataset_profile"]),
    (["run", "dataset_profile", "-p", "data_path", "missing.csv"],
     ["data_path", "missing.csv", "does not exist"]),
    (["run", "dataset_profile", "-p", "scale_min", "low"],
     ["parameter 'scale_min' expects a number", "'low'"]),
    (["run", "dataset_profile", "-f", "nope.yaml"], ["cannot read parameter file"]),
])
def test_user_errors_are_one_line_and_leave_no_run(tmp_path, args, fragments):
    done = cxkit(*args, "--out", str(tmp_path / "reports"), cwd=tmp_path)
    assert_user_error(done, *fragments)
    assert not (tmp_path / "reports").exists()


def test_unreadable_file_is_a_user_error(tmp_path):
    bad = tmp_path / "data.csv"
    bad.write_text("a,b\n1,2\n")
    bad.chmod(0o000)
    try:
        if os.access(bad, os.R_OK):  # root reads anything: fall back to a directory
            bad.chmod(0o644)
            bad = tmp_path / "folder.csv"
            bad.mkdir()
        done = cxkit("run", "dataset_profile", "-p", "data_path", str(bad), "--out",
                     str(tmp_path / "reports"), cwd=tmp_path)
        assert_user_error(done, str(bad.name))
    finally:
        if bad.is_file():
            bad.chmod(0o644)


def test_failing_study_exits_nonzero_with_readable_error(study_dir, tmp_path):
    done = cxkit("run", "failing", "--quiet", "--out", str(tmp_path),
                 cwd=tmp_path, env={"CXKIT_NOTEBOOKS_DIR": str(study_dir)})
    assert done.returncode == 1
    assert "failing: FAILED" in done.stderr
    assert "ValueError: deliberate failure" in done.stderr
    assert "Traceback" not in done.stderr
    (run_dir,) = (tmp_path / "failing").iterdir()
    assert json.loads((run_dir / "run.json").read_text())["status"] == "failed"
    assert (run_dir / "failing.ipynb").is_file()


def test_run_with_parameters_file_and_progress(study_dir, tmp_path):
    params = tmp_path / "params.yaml"
    params.write_text("wave: 2024\nn: 2\n")
    done = cxkit("run", "echo", "-f", str(params), "-p", "n", "5", "--out", str(tmp_path),
                 cwd=tmp_path, env={"CXKIT_NOTEBOOKS_DIR": str(study_dir)})
    assert done.returncode == 0, done.stderr
    # 3 code cells: parameters, the parameters papermill injects, the body
    assert "[echo] cell 1 of 3" in done.stderr and "[echo] cell 3 of 3" in done.stderr
    assert "elapsed" in done.stderr
    (run_dir,) = (tmp_path / "echo").iterdir()
    results = json.loads((run_dir / "results.json").read_text())
    assert results["wave"] == "2024" and results["n"] == 5  # -p wins over -f
    quiet = cxkit("run", "echo", "--quiet", "--out", str(tmp_path), cwd=tmp_path,
                  env={"CXKIT_NOTEBOOKS_DIR": str(study_dir)})
    assert quiet.returncode == 0 and "cell" not in quiet.stderr


def test_run_all_reports_each_and_fails_if_any_failed(tmp_path):
    folder = tmp_path / "nb"
    folder.mkdir()
    write_study(folder, "good", 'output_dir: str = "."  # out',
                'open(output_dir + "/results.json", "w").write("{}")')
    write_study(folder, "bad", 'output_dir: str = "."  # out', "1 / 0")
    done = cxkit("run", "--all", "--quiet", "--out", str(tmp_path / "r"), cwd=tmp_path,
                 env={"CXKIT_NOTEBOOKS_DIR": str(folder)})
    assert done.returncode == 1
    assert "good: succeeded" not in done.stdout  # --quiet: successes say nothing
    assert "cell 1 of" not in done.stderr  # nor progress
    assert "bad: FAILED" in done.stderr and "ZeroDivisionError" in done.stderr
    assert "1 of 2 studies succeeded; failed: bad" in done.stdout


def test_notebook_without_results_json_fails(tmp_path):
    folder = tmp_path / "nb"
    folder.mkdir()
    write_study(folder, "silent", 'output_dir: str = "."  # out', "x = 1")
    done = cxkit("run", "silent", "--quiet", "--out", str(tmp_path / "r"), cwd=tmp_path,
                 env={"CXKIT_NOTEBOOKS_DIR": str(folder)})
    assert done.returncode == 1
    assert "did not write results.json" in done.stderr


def test_import_cxkit_is_light():
    code = ("import cxkit, sys; print([m for m in ('seaborn', 'statsmodels', 'papermill', "
            "'matplotlib', 'nbconvert', 'pingouin') if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=PROJECT, check=True)
    assert done.stdout.strip() == "[]"
