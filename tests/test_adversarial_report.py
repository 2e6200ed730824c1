"""Adversarial inputs to ``cxkit.io.describe_read``: named TypeError or lines of text."""

from __future__ import annotations

import pytest

from cxkit.io import describe_read
from tests.adversarial import check_outcome, hostile_scalars, qualified

COVERED = qualified(describe_read)


@pytest.mark.parametrize("report", [
    *hostile_scalars(), {}, {"missing": None, "notes": None}, {"missing": {"a": 3}},
    {"missing": {"a": {"empty": 1, "na_values": {"NA": 2}}}, "notes": ["x"]},
    {"missing": {1: {"empty": float("nan")}}, "notes": ("a", "b")},
], ids=repr)
def test_describe_read_gives_lines_or_a_named_error(report):
    lines = check_outcome(lambda: describe_read(report), ["`report`"],
                          context=f"describe_read({report!r})", allow_nan=True)
    if lines is not None:
        assert isinstance(lines, list) and all(isinstance(line, str) for line in lines)


def test_describe_read_words_each_cause():
    report = {"missing": {"ltr": {"empty": 2, "na_values": {"Don't know": 1, "NA": 4}}},
              "notes": ["decimal comma detected"]}
    assert describe_read(report) == ["missing in ltr: 2 empty, 1 'Don't know', 4 'NA'",
                                     "Read: decimal comma detected"]
