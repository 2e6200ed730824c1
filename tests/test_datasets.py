"""Tests of cxkit.datasets: bundled files, checksums, dtypes, and the data-source rule."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from cxkit import datasets as ds
from cxkit.datasets import (
    DATASETS,
    data_dir,
    dataset_info,
    dataset_path,
    list_datasets,
    load_data,
    load_dataset,
    resolve_data_source,
    sha256_file,
)

REPO_DATA = Path(__file__).resolve().parent.parent / "datasets"
NAMES = ["bank_satisfaction", "bfi", "cx_programme", "ecsi_mobile", "spi_compassion"]
KNOWN = "known data sets: bank_satisfaction, bfi, cx_programme, ecsi_mobile, spi_compassion"
SHAPES = {
    "bank_satisfaction": (250, 28),
    "bfi": (2800, 28),
    "cx_programme": (5000, 13),
    "ecsi_mobile": (250, 24),
    "spi_compassion": (4000, 8),
}


@pytest.fixture(autouse=True)
def _default_data_dir(monkeypatch):
    """Every test starts from the repository's datasets/ unless it sets the variable."""
    monkeypatch.delenv("CXKIT_DATA_DIR", raising=False)


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A copy of datasets/ in tmp_path, made the data folder through CXKIT_DATA_DIR."""
    copy = tmp_path / "data"
    shutil.copytree(REPO_DATA, copy)
    monkeypatch.setenv("CXKIT_DATA_DIR", str(copy))
    return copy


def _sums(directory: Path) -> dict[str, str]:
    lines = (directory / "SHA256SUMS").read_text().splitlines()
    return {line.split()[1]: line.split()[0] for line in lines if line.strip()}


# --------------------------------------------------------------------------- files


def test_registry_names_and_files():
    assert list(DATASETS) == NAMES
    for name in NAMES:
        info = DATASETS[name]
        assert info.name == name
        assert info.filename == f"{name}.csv"
        assert (REPO_DATA / info.filename).is_file()


def test_sha256sums_lists_every_bundled_file_sorted():
    lines = (REPO_DATA / "SHA256SUMS").read_text().splitlines()
    assert [line.split("  ")[1] for line in lines] == sorted(f"{n}.csv" for n in NAMES)
    for line in lines:
        digest, filename = line.split("  ")
        assert len(digest) == 64 and digest == digest.lower()
        int(digest, 16)


@pytest.mark.parametrize("name", NAMES)
def test_checksums_match_sha256sums(name):
    path = REPO_DATA / f"{name}.csv"
    independent = hashlib.sha256(path.read_bytes()).hexdigest()
    assert sha256_file(path) == independent
    assert _sums(REPO_DATA)[path.name] == independent


def test_sha256sum_tool_agrees_when_available():
    if shutil.which("sha256sum") is None:
        pytest.skip("sha256sum not installed")
    result = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=REPO_DATA,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_sha256_file_streams_files_larger_than_one_chunk(tmp_path):
    path = tmp_path / "big.bin"
    payload = bytes(range(256)) * 9000 + b"tail"  # > 2 MiB chunks of 1 MiB
    path.write_bytes(payload)
    assert sha256_file(path) == hashlib.sha256(payload).hexdigest()
    assert sha256_file(str(path)) == hashlib.sha256(payload).hexdigest()


def test_data_dir_default_and_override(tmp_path, monkeypatch):
    assert data_dir() == REPO_DATA
    assert dataset_path("bfi") == REPO_DATA / "bfi.csv"
    monkeypatch.setenv("CXKIT_DATA_DIR", str(tmp_path))
    assert data_dir() == tmp_path.resolve()
    assert dataset_path("bfi") == tmp_path.resolve() / "bfi.csv"
    monkeypatch.setenv("CXKIT_DATA_DIR", "")
    assert data_dir() == REPO_DATA


# --------------------------------------------------------------------------- list


def test_list_datasets_shape_columns_values():
    table = list_datasets()
    assert list(table.columns) == ["name", "description", "rows", "columns", "licence"]
    assert table.shape == (5, 5)
    assert table["name"].tolist() == NAMES
    shapes = {row.name: (row.rows, row.columns) for row in table.itertuples(index=False)}
    assert shapes == SHAPES
    real = table["name"] != "cx_programme"  # simulated by cxkit: its own licence
    assert table.loc[real, "licence"].str.contains("GPL").all()
    assert table.loc[~real, "licence"].str.contains("BSD-3-Clause").all()
    assert (table["description"].str.len() > 20).all()


def test_list_datasets_matches_loaded_shapes():
    table = list_datasets().set_index("name")
    for name in NAMES:
        frame = load_dataset(name)
        assert (table.loc[name, "rows"], table.loc[name, "columns"]) == frame.shape


# --------------------------------------------------------------------------- load


@pytest.mark.parametrize("name", NAMES)
def test_items_are_nullable_int_within_scale(name):
    info = dataset_info(name)
    frame = load_dataset(name)
    assert frame.shape == SHAPES[name]
    assert set(info.items) <= set(frame.columns)
    low, high = info.scale
    for item in info.items:
        assert str(frame[item].dtype) == "Int64", item
        assert frame[item].min() >= low and frame[item].max() <= high, item
    assert set(info.items) == {i for block in info.blocks.values() for i in block}
    assert set(info.reverse_keyed) <= set(info.items)


def test_index_of_row_named_data_sets():
    for name in ("ecsi_mobile", "bank_satisfaction"):
        frame = load_dataset(name)
        assert frame.index.name == "respondent"
        assert frame.index.tolist() == list(range(1, 251))
        assert "Unnamed: 0" not in frame.columns and "" not in frame.columns
    for name in ("bfi", "spi_compassion"):
        assert isinstance(load_dataset(name).index, pd.RangeIndex)


def test_bfi_dtypes_and_codings():
    bfi = load_dataset("bfi")
    assert isinstance(bfi["gender"].dtype, pd.CategoricalDtype)
    assert not bfi["gender"].cat.ordered
    assert bfi["gender"].value_counts().to_dict() == {"female": 1881, "male": 919}
    education = bfi["education"]
    assert isinstance(education.dtype, pd.CategoricalDtype) and education.cat.ordered
    assert list(education.cat.categories) == [
        "HS", "finished HS", "some college", "college graduate", "graduate degree"]
    raw = pd.read_csv(REPO_DATA / "bfi.csv")
    # codes map one to one onto the category positions
    assert (education.cat.codes + 1).tolist() == raw["education"].fillna(0).astype(int).tolist()
    assert str(bfi["age"].dtype) == "Int64"
    assert dataset_info("bfi").reverse_keyed == ("A1", "C4", "C5", "E1", "E2", "O2", "O5")


def test_spi_dtypes_and_codings():
    spi = load_dataset("spi_compassion")
    assert str(spi["age"].dtype) == "Int64"
    assert not spi["sex"].cat.ordered
    assert spi["sex"].value_counts().to_dict() == {"female": 2348, "male": 1598}
    assert spi["education"].cat.ordered
    assert len(spi["education"].cat.categories) == 8
    assert spi["education"].value_counts(sort=False).tolist() == \
        [394, 369, 1060, 260, 123, 567, 165, 392]
    assert dataset_info("spi_compassion").reverse_keyed == ()


def test_bank_gender_is_categorical():
    bank = load_dataset("bank_satisfaction")
    assert isinstance(bank["gender"].dtype, pd.CategoricalDtype)
    assert not bank["gender"].cat.ordered
    assert bank["gender"].value_counts().to_dict() == {"female": 148, "male": 102}
    assert "loy3" in dataset_info("bank_satisfaction").items
    assert dataset_info("bank_satisfaction").scale == (0, 10)


def test_values_equal_plain_pandas_read():
    for name in NAMES:
        info = dataset_info(name)
        raw = pd.read_csv(REPO_DATA / info.filename)
        frame = load_dataset(name)
        for item in info.items:
            assert frame[item].astype("float64").tolist() == pytest.approx(
                raw[item].astype("float64").tolist(), nan_ok=True), item


def test_bfi_missing_counts_match_raw_csv():
    raw = pd.read_csv(REPO_DATA / "bfi.csv")
    loaded = load_dataset("bfi")
    assert loaded.isna().sum().to_dict() == raw.isna().sum().to_dict()
    assert int(raw.isna().sum().sum()) == 731
    assert int(loaded[list(dataset_info("bfi").items)].isna().sum().sum()) == 508
    assert loaded.isna().sum()[["N4", "O2", "education"]].tolist() == [36, 0, 223]


def test_missing_counts_of_other_data_sets():
    spi = load_dataset("spi_compassion")
    assert spi.isna().sum().to_dict() == {
        "age": 0, "sex": 54, "education": 670,
        "q_253": 0, "q_90": 0, "q_1763": 0, "q_851": 0, "q_1832": 0}
    assert int(load_dataset("ecsi_mobile").isna().sum().sum()) == 0
    assert int(load_dataset("bank_satisfaction").isna().sum().sum()) == 0


def test_ecsi_cusl3_is_one_to_ten():
    ecsi = load_dataset("ecsi_mobile")
    assert ecsi["CUSL3"].min() == 1 and ecsi["CUSL3"].max() == 10
    assert dataset_info("ecsi_mobile").scale == (1, 10)


# --------------------------------------------------------------------------- integrity


def test_copied_data_dir_loads(data_copy):
    assert data_dir() == data_copy.resolve()
    assert load_dataset("ecsi_mobile").shape == (250, 24)


def test_tampered_file_raises_naming_file_and_checksums(data_copy):
    path = data_copy / "bfi.csv"
    expected = sha256_file(path)
    content = bytearray(path.read_bytes())
    position = content.index(b"\n") + 1  # first data byte ("2" of A1)
    content[position] = ord("5")
    path.write_bytes(bytes(content))
    actual = sha256_file(path)
    assert actual != expected
    with pytest.raises(ValueError) as info:
        load_dataset("bfi")
    message = str(info.value)
    assert str(path.resolve()) in message
    assert expected in message and actual in message
    assert "modified" in message
    # the untouched data sets still load, and verify=False reads the tampered file
    assert load_dataset("ecsi_mobile").shape == (250, 24)
    assert load_dataset("bfi", verify=False)["A1"].iloc[0] == 5
    with pytest.raises(ValueError, match="checksum mismatch"):
        load_data(dataset="bfi")


def test_missing_file_raises(data_copy):
    (data_copy / "spi_compassion.csv").unlink()
    with pytest.raises(FileNotFoundError, match="spi_compassion.csv.*does not exist"):
        load_dataset("spi_compassion")


def test_file_missing_from_sha256sums_raises(data_copy):
    sums = data_copy / "SHA256SUMS"
    kept = [line for line in sums.read_text().splitlines() if "ecsi_mobile" not in line]
    sums.write_text("\n".join(kept) + "\n")
    with pytest.raises(ValueError, match="'ecsi_mobile.csv' is not listed in"):
        load_dataset("ecsi_mobile")
    assert load_dataset("ecsi_mobile", verify=False).shape == (250, 24)
    assert load_dataset("bfi").shape == (2800, 28)


def test_missing_sha256sums_raises(data_copy):
    (data_copy / "SHA256SUMS").unlink()
    with pytest.raises(FileNotFoundError, match="SHA256SUMS"):
        load_dataset("bfi")


def test_malformed_sha256sums_raises(data_copy):
    (data_copy / "SHA256SUMS").write_text("not a checksum line\n")
    with pytest.raises(ValueError, match="line 1 is not in sha256sum format"):
        load_dataset("bfi")


def test_out_of_scale_value_is_reported(data_copy):
    path = data_copy / "bfi.csv"
    text = path.read_text().splitlines()
    first = text[1].split(",")
    first[0] = "7"  # A1 on a 1-6 scale
    text[1] = ",".join(first)
    path.write_text("\n".join(text) + "\n")
    with pytest.raises(ValueError, match=r"column 'A1' .* 1 values outside 1-6 \(e.g. 7\)"):
        load_dataset("bfi", verify=False)


def test_undocumented_code_is_reported(data_copy):
    path = data_copy / "bfi.csv"
    text = path.read_text().splitlines()
    first = text[1].split(",")
    first[25] = "3"  # gender has codes 1, 2 only
    text[1] = ",".join(first)
    path.write_text("\n".join(text) + "\n")
    with pytest.raises(ValueError, match=r"column 'gender' .* values \[3\]"):
        load_dataset("bfi", verify=False)


# --------------------------------------------------------------------------- names


def test_unknown_name_lists_known_names():
    with pytest.raises(ValueError) as info:
        load_dataset("x")
    assert str(info.value) == f"unknown dataset 'x' (`name`); {KNOWN}"
    for function in (dataset_info, dataset_path):
        with pytest.raises(ValueError, match=KNOWN):
            function("mobi")


@pytest.mark.parametrize("bad", [None, 3, ["bfi"], Path("bfi")])
def test_non_string_name_raises_type_error(bad):
    with pytest.raises(TypeError):
        load_dataset(bad)
    with pytest.raises(TypeError):
        dataset_info(bad)


def test_registry_is_read_only():
    with pytest.raises(TypeError):
        DATASETS["new"] = DATASETS["bfi"]  # type: ignore[index]
    with pytest.raises(AttributeError):
        DATASETS["bfi"].scale = (0, 10)  # type: ignore[misc]
    with pytest.raises(TypeError):
        DATASETS["bfi"].categorical["gender"][3] = "other"  # type: ignore[index]


# --------------------------------------------------------------------------- data sources


@pytest.fixture
def small_frame():
    return pd.DataFrame({"score": [10, 9, 0, 7], "segment": ["a", "b", "a", "b"]})


def test_resolve_bundled_name():
    assert resolve_data_source("bfi") == dataset_path("bfi")
    assert resolve_data_source(dataset="ecsi_mobile", data_path=None) == \
        REPO_DATA / "ecsi_mobile.csv"
    assert resolve_data_source("bfi", "") == dataset_path("bfi")


def test_resolve_and_load_csv(tmp_path, small_frame):
    path = tmp_path / "survey.csv"
    small_frame.to_csv(path, index=False)
    assert resolve_data_source(data_path=path) == path.resolve()
    assert resolve_data_source(data_path=str(path)) == path.resolve()
    pd.testing.assert_frame_equal(load_data(data_path=str(path)), small_frame)


def test_resolve_and_load_parquet(tmp_path, small_frame):
    pytest.importorskip("pyarrow")
    for suffix in (".parquet", ".pq", ".PARQUET"):
        path = tmp_path / f"survey{suffix}"
        small_frame.to_parquet(path, index=False)
        assert resolve_data_source(data_path=path) == path.resolve()
        loaded = load_data(data_path=path)
        assert loaded["score"].tolist() == [10, 9, 0, 7]
        assert loaded["segment"].tolist() == ["a", "b", "a", "b"]


def test_data_path_wins_over_dataset(tmp_path, small_frame):
    path = tmp_path / "survey.csv"
    small_frame.to_csv(path, index=False)
    assert resolve_data_source(dataset="bfi", data_path=path) == path.resolve()
    assert load_data(dataset="bfi", data_path=path).shape == (4, 2)
    # an unknown name does not matter when a path is given
    assert resolve_data_source(dataset="nope", data_path=path) == path.resolve()


def test_load_data_by_name_equals_load_dataset():
    pd.testing.assert_frame_equal(load_data("bank_satisfaction"),
                                  load_dataset("bank_satisfaction"))
    pd.testing.assert_frame_equal(load_data(dataset="bfi", data_path=""), load_dataset("bfi"))


def test_missing_path(tmp_path):
    missing = tmp_path / "nope.csv"
    with pytest.raises(ValueError, match=r"data_path '.*nope\.csv' does not exist"):
        resolve_data_source(data_path=missing)
    with pytest.raises(ValueError, match="does not exist"):
        load_data(dataset="bfi", data_path=str(missing))


def test_directory_path(tmp_path):
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    with pytest.raises(ValueError, match=r"data_path '.*folder\.csv' is not a file"):
        resolve_data_source(data_path=folder)
    with pytest.raises(ValueError, match="is not a file"):
        load_data(data_path=tmp_path)


def test_bad_suffix(tmp_path):
    path = tmp_path / "survey.json"
    path.write_bytes(b"{}")
    with pytest.raises(ValueError,
                       match=r"has suffix '\.json'; expected one of \.csv, \.tsv, \.txt, "
                             r"\.xlsx, \.sav, \.parquet, \.pq"):
        resolve_data_source(data_path=path)
    bare = tmp_path / "survey"
    bare.write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match="has no suffix; expected one of .csv"):
        load_data(data_path=bare)


@pytest.mark.parametrize("dataset, data_path", [(None, None), ("", ""), ("", None),
                                                (None, "")])
def test_neither_given(dataset, data_path):
    with pytest.raises(ValueError, match="dataset=.*data_path=.*one of them is needed"):
        resolve_data_source(dataset, data_path)
    with pytest.raises(ValueError, match="one of them is needed"):
        load_data(dataset, data_path)


def test_unknown_dataset_in_resolve():
    with pytest.raises(ValueError) as info:
        resolve_data_source(dataset="x")
    assert str(info.value) == f"unknown dataset 'x' (`dataset`); {KNOWN}"
    with pytest.raises(ValueError, match=KNOWN):
        load_data(dataset="x", data_path="")


def test_wrong_argument_types():
    with pytest.raises(TypeError, match="dataset"):
        resolve_data_source(dataset=5)
    with pytest.raises(TypeError, match="data_path"):
        resolve_data_source(data_path=5)


def test_unparseable_csv_gives_one_line_error(tmp_path):
    path = tmp_path / "broken.csv"
    path.write_text('a,b\n1,"unterminated\n')
    with pytest.raises(ValueError) as info:
        load_data(data_path=path)
    message = str(info.value)
    assert "\n" not in message
    assert str(path.resolve()) in message and "as CSV" in message
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(ValueError, match=r"data_path '.*empty\.csv': could not be read as CSV: "):
        load_data(data_path=empty)


def test_unparseable_parquet_gives_one_line_error(tmp_path):
    path = tmp_path / "fake.parquet"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(ValueError) as info:
        load_data(data_path=path)
    message = str(info.value)
    assert "\n" not in message
    assert str(path.resolve()) in message and "as Parquet" in message


def test_unparseable_bundled_file_is_a_value_error(data_copy):
    (data_copy / "ecsi_mobile.csv").write_text('"","CUEX1"\n"1",abc\n')
    with pytest.raises(ValueError, match="could not parse"):
        load_dataset("ecsi_mobile", verify=False)


def test_module_import_does_not_need_pandas_at_top():
    source = Path(ds.__file__).read_text()
    top_level = [line for line in source.splitlines() if line.startswith(("import ", "from "))]
    assert not any("pandas" in line for line in top_level)
