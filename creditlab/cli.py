"""Command line: ``creditlab report list`` and ``creditlab report run NAME [-p key=value ...]``.

A thin shell over :mod:`creditlab.reports`, meant for cron jobs:

- success: the path of the HTML rendering is printed on stdout, exit code 0;
- a cell fails: the message (failing cell, exception, where the failed notebook is) goes to
  stderr, exit code 1, previous outputs untouched;
- bad usage (unknown report, unknown parameter, malformed ``-p``): message on stderr, exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from creditlab.exceptions import CreditlabError, InputError, ReportError

__all__ = ["main", "build_parser"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _key_value(text: str) -> tuple[str, object]:
    from creditlab.reports import parse_value

    key, sep, value = text.partition("=")
    key = key.strip()
    if not sep or not key.isidentifier():
        raise argparse.ArgumentTypeError(
            f"expected key=value (e.g. -p as_of=2025-12-31), got {text!r}")
    return key, parse_value(value)


def build_parser() -> argparse.ArgumentParser:
    """The ``creditlab`` argument parser."""
    parser = argparse.ArgumentParser(
        prog="creditlab",
        description="creditlab: credit-management workbook (reports run from the command line).")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    report = sub.add_parser("report", help="list or run the parameterised report notebooks")
    rsub = report.add_subparsers(dest="action", metavar="ACTION")
    rsub.required = True

    lst = rsub.add_parser("list", help="list the reports with their parameters")
    lst.add_argument("--reports-dir", default=None,
                     help="directory of the report notebooks (default: those shipped with creditlab)")

    run = rsub.add_parser(
        "run", help="run a report and publish the executed notebook and its HTML",
        description="Run the report notebook NAME.ipynb with papermill; outputs are published "
                    "atomically into OUT/NAME/ and the HTML path is printed.")
    run.add_argument("name", help="report name (see 'creditlab report list')")
    run.add_argument("-p", "--parameter", dest="parameters", action="append", default=[],
                     type=_key_value, metavar="KEY=VALUE",
                     help="notebook parameter, typed like papermill's -p "
                          "(True/False/None/int/float, else text); repeatable")
    run.add_argument("--out", default="output", help="output directory (default: output)")
    run.add_argument("--lang", choices=("fr", "en"), default=None,
                     help="language of the report (sets its lang parameter)")
    run.add_argument("--timeout", type=float, default=None,
                     help="maximum seconds per cell (default: no limit)")
    run.add_argument("--reports-dir", default=None,
                     help="directory of the report notebooks (default: those shipped with creditlab)")
    from creditlab.cli_dunning import add_dunning_parser, add_rates_parser
    add_dunning_parser(sub)
    add_rates_parser(sub)
    return parser


def _cmd_list(args) -> int:
    from creditlab.reports import list_reports, reports_dir

    infos = list_reports(args.reports_dir)
    if not infos:
        print(f"no report notebook in {reports_dir(args.reports_dir)}", file=sys.stderr)
        return EXIT_USAGE
    for info in infos:
        print(info.describe())
    return EXIT_OK


def _cmd_run(args) -> int:
    from creditlab.reports import run_report

    params: dict[str, object] = {}
    for key, value in args.parameters:
        params[key] = value
    try:
        paths = run_report(args.name, params, out=args.out, lang=args.lang,
                           reports_directory=args.reports_dir, timeout=args.timeout)
    except ReportError as err:
        print(f"creditlab: {err}", file=sys.stderr)
        return EXIT_FAILED
    except InputError as err:
        print(f"creditlab: {err}", file=sys.stderr)
        return EXIT_USAGE
    except CreditlabError as err:
        print(f"creditlab: {err}", file=sys.stderr)
        return EXIT_FAILED
    print(paths["html"])
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``creditlab`` command; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command in ("dunning", "rates"):
        from creditlab.cli_dunning import run_dunning_command, run_rates_command
        return (run_dunning_command if args.command == "dunning" else run_rates_command)(args)
    if args.command == "report" and args.action == "list":
        return _cmd_list(args)
    return _cmd_run(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
