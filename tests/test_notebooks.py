"""Every study notebook: committed stripped, one well-formed parameters cell, and it runs.

Notebook runs go through the same runner as `cxkit run`; the assertions are on the
run's results.json, checked against plain pandas on the same file.
"""

from __future__ import annotations

import re

import nbformat
import numpy as np
import pandas as pd
import pytest

from cxkit import studies
from cxkit.datasets import list_datasets, load_dataset

from .conftest import PROJECT

NOTEBOOKS = sorted((PROJECT / "notebooks").glob("*.ipynb"))
PARAMETER_LINE = re.compile(r"^(?P<name>[a-z_][a-z0-9_]*): (?P<type>[A-Za-z_][\w\[\]|, ]*) = "
                            r"(?P<value>.+?)  # (?P<help>\S.*)$")


def test_there_are_studies():
    assert [p.stem for p in NOTEBOOKS], "no notebooks found"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stripped(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: a code cell keeps outputs"
            assert cell.execution_count is None, f"{path.name}: execution count kept"
        assert set(cell.metadata) <= {"tags"}, f"{path.name}: cell metadata {cell.metadata}"
    assert set(nb.metadata) <= {"kernelspec", "language_info", "cxkit"}  # cxkit: declarations
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_has_one_wellformed_parameters_cell(path):
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assert nb.cells[0].cell_type == "markdown", "the first cell describes the study"
    lines = [ln for ln in tagged[0].source.splitlines() if ln.strip()]
    names = []
    for line in lines:
        match = PARAMETER_LINE.match(line)
        assert match, f"{path.name}: not `name: type = value  # help`: {line!r}"
        names.append(match["name"])
    assert "output_dir" in names
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    if "load_data(" in code:  # a study that reads data accepts a bundled name or a path
        assert {"dataset", "data_path"} <= set(names)
    if re.search(r"\brng\b|np\.random|default_rng|bootstrap", code):
        assert "seed" in names, "a study that uses randomness takes a seed"
    study = studies.get_study(path.stem)  # papermill's inspection agrees with the lines
    assert list(study.parameters) == names


def _profile_checks(run, frame: pd.DataFrame):
    assert run.ok, run.error
    results = run.results
    assert results["n"] == len(frame)
    assert results["n_columns"] == frame.shape[1]
    assert results["missing"] == {str(c): int(v) for c, v in frame.isna().sum().items()}
    for column, mean in results["means"].items():
        col = frame[column]
        if pd.api.types.is_numeric_dtype(col):
            assert mean == pytest.approx(float(col.astype("float64").mean()), rel=1e-12)
        else:
            assert mean is None
    for figure in ("missing_values.png", "item_distributions.png", "item_correlations.png"):
        assert (run.run_dir / figure).stat().st_size > 10_000, figure
        assert figure in results["figures"]
    for exported in ("dataset_profile.ipynb", "dataset_profile.html", "run.json"):
        assert (run.run_dir / exported).is_file()
    # the figures are shown in the executed notebook and embedded in its HTML export
    executed = nbformat.read(run.run_dir / "dataset_profile.ipynb", as_version=4)
    images = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs
              if "image/png" in o.get("data", {})]
    assert len(images) == 3
    html = (run.run_dir / "dataset_profile.html").read_text()
    assert len(re.findall(r'<img [^>]*src="data:image/png;base64', html)) == 3
    return results


@pytest.mark.notebook
@pytest.mark.parametrize("name", ["bank_satisfaction", "bfi", "ecsi_mobile", "spi_compassion"])
def test_dataset_profile_on_each_bundled_dataset(name, tmp_path):
    run = studies.run_study("dataset_profile", {"dataset": name}, out=tmp_path)
    frame = load_dataset(name)
    results = _profile_checks(run, frame)
    raw = pd.read_csv(PROJECT / "datasets" / f"{name}.csv", index_col=None)
    raw = raw.drop(columns=[c for c in raw.columns if c.startswith("Unnamed")])
    assert results["missing"] == {c: int(v) for c, v in raw.isna().sum().items()}
    assert results["scale_inferred"] is False
    row = list_datasets().set_index("name").loc[name]
    assert (results["n"], results["n_columns"]) == (row["rows"], row["columns"])


@pytest.mark.notebook
def test_dataset_profile_on_own_parquet_file_with_chosen_columns(tmp_path):
    frame = pd.DataFrame({"q1": [1, 2, 3, 4, np.nan, 5], "q2": [5, 4, 4, 2, 1, np.nan],
                          "segment": list("abcabc")})
    path = tmp_path / "wave.parquet"
    frame.to_parquet(path)
    run = studies.run_study("dataset_profile", {"data_path": str(path), "columns": "q1,q2",
                                                "scale_min": "1", "scale_max": "5"},
                            out=tmp_path / "r")
    results = _profile_checks(run, frame)
    assert results["items"] == ["q1", "q2"] and results["scale"] == [1.0, 5.0]
    assert results["missing"] == {"q1": 1, "q2": 1, "segment": 0}
    assert results["n_complete_items"] == 4
    assert run.record["inputs"][0]["parameter"] == "data_path"


@pytest.mark.notebook
def test_dataset_profile_unknown_column_is_refused_before_running(tmp_path):
    with pytest.raises(studies.StudyError, match=r"parameter 'columns': column 'Z9' not in "
                                                 r"data set 'bfi'; its columns are: A1, A2"):
        studies.run_study("dataset_profile", {"dataset": "bfi", "columns": "A1,Z9"},
                          out=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_readme_shows_current_cxkit_list_output():
    import contextlib
    import io

    from cxkit.cli import main

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert main(["list"]) == 0
    readme = (PROJECT / "README.md").read_text()
    block = readme.split("```text\n", 1)[1].split("```", 1)[0]
    assert block.rstrip("\n") == buffer.getvalue().rstrip("\n"), \
        "README's `cxkit list` block is stale: paste the current output"


def test_readme_shows_the_two_commands_and_existing_figures():
    readme = (PROJECT / "README.md").read_text()
    assert "make studies" in readme and "make test" in readme
    for path in NOTEBOOKS:
        assert path.stem in readme
    linked = re.findall(r"\((figures/[^)]+\.png)\)", readme)
    assert linked, "README shows no figure"
    for figure in linked:
        assert (PROJECT / figure).is_file(), figure
