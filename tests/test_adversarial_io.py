"""Adversarial inputs to cxkit.io (read_table, read_report) and cxkit.datasets (lookups,
checksums, loading, simulate_survey): only ValueError/TypeError naming the argument (or,
for a file that is not there, the path), and simulated results finite.

Missing files: :func:`cxkit.datasets.sha256_file` documents ``OSError`` for a file that
cannot be opened (``FileNotFoundError``, ``IsADirectoryError``), the way ``open`` does, and
its message names the path; those two cases, and only those, may raise them here.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxkit import datasets, io
from tests.adversarial import check_outcome, hostile_scalars, hostile_values, qualified

COVERED = qualified(io.read_table, io.read_report, datasets.cx_branch_names,
                    datasets.data_dir, datasets.dataset_info, datasets.dataset_path,
                    datasets.list_datasets, datasets.load_data, datasets.load_dataset,
                    datasets.resolve_data_source, datasets.sha256_file,
                    datasets.simulate_survey)

HOSTILE_SCALARS = hostile_scalars()  # the shared set (tests/adversarial.py)
#: Hostile values for text options of read_table (separators, encodings, formats).
HOSTILE_TEXT = [*HOSTILE_SCALARS, "ab", "\n", '"', "tab", "nope", "rot13", "base64", "hex",
                "zlib", "utf-16", "%Q", "%", "%Y", "\x00", " ", "latin-1", "."]
SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture])


@pytest.fixture
def csv_file(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text("region;ltr;when\nNA;9;2024-01-05\nEU;;2024-02-05\nNA;7;2024-03-05\n")
    return path


def _names(arguments):
    return [f"`{a}`" if not a.startswith(("'", "data_path")) else a for a in arguments]


def named(call, arguments, context=""):
    """check_outcome for results that are not tables read from a file."""
    return check_outcome(call, _names(arguments), context=context)


def read(call, arguments, context=""):
    """The contract for a table read from a file: a frame whose missing cells are exactly
    those its read record counts (never a NaN that is not reported), or a ValueError /
    TypeError naming the argument or the path."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = check_outcome(lambda: _as_text(call()), _names(arguments), context=context)
    if frame is None:
        return None
    frame = frame.attrs["frame"]
    report = io.read_report(frame)
    if report is not None:
        assert int(frame.isna().sum().sum()) == report["n_missing"], context
    return frame


def _as_text(frame):
    """Wrap a frame so check_outcome does not read its (reported) missing cells as NaN."""
    holder = pd.DataFrame()
    holder.attrs["frame"] = frame
    return holder


# --------------------------------------------------------------------------- read_table


@pytest.mark.parametrize("value", HOSTILE_SCALARS, ids=repr)
def test_read_table_hostile_path(value):
    result = named(lambda: io.read_table(value), ["data_path"], repr(value))
    assert result is None


@pytest.mark.parametrize("content", [
    b"", b"\n\n\n", b"a,b\n", b"a\n", bytes(range(256)) * 8, b"\x00" * 100,
    b"a,b\n\"1,2\n", b"a,b\n1,2,3,4\n5\n", "é;ü\n1;2\n".encode("utf-16"), b"\xff\xfe\x00",
    b"a,a,a\n1,2,3\n", b",,\n,,\n", b"a,b\n1,\x002\n", b"\xef\xbb\xbf", b"x" * 10_000,
], ids=lambda c: repr(c[:12]))
@pytest.mark.parametrize("suffix", [".csv", ".txt", ".tsv", ".xlsx", ".parquet", ".sav",
                                    ".pq"])
def test_read_table_hostile_content(tmp_path, content, suffix):
    """Empty, header-only, binary garbage, NUL bytes, unbalanced quotes, ragged rows."""
    path = tmp_path / f"export{suffix}"
    path.write_bytes(content)
    frame = read(lambda: io.read_table(path), ["data_path"], f"{suffix} {content[:12]!r}")
    if frame is not None:
        assert isinstance(frame, pd.DataFrame)
        assert io.read_report(frame)["source"]["bytes"] == len(content)


@pytest.mark.parametrize("where", ["directory", "missing", "unknown_suffix", "no_suffix",
                                   "empty_string", "missing_folder"])
def test_read_table_paths_that_are_not_readable_files(tmp_path, where):
    (tmp_path / "data.json").write_text("{}")
    (tmp_path / "data").write_text("a,b\n1,2\n")
    path = {"directory": tmp_path, "missing": tmp_path / "gone.csv",
            "unknown_suffix": tmp_path / "data.json", "no_suffix": tmp_path / "data",
            "empty_string": "", "missing_folder": tmp_path / "no" / "such.csv"}[where]
    with pytest.raises(ValueError, match="data_path"):
        io.read_table(path)


