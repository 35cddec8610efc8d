"""Command line: ``creditlab report list``, ``creditlab report run NAME [-p key=value ...]``,
``creditlab init [DIR]`` and ``creditlab check --config FILE``.

A thin shell over :mod:`creditlab.reports` and :mod:`creditlab.config`, meant for cron jobs:

- success: the path of the HTML rendering is printed on stdout, exit code 0;
- a cell fails, or an input is wrong (``check`` found a problem): the message (failing cell,
  exception, where the failed notebook is; or every problem with its fix) goes to stderr, exit
  code 1, previous outputs untouched;
- bad usage (unknown report, unknown parameter, malformed ``-p``, ``--out`` naming a file):
  message on stderr, exit code 2.

``report run`` takes ``--config creditlab.toml`` (the ``config`` parameter of the ledger
reports; its ``[dunning] policy`` becomes the dunning report's ``policy``), ``--as-of DATE`` and
``--force-as-of``; ``-p`` still overrides them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from creditlab.exceptions import CreditlabError, InputError, ReportError

__all__ = ["main", "build_parser"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
_REPORT_TOOLING = {"papermill", "nbformat", "nbconvert", "nbclient", "ipykernel", "IPython"}


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
    for p in (run, sub.add_parser("check", help="read every input of a creditlab.toml and "
                                  "print every problem with its fix (exit 1 if any)")):
        p.add_argument("--config", default=None, required=p is not run,
                       help="company configuration file (creditlab.toml)")
        p.add_argument("--as-of", dest="as_of", default=None,
                       help="reporting date YYYY-MM-DD or JJ/MM/AAAA (never month first)")
        p.add_argument("--force-as-of", dest="force_as_of", action="store_true",
                       help="accept a date far from the documents (more than 45 days after "
                            "the last one, or before the first)")
    init = sub.add_parser("init", help="write a commented creditlab.toml to fill in")
    init.add_argument("directory", nargs="?", default=".", help="folder (default: here)")
    from creditlab import course, kit, room  # course, trainer kit, training-room server

    course.add_parser(sub)
    kit.add_parser(sub)
    room.add_parser(sub)
    from creditlab.cli_dunning import add_dunning_parser, add_rates_parser

    add_dunning_parser(sub)
    add_rates_parser(sub)
    return parser


def _cmd_init(args) -> int:
    from creditlab.config import init_config

    try:
        path = init_config(args.directory)
    except CreditlabError as err:
        print(f"creditlab: {err}", file=sys.stderr)
        return EXIT_FAILED
    print(path)
    return EXIT_OK


def _cmd_check(args) -> int:
    from creditlab.reports.inputs import check_config

    problems, inputs = check_config(args.config, args.as_of, force_as_of=args.force_as_of)
    for p in problems:
        print(f"creditlab: {p}", file=sys.stderr)
    if problems:
        print(f"creditlab: {len(problems)} problem(s) in {args.config}", file=sys.stderr)
        return EXIT_FAILED
    if inputs is None:
        print(f"{args.config}: every input file is readable (add --as-of DATE to check the "
              "ledger at a date)")
    else:
        counts = ", ".join(f"{n} {len(t)}" for n, t in inputs.tables.items())
        print(f"{args.config}: OK at {inputs.as_of:%Y-%m-%d}: {counts}; "
              f"{len(inputs.items)} open items, open balance {inputs.items.total:,.2f} EUR")
    return EXIT_OK


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
    from creditlab.reports.runner import run_report, skip_iri_grammar

    skip_iri_grammar()  # this process validates no IRI: spare jsonschema's grammar build

    params: dict[str, object] = {}
    if args.config:
        from pathlib import Path

        from creditlab.config import load_config

        try:
            cfg = load_config(args.config)
        except CreditlabError as err:
            print(f"creditlab: {err}", file=sys.stderr)
            return EXIT_FAILED
        params["config"] = str(Path(args.config).resolve())
        if args.name == "dunning" and cfg.dunning_policy is not None:
            params["policy"] = str(cfg.dunning_policy)
    if args.as_of:
        params["as_of"] = args.as_of
    if args.force_as_of:
        params["force_as_of"] = True
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
    if getattr(args, "handler", None) is not None:  # course, kit
        try:
            return args.handler(args)
        except CreditlabError as err:
            print(f"creditlab: {err}", file=sys.stderr)
            return EXIT_USAGE if isinstance(err, InputError) else EXIT_FAILED
    if args.command in ("dunning", "rates"):
        from creditlab.cli_dunning import run_dunning_command, run_rates_command

        return (run_dunning_command if args.command == "dunning" else run_rates_command)(args)
    if args.command == "init":
        return _cmd_init(args)
    if args.command == "check":
        return _cmd_check(args)
    try:
        if args.command == "report" and args.action == "list":
            return _cmd_list(args)
        return _cmd_run(args)
    except ModuleNotFoundError as err:  # the reports' tooling is an extra
        if (err.name or "").split(".")[0] not in _REPORT_TOOLING:
            raise
        print(f'creditlab: {err.name} is not installed; the reports need the extra: '
              f'pip install "creditlab[reports]"', file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
