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
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from creditlab._exit import EXIT_FAILED, EXIT_OK, EXIT_USAGE, fail
from creditlab.exceptions import CreditlabError
from creditlab.reports.listing import parse_value

__all__ = ["main", "build_parser"]

_REPORT_TOOLING = {"papermill", "nbformat", "nbconvert", "nbclient", "ipykernel", "IPython"}

#: Every sub-command → the module that runs it (and, for those declared outside this file, the
#: function of that module that adds its parser, with the one-line help shown by
#: ``creditlab --help``). This table and :func:`_command_module` are the command line's one
#: deferred import (DESIGN.md, Layering): a command loads its module only when it is the one
#: named, so ``creditlab --help`` and ``creditlab report list`` (standard library only) start in
#: about 0.1 s instead of the seconds pandas, the document renderer and the exercises take.
_COMMANDS: dict[str, tuple[str, str | None, str | None]] = {
    "report list": ("creditlab.reports.listing", None, None),
    "report run": ("creditlab.reports.runner", None, None),
    "check": ("creditlab.reports.checking", None, None),
    "init": ("creditlab.config", None, None),
    "course": ("creditlab.course", "add_parser",
               "copy the trainee course into a folder and open JupyterLab"),
    "kit": ("creditlab.kit", "add_parser", "build the trainer kit (timetable, handouts, slides)"),
    "room": ("creditlab.room", "add_parser",
             "start a course server for a training room (JupyterHub)"),
    "dunning": ("creditlab.cli_dunning", "add_dunning_parser",
                "weekly dunning run and its journal (SQLite)"),
    "rates": ("creditlab.cli_rates", "add_rates_parser",
              "coverage of the penalty rate tables; add a half-year"),
}


def _command_module(command: str) -> ModuleType:
    """The module of a sub-command of :data:`_COMMANDS`, imported on first use."""
    return importlib.import_module(_COMMANDS[command][0])


def _key_value(text: str) -> tuple[str, object]:
    key, sep, value = text.partition("=")
    key = key.strip()
    if not sep or not key.isidentifier():
        raise argparse.ArgumentTypeError(
            f"expected key=value (e.g. -p as_of=2025-12-31), got {text!r}")
    return key, parse_value(value)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The ``creditlab`` argument parser.

    With ``argv`` (the command line about to be parsed), only the sub-command it names loads its
    module to declare its options; the others are listed with their one-line help. Without it,
    every sub-command is declared in full.
    """
    named = next((a for a in argv if not a.startswith("-")), None) if argv is not None else None
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
    for command, (_, declare, help_line) in _COMMANDS.items():
        if declare is None:
            continue
        if argv is None or command == named:
            getattr(_command_module(command), declare)(sub)
        else:
            sub.add_parser(command, help=help_line, add_help=False)
    return parser


def _cmd_init(args) -> int:
    try:
        path = _command_module("init").init_config(args.directory)
    except CreditlabError as err:
        return fail(err, input_status=EXIT_FAILED)
    print(path)
    return EXIT_OK


def _cmd_check(args) -> int:
    problems, inputs = _command_module("check").check_config(args.config, args.as_of, force_as_of=args.force_as_of)
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
    listing = _command_module("report list")
    infos = listing.list_reports(args.reports_dir)
    if not infos:
        print(f"no report notebook in {listing.reports_dir(args.reports_dir)}", file=sys.stderr)
        return EXIT_USAGE
    for info in infos:
        print(info.describe())
    return EXIT_OK


def _cmd_run(args) -> int:
    runner = _command_module("report run")
    runner.skip_iri_grammar()  # this process validates no IRI: spare jsonschema's grammar build

    params: dict[str, object] = {}
    if args.config:
        try:
            cfg = _command_module("init").load_config(args.config)
        except CreditlabError as err:
            return fail(err, input_status=EXIT_FAILED)
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
        paths = runner.run_report(args.name, params, out=args.out, lang=args.lang,
                           reports_directory=args.reports_dir, timeout=args.timeout)
    except CreditlabError as err:
        return fail(err)
    print(paths["html"])
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``creditlab`` command; returns the exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(argv).parse_args(argv)
    if getattr(args, "handler", None) is not None:  # course, kit
        try:
            return args.handler(args)
        except CreditlabError as err:
            return fail(err)
    if args.command in ("dunning", "rates"):
        module = _command_module(args.command)
        return (module.run_dunning_command if args.command == "dunning"
                else module.run_rates_command)(args)
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