@pytest.mark.parametrize("value", HOSTILE_TEXT, ids=repr)
@pytest.mark.parametrize("option", ["sep", "decimal", "encoding", "date_format"])
def test_read_table_hostile_text_options(csv_file, option, value):
    frame = read(lambda: io.read_table(csv_file, **{option: value}), [option, "data_path"],
                  f"{option}={value!r}")
    if frame is not None:
        assert isinstance(frame, pd.DataFrame)


@pytest.mark.parametrize("value", [*HOSTILE_SCALARS, ["x", 1], {"ltr": 3}, {"zz": ["x"]},
                                   {("a", "b"): "x"}, frozenset({"NA"}), ("NA",)], ids=repr)
def test_read_table_hostile_na_values(csv_file, value):
    frame = read(lambda: io.read_table(csv_file, na_values=value), ["na_values"], repr(value))
    if frame is not None:
        assert isinstance(frame, pd.DataFrame)


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "book.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"ltr": [9, 7]}).to_excel(writer, sheet_name="wave1", index=False)
        pd.DataFrame({"ltr": [3]}).to_excel(writer, sheet_name="2", index=False)
    return path


@pytest.mark.parametrize("value", [*HOSTILE_SCALARS, "wave1", "nope", "2", "7", -1, 10**20,
                                   "-1", " 1"], ids=repr)
def test_read_table_hostile_sheet(workbook, value):
    frame = read(lambda: io.read_table(workbook, sheet=value), ["sheet"], repr(value))
    if frame is not None:
        assert "ltr" in frame.columns


@pytest.mark.parametrize("option", ["sep", "decimal", "encoding"])
def test_text_options_on_a_workbook_are_refused(workbook, option):
    with pytest.raises(ValueError, match=option):
        io.read_table(workbook, **{option: ";" if option == "sep" else "," if
                                   option == "decimal" else "utf-8"})


@SETTINGS
@given(hostile=hostile_values(lo=0, hi=10, min_size=1, max_size=20),
       sep=st.sampled_from([",", ";", "\t", "|"]), decimal=st.sampled_from([".", ","]))
def test_any_written_frame_reads_back(tmp_path, hostile, sep, decimal):
    """A frame of hostile values written as CSV reads back (or is refused by name)."""
    kind, values = hostile
    if decimal == "," and sep == ",":
        sep = ";"
    path = tmp_path / "roundtrip.csv"
    pd.DataFrame({"x": values, "y": "a"}).to_csv(path, sep=sep, decimal=decimal, index=False)
    frame = read(lambda: io.read_table(path, sep=sep, decimal=decimal), ["data_path"], kind)
    if frame is not None:
        assert len(frame) == len(values)


def test_bad_date_format_is_refused_by_name(csv_file):
    """Regression: a bad strftime directive raised pandas' unnamed ValueError."""
    with pytest.raises(ValueError, match="`date_format`"):
        io.read_table(csv_file, date_format="%Q")


@pytest.mark.parametrize("encoding", ["rot13", "base64", "hex", "zlib"])
def test_codec_that_is_not_a_text_encoding_is_refused_by_name(csv_file, encoding):
    """Regression: a binary codec (base64, zlib, ...) raised LookupError."""
    with pytest.raises(ValueError, match="`encoding`"):
        io.read_table(csv_file, encoding=encoding)


def test_empty_path_is_refused_as_empty():
    """Regression: '' was read as the current folder ("data_path '.': is not a file")."""
    with pytest.raises(ValueError, match="`data_path` is empty"):
        io.read_table("")


# --------------------------------------------------------------------------- read_report


@pytest.mark.parametrize("value", [*HOSTILE_SCALARS, pd.DataFrame(), pd.Series([1.0])],
                         ids=repr)
def test_read_report_of_anything_is_none_or_a_report(value):
    assert named(lambda: io.read_report(value), ["frame"]) is None


@pytest.mark.parametrize("record", [
    {"source": {}}, {"source": {"path": object()}, "missing": {}},
    {"source": {}, "missing": {"a": {"empty": "3"}}}, {"source": {}, "missing": {"a": 1}},
    {"source": {}, "notes": None}, {"source": {}, "labels": ["x"]},
    {"source": {}, "missing": {"a": {"empty": math.nan}}},
    {"source": {}, "value_labels": {"a": 1}}, {"source": 3},
])
def test_read_report_of_a_tampered_record(record):
    frame = pd.DataFrame({"a": [1]})
    frame.attrs["cxkit"] = record
    report = named(lambda: io.read_report(frame), ["frame"], repr(record))
    if report is not None:
        import json

        json.dumps(report, allow_nan=False)


