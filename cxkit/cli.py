"""The ``cxkit`` command: ``cxkit list`` and ``cxkit run``. Thin: the logic is in studies.py.

Exit status: 0 success; 1 a study ran and failed; 2 a user error found before anything ran
(unknown study or parameter, a value that cannot be cast, a missing data file).
"""

from __future__ import annotations

import argparse
import sys
import textwrap

from cxkit import studies

EXIT_FAILED = 1
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (``cxkit: error: …``) and exit status 2."""

    def error(self, message: str):
        print(f"cxkit: error: {message} (see `{self.prog} --help`)", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _seconds(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--timeout expects a whole number of seconds, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"--timeout must be positive, got {text!r}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="cxkit",
        description="Run cxkit's parameterized studies (Jupyter notebooks) reproducibly.",
        epilog="Each run goes to reports/<study>/<UTC timestamp>/ with the executed "
               "notebook, an HTML export, results.json, figures and run.json.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="{list,run}",
                                parser_class=_Parser)
    sub.add_parser("list", help="list the studies with their parameters")
    run = sub.add_parser("run", help="run a study (or --all) and record the run")
    run.add_argument("study", nargs="?", help="name of the study (see `cxkit list`)")
    run.add_argument("--all", action="store_true", help="run every study with its defaults")
    run.add_argument("-p", "--parameter", nargs=2, action="append", default=[],
                     metavar=("NAME", "VALUE"), help="set a parameter (repeatable)")
    run.add_argument("-f", "--parameters-file", metavar="FILE",
                     help="YAML file of name: value parameters (-p wins over it)")
    run.add_argument("--out", metavar="DIR", default="reports",
                     help="root folder of the runs (default: reports)")
    run.add_argument("--timeout", type=_seconds, metavar="SECONDS",
                     help="fail the run if any one cell runs longer than this many seconds")
    run.add_argument("--figures", metavar="DIR",
                     help="copy each successful run's figures to DIR/<study>/")
    run.add_argument("-q", "--quiet", action="store_true", help="no progress output")
    return parser


def _print_list() -> None:
    for study in studies.list_studies():
        print(study.name)
        if study.description:
            print(textwrap.indent(textwrap.fill(study.description, 84), "    "))
        for p in study.parameters.values():
            print(f"    --  {p.name}: {p.type} = {p.default_source}")
            if p.help:
                print(textwrap.indent(textwrap.fill(p.help, 80), "          "))
        print()


def _progress(name: str, quiet: bool):
    if quiet:
        return None
    tty = sys.stderr.isatty()

    def report(k: int, n: int, elapsed: float) -> None:
        end = "" if tty and k < n else "\n"
        prefix = "\r" if tty else ""
        print(f"{prefix}[{name}] cell {k} of {n}, {elapsed:5.1f} s elapsed", end=end,
              file=sys.stderr, flush=True)

    return report


def _run_one(name: str, overrides: dict, args) -> studies.RunResult:
    result = studies.run_study(name, overrides, out=args.out, timeout=args.timeout,
                               progress=_progress(name, args.quiet))
    duration = result.record.get("duration_seconds") or 0.0
    if result.ok:
        if not args.quiet:
            print(f"{name}: succeeded in {duration:.1f} s -> {result.run_dir}")
        for warning in result.record.get("warnings") or []:
            print(f"{name}: warning: {warning}", file=sys.stderr)
        if args.figures:
            copied = studies.refresh_figures(result, args.figures)
            if not args.quiet:
                print(f"{name}: {len(copied)} figure(s) copied to {args.figures}/{name}/")
    else:
        print(f"{name}: FAILED after {duration:.1f} s -> {result.run_dir}", file=sys.stderr)
        print(textwrap.indent(result.error or "unknown error", "  "), file=sys.stderr)
        print(f"  the executed notebook with the full traceback is kept in {result.run_dir}",
              file=sys.stderr)
    return result


def _run(args, parser) -> int:
    if args.all == bool(args.study):
        parser.error("give either a STUDY name or --all")
    overrides = studies.read_parameter_file(args.parameters_file) \
        if args.parameters_file else {}
    overrides.update(dict(args.parameter))
    if args.all:
        if overrides:
            parser.error("--all runs every study with its defaults; -p/-f need one STUDY")
        names = [s.name for s in studies.list_studies()]
        results = [_run_one(n, {}, args) for n in names]
        failed = [r.study for r in results if not r.ok]
        if failed or not args.quiet:
            print(f"{len(results) - len(failed)} of {len(results)} studies succeeded"
                  + (f"; failed: {', '.join(failed)}" if failed else ""))
        return EXIT_FAILED if failed else 0
    return 0 if _run_one(args.study, overrides, args).ok else EXIT_FAILED


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``cxkit`` command; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "list":
            _print_list()
            return 0
        return _run(args, parser)
    except studies.StudyError as exc:
        message = str(exc).replace("\r", "\\r").replace("\n", "\\n")  # one line, always
        print(f"cxkit: error: {message}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt as exc:
        import signal

        name = getattr(exc, "signal_name", "SIGINT")
        print(f"cxkit: interrupted ({name}); the run folder's run.json says so",
              file=sys.stderr)
        return 128 + int(getattr(signal, name, signal.SIGINT))


if __name__ == "__main__":
    sys.exit(main())
