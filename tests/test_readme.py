"""Every code block of README.md runs, and prints what the README says it prints.

Conventions of README.md (what this module checks):

- ```` ```python ```` blocks run **in order, in one namespace**, as a reader pasting them
  into one Python session would (in a temporary working directory, ``MPLBACKEND=Agg``).
  A block written with ``>>>`` prompts is a doctest: each example's printed output must
  match the lines under it (``NORMALIZE_WHITESPACE`` and ``ELLIPSIS``: ``...`` stands
  for any text). A block without prompts is executed as a script; if a ```` ```text ````
  block follows it directly (nothing but blank lines between), that block is the
  script's expected standard output, compared the same way.
- ```` ```bash ```` blocks are shell instructions and are not run, except that every
  ``cxkit run …`` line is parsed by the real command-line parser, and its study and
  ``-p`` parameters are resolved (names exist, values cast) with
  :func:`cxkit.studies.get_study` and :func:`cxkit.studies.resolve_parameters`. A bash
  block that holds only ``cxkit list`` and is followed directly by a ```` ```text ````
  block must print exactly that block.
"""

from __future__ import annotations

import contextlib
import doctest
import io
import os
import re
import shlex
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
FLAGS = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS
_FENCE = re.compile(r"^```([\w+-]*)[^\n]*\n(.*?)^```[ \t]*$", re.M | re.S)


@dataclass(frozen=True)
class Block:
    lang: str
    code: str
    line: int  # line of the opening fence, 1-based
    expected: str | None  # the directly following ```text block, if any

    @property
    def id(self) -> str:
        return f"{self.lang}-line-{self.line}"


def readme_blocks(text: str) -> list[Block]:
    """The fenced blocks of ``text``, each with the ```text block right after it."""
    found = [(m.group(1), m.group(2), m.start(), m.end()) for m in _FENCE.finditer(text)]
    blocks = []
    for i, (lang, code, start, end) in enumerate(found):
        expected = None
        if i + 1 < len(found):
            nxt_lang, nxt_code, nxt_start, _ = found[i + 1]
            if nxt_lang == "text" and not text[end:nxt_start].strip():
                expected = nxt_code
        blocks.append(Block(lang, code, text.count("\n", 0, start) + 1, expected))
    return blocks


BLOCKS = readme_blocks(README.read_text(encoding="utf-8"))
PYTHON = [b for b in BLOCKS if b.lang == "python"]
BASH = [b for b in BLOCKS if b.lang in ("bash", "sh", "shell")]


def _output_mismatch(expected: str, got: str) -> str | None:
    checker = doctest.OutputChecker()
    if checker.check_output(expected, got, FLAGS):
        return None
    example = doctest.Example("", expected)
    return checker.output_difference(example, got, FLAGS)


def _run_doctest(block: Block, namespace: dict) -> str | None:
    parser = doctest.DocTestParser()
    test = parser.get_doctest(block.code, namespace, f"README.md:{block.line}",
                              str(README), block.line)
    runner = doctest.DocTestRunner(optionflags=FLAGS, verbose=False)
    report = io.StringIO()
    runner.run(test, out=report.write, clear_globs=False)
    namespace.update(test.globs)
    return report.getvalue() or None


def _run_script(block: Block, namespace: dict) -> str | None:
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(block.code, f"README.md:{block.line}", "exec"), namespace)
    except Exception:
        return traceback.format_exc()
    if block.expected is not None:
        return _output_mismatch(block.expected, out.getvalue())
    return None


@pytest.fixture(scope="module")
def python_results(tmp_path_factory) -> dict[int, str | None]:
    """Run every python block in order, in one namespace; a failure report per block."""
    os.environ["MPLBACKEND"] = "Agg"
    workdir = tmp_path_factory.mktemp("readme")
    previous = Path.cwd()
    namespace: dict = {"__name__": "__readme__"}
    results: dict[int, str | None] = {}
    os.chdir(workdir)
    try:
        for block in PYTHON:
            run = _run_doctest if ">>>" in block.code else _run_script
            results[block.line] = run(block, namespace)
    finally:
        os.chdir(previous)
    return results


