"""Reading messy real-world exports: every fixture in tests/fixtures/messy.

The expected values come from ``truth.json``, which the generator computes from the
values it wrote, never by reading the files back.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from cxkit import studies
from cxkit.datasets import load_data
from cxkit.io import read_table

from .conftest import PROJECT

MESSY = PROJECT / "tests" / "fixtures" / "messy"
TRUTH = json.loads((MESSY / "truth.json").read_text(encoding="utf-8"))
TEXT_FILES = ["eu_semicolon.csv", "latin1.csv", "qualtrics.csv"]
ALL_FILES = TEXT_FILES + ["export.xlsx", "export.sav"]


@pytest.mark.parametrize("name", ALL_FILES)
def test_shape_and_columns(name):
    frame = read_table(MESSY / name)
    assert frame.shape == (TRUTH["n_rows"], len(TRUTH["wording"]))
    assert list(frame.columns) == list(TRUTH["wording"])


@pytest.mark.parametrize("name", TEXT_FILES + ["export.xlsx"])
def test_na_region_stays_text_and_only_empty_cells_are_missing(name):
    frame = read_table(MESSY / name)
    assert int((frame["region"] == "NA").sum()) == TRUTH["region_NA"]
    assert frame["region"].notna().all()
    assert int((frame["comment"] == "N/A").sum()) == TRUTH["comment_na_text"]
    missing = frame.attrs["cxkit"]["missing"]
    assert missing["branch"] == {"empty": TRUTH["branch_blank"], "na_values": {}}
    assert missing["comment"] == {"empty": TRUTH["comment_blank"], "na_values": {}}
    assert missing["ltr"] == {"empty": TRUTH["ltr_blank"], "na_values": {}}
    assert int(frame["branch"].isna().sum()) == TRUTH["branch_blank"]
    assert sorted(frame["branch"].dropna().unique()) == TRUTH["branches"]


@pytest.mark.parametrize("name", TEXT_FILES + ["export.xlsx"])
def test_dont_know_is_text_until_declared_missing(name):
    frame = read_table(MESSY / name)
    assert int((frame["ltr"] == "Don't know").sum()) == TRUTH["ltr_dont_know"]
    assert not pd.api.types.is_numeric_dtype(frame["ltr"])
    declared = read_table(MESSY / name, na_values=["Don't know"])
    assert pd.api.types.is_float_dtype(declared["ltr"])
    assert int(declared["ltr"].notna().sum()) == TRUTH["ltr_n"]
    assert declared.attrs["cxkit"]["missing"]["ltr"] == {
        "empty": TRUTH["ltr_blank"], "na_values": {"Don't know": TRUTH["ltr_dont_know"]}}
    scores = declared["ltr"].dropna()
    assert int((scores >= 9).sum()) == TRUTH["ltr_promoters"]
    assert int((scores <= 6).sum()) == TRUTH["ltr_detractors"]
    # per column too; other columns' "N/A" comments are untouched
    per_column = read_table(MESSY / name, na_values={"ltr": ["Don't know"]})
    assert int((per_column["comment"] == "N/A").sum()) == TRUTH["comment_na_text"]


@pytest.mark.parametrize("name, encoding, sep, decimal", [
    ("eu_semicolon.csv", "utf-8-sig", ";", ","),
    ("latin1.csv", "latin-1", ",", "."),
    ("qualtrics.csv", "utf-8-sig", ",", "."),
])
def test_text_detection(name, encoding, sep, decimal):
    frame = read_table(MESSY / name)
    source = frame.attrs["cxkit"]["source"]
    # latin-1 bytes of this file are also valid cp1252, which is tried first
    expected = {"latin-1", "cp1252"} if encoding == "latin-1" else {encoding}
    assert source["encoding"] in expected
    assert (source["sep"], source["decimal"], source["format"]) == (sep, decimal, "csv")
    assert pd.api.types.is_float_dtype(frame["spend"])
    assert frame["spend"].sum() == pytest.approx(TRUTH["spend_sum"], abs=1e-6)
    assert pd.api.types.is_datetime64_any_dtype(frame["date"])
    assert frame["date"].min() >= pd.Timestamp("2026-01-01")
    assert frame["date"].max() < pd.Timestamp("2026-07-01")
    assert pd.api.types.is_integer_dtype(frame["csat"])
    assert "Montréal" in set(frame["branch"])


def test_day_first_dates_are_noted():
    frame = read_table(MESSY / "latin1.csv")
    assert any("dates read as %d/%m/%Y" in note for note in frame.attrs["cxkit"]["notes"])


def test_qualtrics_rows_removed_and_wording_kept():
    frame = read_table(MESSY / "qualtrics.csv")
    info = frame.attrs["cxkit"]
    assert info["labels"] == TRUTH["wording"]
    assert any("Qualtrics" in note for note in info["notes"])
    assert not frame["region"].astype(str).str.startswith('{"ImportId"').any()


def test_sav_labels_and_value_labels():
    frame = read_table(MESSY / "export.sav")
    info = frame.attrs["cxkit"]
    assert info["labels"] == TRUTH["wording"]
    assert info["value_labels"]["region"] == {"1": "NA", "2": "EU"}
    assert info["value_labels"]["ltr"]["10"] == "Extremely likely"
    assert int((frame["region"] == 1).sum()) == TRUTH["region_NA"]
    assert int(frame["ltr"].notna().sum()) == TRUTH["ltr_n"]
    assert info["source"]["format"] == "sav"


def test_xlsx_sheets():
    frame = read_table(MESSY / "export.xlsx")
    assert frame.attrs["cxkit"]["source"]["sheet"] == "responses"
    about = read_table(MESSY / "export.xlsx", sheet="About")
    assert about.shape[0] == 0 and about.shape[1] == 1
    with pytest.raises(ValueError, match=r"`sheet` 'nope' is not in 'export.xlsx'; its sheets "
                                         r"are: 'responses', 'About'"):
        read_table(MESSY / "export.xlsx", sheet="nope")


def test_checksum_is_of_the_bytes_read():
    import hashlib

    for name in ALL_FILES:
        path = MESSY / name
        source = read_table(path).attrs["cxkit"]["source"]
        assert source["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert source["bytes"] == path.stat().st_size


def test_options_are_checked():
    with pytest.raises(ValueError, match="`sep` must be one character"):
        read_table(MESSY / "latin1.csv", sep=";;")
    with pytest.raises(ValueError, match="`decimal` must be '.' or ','"):
        read_table(MESSY / "latin1.csv", decimal="x")
    with pytest.raises(ValueError, match="`encoding` 'klingon' is not a known text encoding"):
        read_table(MESSY / "latin1.csv", encoding="klingon")
    with pytest.raises(ValueError, match=r"latin1\.csv'?: is not valid utf-8 text"):
        read_table(MESSY / "latin1.csv", encoding="utf-8")
    with pytest.raises(ValueError, match="sep apply to text files; 'export.sav' is sav"):
        read_table(MESSY / "export.sav", sep=";")
    with pytest.raises(TypeError, match="`sheet` must be"):
        read_table(MESSY / "export.xlsx", sheet=1.5)
    with pytest.raises(ValueError, match="`na_values` names column"):
        read_table(MESSY / "latin1.csv", na_values={"nope": ["x"]})


def test_explicit_options_override_detection():
    frame = read_table(MESSY / "eu_semicolon.csv", sep=";", decimal=",", encoding="utf-8-sig",
                       date_format="%d/%m/%Y")
    assert frame["spend"].sum() == pytest.approx(TRUTH["spend_sum"], abs=1e-6)
    wrong = read_table(MESSY / "eu_semicolon.csv", decimal=".")
    assert not pd.api.types.is_numeric_dtype(wrong["spend"])  # "12,50" is not a number


def test_ambiguous_dates_stay_text_with_a_note(tmp_path):
    path = tmp_path / "dates.csv"
    path.write_text("when,x\n01/02/2026,1\n03/04/2026,2\n")
    frame = read_table(path)
    assert frame["when"].tolist() == ["01/02/2026", "03/04/2026"]
    assert any("pass date_format" in n for n in frame.attrs["cxkit"]["notes"])
    typed = read_table(path, date_format="%m/%d/%Y")
    assert typed["when"].tolist() == [pd.Timestamp("2026-01-02"), pd.Timestamp("2026-03-04")]


def test_load_data_passes_options_and_refuses_them_for_bundled_data():
    frame = load_data(data_path=MESSY / "eu_semicolon.csv", na_values=["Don't know"])
    assert int(frame["ltr"].notna().sum()) == TRUTH["ltr_n"]
    with pytest.raises(ValueError, match="`sep` applies to files given by data_path"):
        load_data(dataset="bfi", sep=";")


@pytest.mark.notebook
def test_nps_study_on_the_spss_export_through_the_runner(tmp_path):
    import hashlib

    path = MESSY / "export.sav"
    run = studies.run_study("nps_study", {"data_path": str(path), "score": "ltr",
                                          "segment": "branch", "time": "date", "freq": "M"},
                            out=tmp_path)
    assert run.ok, run.error
    overall = run.results["overall"]
    assert overall["n"] == TRUTH["ltr_n"]
    assert overall["n_missing"] == TRUTH["n_rows"] - TRUTH["ltr_n"]
    assert overall["counts"]["promoters"] == TRUTH["ltr_promoters"]
    assert overall["counts"]["detractors"] == TRUTH["ltr_detractors"]
    assert overall["estimate"] == pytest.approx(TRUTH["nps"], abs=1e-12)
    # the blank branches are a segment of their own in the pairwise table, not a crash
    labels = {p["segment_b"] for p in run.results["pairwise"]} | {
        p["segment_a"] for p in run.results["pairwise"]}
    assert "(missing)" in labels and set(TRUTH["branches"]) <= labels
    read = run.record["read"]
    assert read[0]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert read[0]["rows"] == TRUTH["n_rows"]


@pytest.mark.notebook
def test_empathy_reliability_on_the_european_csv_through_the_runner(tmp_path):
    import pingouin as pg

    items = ["emp1", "emp2", "emp3", "emp4", "emp5"]
    run = studies.run_study("empathy_reliability",
                            {"data_path": str(MESSY / "eu_semicolon.csv"), "items": items,
                             "reverse": ["emp3"], "scale_min": 1, "scale_max": 5,
                             "group": "branch", "n_resamples": 0}, out=tmp_path)
    assert run.ok, run.error
    read = run.results["read"]
    assert (read["source"]["sep"], read["source"]["decimal"]) == (";", ",")
    assert read["missing"]["branch"] == {"empty": TRUTH["branch_blank"], "na_values": {}}
    # independent: pandas told the format explicitly, emp3 re-keyed by hand, pingouin's alpha
    plain = pd.read_csv(MESSY / "eu_semicolon.csv", sep=";", decimal=",",
                        encoding="utf-8-sig", keep_default_na=False)
    plain["emp3"] = 6 - plain["emp3"]
    expected = pg.cronbach_alpha(plain[items])[0]
    assert run.results["alpha"]["alpha"] == pytest.approx(expected, abs=1e-12)
    assert run.results["alpha"]["n"] == TRUTH["n_rows"]
    # the branches do not differ on empathy in this simulation (ICC(1) <= 0): reported, no crash
    group = run.results["group"]
    assert group["icc1"] <= 0 and group["responses_needed"] is None
    assert group["groups_differ"] is False
    assert any("do not differ more than chance" in c for c in run.results["caveats"])


@pytest.mark.notebook
def test_dataset_profile_on_the_qualtrics_export_through_the_runner(tmp_path):
    items = ["csat", "emp1", "emp2", "emp3", "emp4", "emp5"]
    run = studies.run_study("dataset_profile",
                            {"data_path": str(MESSY / "qualtrics.csv"), "columns": items,
                             "na_values": ["Don't know"]}, out=tmp_path)
    assert run.ok, run.error
    results = run.results
    assert results["n"] == TRUTH["n_rows"] and results["items"] == items
    read = results["read"]
    assert read["labels"] == TRUTH["wording"]  # the question-text row, kept as labels
    assert read["missing"]["ltr"] == {"empty": TRUTH["ltr_blank"],
                                      "na_values": {"Don't know": TRUTH["ltr_dont_know"]}}
    assert read["missing"]["comment"]["empty"] == TRUTH["comment_blank"]  # "N/A" stays text
    assert results["scale"] == [1, 5]
    assert run.record["read"][0]["rows"] == TRUTH["n_rows"]


@pytest.mark.parametrize(("params", "fragment"), [
    ({"dataset": "bfi", "sep": ";"}, "say how to read a data_path file"),
    ({"data_path": str(MESSY / "eu_semicolon.csv"), "decimal": ";"}, "must be one of ., ,"),
    ({"data_path": str(MESSY / "eu_semicolon.csv"), "sheet": "x"}, "applies to Excel files"),
    ({"data_path": str(MESSY / "export.xlsx"), "sheet": "nope"}, "responses"),
])
def test_read_options_are_checked_before_a_kernel_starts(tmp_path, params, fragment):
    with pytest.raises(studies.StudyError, match=re.escape(fragment)):
        studies.run_study("dataset_profile", params, out=tmp_path / "r")
    assert not (tmp_path / "r").exists()


@pytest.mark.notebook
def test_cx_revenue_on_the_excel_export_through_the_runner(tmp_path):
    import numpy as np
    import statsmodels.api as sm

    run = studies.run_study("cx_revenue", {
        "data_path": str(MESSY / "export.xlsx"), "sheet": "responses",
        "na_values": ["Don't know"], "cx_items": ["csat"], "cx_scale_min": 1,
        "cx_scale_max": 5, "stay_item": "stay", "recommend_item": "ltr", "retention": 0.7,
        "n_resamples": 200, "n_draws": 2000}, out=tmp_path)
    assert run.ok, run.error
    read = run.results["read"]
    assert read["source"]["format"] == "xlsx" and read["source"]["sheet"] == "responses"
    assert read["missing"]["ltr"] == {"empty": TRUTH["ltr_blank"],
                                      "na_values": {"Don't know": TRUTH["ltr_dont_know"]}}
    lifts = {row["outcome"]: row for row in run.results["lifts"]}
    # "Don't know" and blanks are excluded from the recommend model and counted
    assert lifts["recommend"]["n"] == TRUTH["ltr_n"]
    assert lifts["recommend"]["n_excluded"] == TRUTH["n_rows"] - TRUTH["ltr_n"]
    # independent: the workbook read by pandas/openpyxl, the logit fitted by statsmodels
    plain = pd.read_excel(MESSY / "export.xlsx", sheet_name="responses")
    for outcome, column in (("stay", "stay"), ("recommend", "ltr")):
        used = plain[pd.to_numeric(plain[column], errors="coerce").notna()]
        y = (used[column].astype(float) >= 9).astype(float)
        fit = sm.Logit(y, sm.add_constant(used["csat"].astype(float))).fit(disp=0)
        assert lifts[outcome]["slope"] == pytest.approx(fit.params["csat"], rel=1e-6)
        assert lifts[outcome]["baseline_share"] == pytest.approx(float(np.mean(y)), abs=1e-12)
    assert run.results["scenario"]["n_draws"] == 2000


@pytest.mark.notebook
def test_nps_study_on_a_one_to_five_item_says_so_in_its_caveats(tmp_path):
    run = studies.run_study("nps_study", {"data_path": str(MESSY / "latin1.csv"),
                                          "score": "csat", "segment": "region"}, out=tmp_path)
    assert run.ok, run.error
    assert run.results["overall"]["estimate"] == -100.0
    assert any("no score reaches the promoter range" in c and "1–5 CSAT" in c
               for c in run.results["caveats"])
    # the region called NA (North America) is a segment, not missing data
    regions = {row["region"]: row["n"] for row in run.results["segments"]}
    assert regions["NA"] == TRUTH["region_NA"]


@pytest.mark.notebook
def test_empathy_reliability_without_reverse_names_the_item_once(tmp_path):
    items = ["emp1", "emp2", "emp3", "emp4", "emp5"]
    run = studies.run_study("empathy_reliability",
                            {"data_path": str(MESSY / "eu_semicolon.csv"), "items": items,
                             "reverse": [], "scale_min": 1, "scale_max": 5,
                             "n_resamples": 100}, out=tmp_path)
    assert run.ok, run.error
    caveats = run.results["caveats"]
    assert len(caveats) <= 4, caveats  # was 1 + one omega warning per bootstrap resample
    assert any("'emp3'" in c and "reverse keyed" in c for c in caveats)
    assert not any("counting from 0" in c for c in caveats)
    verdict = {v["item"]: v["verdict"] for v in run.results["verdicts"]}
    assert "is it reverse keyed?" in verdict["emp3"]


@pytest.mark.notebook
def test_dataset_profile_shows_a_zero_to_ten_item_beside_one_to_five_items(tmp_path):
    items = ["ltr", "csat", "emp1", "emp2", "emp3", "emp4", "emp5"]
    run = studies.run_study("dataset_profile",
                            {"data_path": str(MESSY / "latin1.csv"), "columns": items,
                             "na_values": ["Don't know"]}, out=tmp_path)
    assert run.ok, run.error
    results = run.results
    assert results["scale"] is None  # no one scale: each item on its own, and said so
    assert results["scales"]["ltr"] == [0, 10]
    assert all(results["scales"][i] == [1, 5] for i in items[1:])
    assert any("'ltr'" in note and "0–10" in note for note in results["notes"])
    assert results["missing"]["ltr"] == TRUTH["ltr_blank"] + TRUTH["ltr_dont_know"]