# --------------------------------------------------------------------------- datasets


@pytest.mark.parametrize("value", [*HOSTILE_SCALARS, "BFI", "bfi ", "../bfi", "nope"],
                         ids=repr)
@pytest.mark.parametrize("function", [datasets.dataset_info, datasets.dataset_path,
                                      datasets.load_dataset], ids=lambda f: f.__name__)
def test_unknown_or_hostile_dataset_names(function, value):
    assert named(lambda: function(value), ["name"], repr(value)) is None


@pytest.mark.parametrize("value", [v for v in HOSTILE_SCALARS if not isinstance(v, bool)],
                         ids=repr)
def test_load_dataset_hostile_verify(value):
    """Regression: any truthy or falsy object passed as `verify` (None skipped the check)."""
    assert named(lambda: datasets.load_dataset("spi_compassion", verify=value),
                 ["verify"], repr(value)) is None


def test_lookups_without_arguments():
    assert datasets.data_dir().is_absolute()
    table = datasets.list_datasets()
    assert list(table["name"]) == sorted(datasets.DATASETS)
    assert (table[["rows", "columns"]] > 0).all().all()


def test_data_dir_override_to_an_empty_folder(tmp_path, monkeypatch):
    """Bundled files missing: FileNotFoundError naming the file (documented)."""
    monkeypatch.setenv("CXKIT_DATA_DIR", str(tmp_path))
    assert datasets.data_dir() == tmp_path.resolve()
    with pytest.raises(FileNotFoundError, match="bfi.csv"):
        datasets.load_dataset("bfi")


@pytest.mark.parametrize("value", HOSTILE_SCALARS, ids=repr)
def test_sha256_file_hostile_path(value, tmp_path, monkeypatch):
    """Regression: an int was taken as a file descriptor (0 read standard input)."""
    monkeypatch.chdir(tmp_path)
    if isinstance(value, str) and value:
        # a text naming no file: the documented OSError of open(), naming the path
        with pytest.raises(FileNotFoundError, match=value):
            datasets.sha256_file(value)
        return
    assert named(lambda: datasets.sha256_file(value), ["path"], repr(value)) is None