def test_readme_has_python_blocks_with_checked_output():
    assert len(PYTHON) >= 4
    # every python block shows what it prints (doctest prompts or a text block after it)
    unchecked = [b.line for b in PYTHON if ">>>" not in b.code and b.expected is None]
    assert not unchecked, f"python blocks at README lines {unchecked} show no output"


@pytest.mark.parametrize("block", PYTHON, ids=[b.id for b in PYTHON])
def test_python_block_runs_and_prints_what_readme_says(block, python_results):
    failure = python_results[block.line]
    assert failure is None, f"README.md line {block.line}:\n{failure}"


# --------------------------------------------------------------------------- shell blocks


def _cxkit_commands(block: Block) -> list[tuple[int, list[str]]]:
    commands = []
    for offset, line in enumerate(block.code.splitlines(), start=1):
        words = shlex.split(line, comments=True)
        if words and Path(words[0]).name == "cxkit":
            commands.append((block.line + offset, words[1:]))
    return commands


COMMANDS = [(line, argv) for b in BASH for line, argv in _cxkit_commands(b)]


def test_readme_shows_cxkit_commands():
    assert any(argv[:1] == ["run"] for _, argv in COMMANDS)
    assert any(argv == ["list"] for _, argv in COMMANDS)


@pytest.mark.parametrize(("line", "argv"), [c for c in COMMANDS if c[1][:1] == ["run"]],
                         ids=[f"line-{c[0]}" for c in COMMANDS if c[1][:1] == ["run"]])
def test_cxkit_run_example_parses_and_resolves(line, argv):
    from cxkit import cli, studies

    try:
        args = cli._parser().parse_args(argv)
    except SystemExit as exc:  # argparse reports the error on stderr and exits 2
        pytest.fail(f"README.md line {line}: `cxkit {shlex.join(argv)}` does not parse "
                    f"(exit {exc.code})")
    if args.all:
        assert args.study is None and not args.parameter
        return
    study = studies.get_study(args.study)
    overrides = dict(args.parameter)
    values = studies.resolve_parameters(study, overrides)
    assert set(overrides) <= set(values)


def test_cxkit_list_prints_what_readme_shows(capsys):
    from cxkit import cli

    shown = [b for b in BASH if [argv for _, argv in _cxkit_commands(b)] == [["list"]]]
    assert shown and shown[0].expected is not None, \
        "README should show `cxkit list` followed by its output in a ```text block"
    assert cli.main(["list"]) == 0
    got = capsys.readouterr().out
    mismatch = _output_mismatch(shown[0].expected, got)
    assert mismatch is None, (f"README.md line {shown[0].line}: `cxkit list` prints "
                              f"something else; paste its output:\n{mismatch}")


# --------------------------------------------------------------------------- the harness


def test_harness_catches_wrong_output_and_errors():
    text = ("```python\n>>> x = 2\n>>> x + 1\n4\n```\n\n"
            "```python\nprint(x * 10)\n```\n\n```text\n21\n```\n\n"
            "```python\nraise RuntimeError('boom')\n```\n")
    blocks = readme_blocks(text)
    assert [b.lang for b in blocks] == ["python", "python", "text", "python"]
    assert blocks[1].expected == "21\n" and blocks[0].expected is None
    namespace: dict = {}
    assert "Expected:\n    4\nGot:\n    3" in _run_doctest(blocks[0], namespace)
    assert namespace["x"] == 2  # the namespace carries over to the next block
    assert "Expected:\n    21\nGot:\n    20" in _run_script(blocks[1], namespace)
    assert "RuntimeError: boom" in _run_script(blocks[3], namespace)


def test_harness_accepts_matching_output_with_ellipsis_and_whitespace():
    text = ("```python\n>>> print('a   b', 'long text')\na b ...\n```\n\n"
            "```python\nprint(1, 2)\n```\n\n```text\n1   2\n```\n")
    blocks = readme_blocks(text)
    namespace: dict = {}
    assert _run_doctest(blocks[0], namespace) is None
    assert _run_script(blocks[1], namespace) is None
