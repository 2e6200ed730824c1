"""Adversarial inputs to the helpers the studies use to report: ``describe_read`` (named
TypeError or lines of text) and ``collect_caveats`` (named TypeError, or the caveats)."""

from __future__ import annotations

import pytest

import cxkit
from cxkit._validation import warn
from cxkit.io import describe_read
from cxkit.studies import collect_caveats
from tests.adversarial import check_outcome, hostile_scalars, qualified

COVERED = qualified(describe_read, collect_caveats)


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


@pytest.mark.parametrize("caveats", [*hostile_scalars(), ("a",), {"a": 1}], ids=repr)
@pytest.mark.parametrize("echo", [False, None, 1, "yes"], ids=repr)
def test_collect_caveats_refuses_what_is_not_a_list(caveats, echo):
    def use():
        with collect_caveats(caveats, echo=echo):
            pass
        return caveats
    check_outcome(use, ["`caveats`", "`echo`"], context=f"collect_caveats({caveats!r}, {echo!r})",
                  allow_nan=True)


def test_collect_caveats_keeps_every_user_warning_in_order(capsys):
    caveats = ["given first"]
    with collect_caveats(caveats, echo=True):
        warn("one")
        cxkit.nps([1, 2, 3, 4, 5] * 4)
        warn("one")
    assert caveats[0] == "given first" and caveats[1] == "one" and caveats[-1] == "one"
    assert caveats[2].startswith("`scores`: no score reaches the promoter range")
    assert capsys.readouterr().out.count("Caveat:") == 3


def test_collect_caveats_on_error_lets_it_through():
    caveats = []
    with pytest.raises(ValueError, match="`scores`"):
        with collect_caveats(caveats):
            warn("before the error")
            cxkit.nps([])
    assert caveats == []
