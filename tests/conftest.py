"""Shared fixtures: small throwaway studies for exercising the runner quickly."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from hypothesis import settings
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

os.environ.setdefault("MPLBACKEND", "Agg")

# Property tests draw the same examples on every run ("ci"), so a submission's CI result
# does not depend on luck; HYPOTHESIS_PROFILE=explore draws fresh ones to hunt defects.
settings.register_profile("ci", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

PROJECT = Path(__file__).resolve().parent.parent


def write_study(folder: Path, name: str, parameters: str, body: str,
                description: str = "A test study.") -> Path:
    """Write a study notebook with one tagged parameters cell."""
    params = new_code_cell(parameters)
    params.metadata["tags"] = ["parameters"]
    nb = new_notebook(cells=[new_markdown_cell(f"# {description}"), params,
                             new_code_cell(body)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


ECHO_PARAMETERS = '''wave: str = "2023"  # survey wave label
n: int = 3  # a count
ratio: float = 0.5  # a share
flag: bool = False  # a switch
items: list[str] = []  # item names
dataset: str = "ecsi_mobile"  # bundled data set
data_path: str = ""  # a CSV file
output_dir: str = "."  # where results go'''

ECHO_BODY = '''import json, pathlib
from cxkit.datasets import load_data
rows = len(load_data(dataset=dataset, data_path=data_path))
out = pathlib.Path(output_dir)
(out / "results.json").write_text(json.dumps(dict(wave=wave, n=n, ratio=ratio, flag=flag,
    items=items, rows=rows, wave_type=type(wave).__name__, n_type=type(n).__name__)))
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
fig, ax = plt.subplots()
ax.plot([1, 2], [n, n])
fig.savefig(out / "echo.png")'''


@pytest.fixture(scope="session")
def study_dir(tmp_path_factory) -> Path:
    """A notebooks folder with an echoing study, a failing one and a slow one."""
    folder = tmp_path_factory.mktemp("notebooks")
    write_study(folder, "echo", ECHO_PARAMETERS, ECHO_BODY, "Echo the parameters back.")
    write_study(folder, "failing", 'column: str = "zz"  # a column\n'
                'output_dir: str = "."  # where results go',
                'raise ValueError(f"deliberate failure: column {column!r} is not in the data")',
                "Fails on purpose.")
    write_study(folder, "slow", 'seconds: float = 60.0  # how long to sleep\n'
                'output_dir: str = "."  # where results go',
                "import time\ntime.sleep(seconds)", "Sleeps.")
    return folder