def test_sha256_file_missing_or_directory_raises_os_error_naming_the_path(tmp_path):
    # documented OSError (as open() raises): the only cases allowed outside ValueError
    with pytest.raises(FileNotFoundError, match="gone.bin"):
        datasets.sha256_file(tmp_path / "gone.bin")
    with pytest.raises(IsADirectoryError):
        datasets.sha256_file(tmp_path)
    (tmp_path / "empty.bin").write_bytes(b"")
    assert datasets.sha256_file(tmp_path / "empty.bin") == (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")


@pytest.mark.parametrize("value", HOSTILE_SCALARS, ids=repr)
@pytest.mark.parametrize("argument", ["dataset", "data_path"])
def test_resolve_data_source_hostile(argument, value):
    kwargs = {"dataset": "bfi", argument: value}
    result = named(lambda: datasets.resolve_data_source(**kwargs), [argument, "data_path",
                                                                    "data source"],
                   f"{argument}={value!r}")
    if result is not None:
        assert result.is_file()


@pytest.mark.parametrize("value", HOSTILE_SCALARS, ids=repr)
@pytest.mark.parametrize("argument", ["sep", "decimal", "encoding", "date_format", "sheet",
                                      "na_values"])
def test_load_data_hostile_read_options(csv_file, argument, value):
    for source in ({"data_path": csv_file}, {"dataset": "spi_compassion"}):
        frame = read(lambda source=source: datasets.load_data(**source, **{argument: value}),
                      [argument, "data_path"], f"{source} {argument}={value!r}")
        if frame is not None:
            assert isinstance(frame, pd.DataFrame)


@pytest.mark.parametrize("value", HOSTILE_SCALARS, ids=repr)
@pytest.mark.parametrize("argument", ["n_regions", "n_branches"])
def test_cx_branch_names_hostile(argument, value):
    """Regression: 0 regions raised range()'s error, 5 an IndexError, text a TypeError."""
    kwargs = {"n_regions": 2, "n_branches": 5, argument: value}
    names = named(lambda: datasets.cx_branch_names(**kwargs), [argument],
                  f"{argument}={value!r}")
    if names is not None:
        assert len(names) == kwargs["n_branches"] if argument == "n_branches" else True
        assert len(set(names)) == len(names)


@pytest.mark.parametrize(("n_regions", "n_branches"), [(0, 5), (5, 10), (3, 2), (1, 10**6)])
def test_cx_branch_names_out_of_range(n_regions, n_branches):
    with pytest.raises(ValueError, match="`n_"):
        datasets.cx_branch_names(n_regions, n_branches)


@settings(max_examples=30, deadline=None)
@given(n_regions=st.integers(1, 4), extra=st.integers(0, 30))
def test_cx_branch_names_match_the_programme(n_regions, extra):
    names = datasets.cx_branch_names(n_regions, n_regions + extra)
    assert len(names) == n_regions + extra == len(set(names))


# --------------------------------------------------------------------------- simulate_survey


SURVEY = {"n": 20, "loadings": [0.7, 0.6, 0.5], "rng": 0}


@pytest.mark.parametrize("value", HOSTILE_SCALARS, ids=repr)
@pytest.mark.parametrize("argument", ["n", "loadings", "reverse", "scale", "thresholds",
                                      "rng", "item_names"])
def test_simulate_survey_hostile_argument(argument, value):
    kwargs = {**SURVEY, argument: value}
    sim = named(lambda: datasets.simulate_survey(**kwargs), [argument],
                f"{argument}={value!r}")
    if sim is not None:
        assert sim.data.shape[1] == 3 and np.isfinite(sim.alpha)


@pytest.mark.parametrize(("argument", "value"), [
    ("loadings", [0.7]), ("loadings", [[0.7, 0.8], [0.5, 0.5]]), ("loadings", [1.0, 0.5]),
    ("loadings", [[[0.5]]]), ("loadings", np.zeros((3, 0))), ("loadings", [0.5, "a", 0.4]),
    ("loadings", [0.5, math.nan, 0.4]), ("loadings", [True, False, True]),
    ("loadings", pd.Series([0.5, 0.4, pd.NA], dtype="Float64")),
    ("scale", (5, 1)), ("scale", (1, 1)), ("scale", (0, 200)), ("scale", (1.5, 5)),
    ("scale", (1, "5")), ("scale", (1, math.nan)), ("scale", (1, math.inf)),
    ("scale", (1, 2, 3)), ("scale", {1: 5}), ("scale", (1, 10**20)),
    ("thresholds", [0, 1, 2]), ("thresholds", [2, 1, 0, -1]), ("thresholds", [0, 0, 1, 2]),
    ("thresholds", [-1, 0, 1, math.inf]), ("thresholds", np.zeros((2, 4))),
    ("thresholds", [[-1, 0, 1, 2]] * 3), ("reverse", ["item_9"]), ("reverse", ["item_1"] * 2),
    ("reverse", [1]), ("reverse", b"item_1"), ("item_names", ["a", "b"]),
    ("item_names", ["a", "a", "b"]), ("item_names", ["a", "", "b"]),
    ("item_names", ["a", 2, "b"]), ("item_names", "abc"), ("n", 10**12), ("n", 1),
    ("rng", np.random.RandomState(0)), ("rng", -5),
])
def test_simulate_survey_structural_errors(argument, value):
    kwargs = {**SURVEY, argument: value}
    sim = named(lambda: datasets.simulate_survey(**kwargs), [argument],
                f"{argument}={value!r}")
    if sim is not None:  # e.g. thresholds given per item, or a valid variant
        assert np.isfinite(sim.alpha)


@settings(max_examples=15, deadline=None)
@given(k=st.integers(2, 5), n=st.integers(2, 60), lo=st.integers(-3, 3),
       categories=st.integers(2, 8), seed=st.integers(0, 2**32 - 1),
       loading=st.floats(-0.95, 0.95))
def test_simulate_survey_valid_models_are_consistent(k, n, lo, categories, seed, loading):
    sim = check_outcome(lambda: datasets.simulate_survey(
        n, loadings=[loading] * k, scale=(lo, lo + categories - 1), rng=seed),
        ["`loadings`"], context="valid model")
    assert sim.data.shape == (n, k)
    values = sim.data.to_numpy(dtype=float)
    assert ((values >= lo) & (values <= lo + categories - 1)).all()
    assert np.isfinite(sim.alpha) and np.isfinite(sim.omega_latent)


def test_unidentified_omega_says_why():
    """Regression: two items and one factor gave omega NaN without a word."""
    with pytest.warns(UserWarning, match="at least 3 items"):
        sim = datasets.simulate_survey(50, loadings=[0.6, 0.5], rng=0)
    assert math.isnan(sim.omega) and np.isfinite(sim.alpha)


def test_simulate_survey_size_is_capped():
    """Regression: n = 10**12 tried to allocate terabytes (MemoryError)."""
    with pytest.raises(ValueError, match="`n` must be at most"):
        datasets.simulate_survey(10**12, loadings=[0.5, 0.5], rng=0)

