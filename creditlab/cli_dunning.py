"""Command line of the dunning journal: ``creditlab dunning run|list|postpone|promise|cancel|void``
(the rate tables' command, ``creditlab rates``, is :mod:`creditlab.cli_rates`).

Meant for a weekly cron line with no human step::

    0 7 * * 1  creditlab dunning run --policy /srv/credit/relances.toml \\
        --invoices /srv/credit/factures.csv --payments /srv/credit/reglements.csv \\
        --customers /srv/credit/clients.csv --as-of today --out /srv/credit/relances

(the journal named in the policy, ``journal = "relances.sqlite"``, or ``--journal PATH``), or
``creditlab dunning run --config creditlab.toml --journal ... --as-of today``: the inputs, the
``[company]`` letterhead and the ``[dunning]`` policy of the configuration.

The customers newly in insolvency proceedings get their declaration of claim
(``declaration_de_creance``) written once, recorded in the journal; the deadlines of every
claim to declare are listed on stderr at each run.

Exit codes: 0 every letter written and recorded; 1 some letters (or declarations) failed (their count and reasons
on stderr; they stay pending in the journal and are planned again next run) or a data error;
2 bad usage.
"""

from __future__ import annotations

import sys

import pandas as pd

from creditlab._checks import as_date
from creditlab._exit import EXIT_FAILED, EXIT_OK, EXIT_USAGE, fail
from creditlab.config import load_config
from creditlab.dunning import load_policy
from creditlab.dunning.journal import Journal, resolve_journal_path, run_dunning
from creditlab.exceptions import CreditlabError
from creditlab.reports import load_inputs
from creditlab.reports.dunning import with_company_letterhead

__all__ = ["add_dunning_parser", "run_dunning_command"]

_TABLES = ("invoices", "payments", "customers", "disputes", "events")


def add_dunning_parser(sub) -> None:
    """Add ``dunning`` and its subcommands to the ``creditlab`` subparsers."""
    dn = sub.add_parser("dunning", help="weekly dunning run and its journal (SQLite)")
    dsub = dn.add_subparsers(dest="action", metavar="ACTION")
    dsub.required = True

    def common(p):
        p.add_argument("--journal", default=None,
                       help="journal file (default: the policy's 'journal', else "
                            "$CREDITLAB_JOURNAL)")
        p.add_argument("--policy", default=None, help="dunning policy TOML (default: bundled)")
        p.add_argument("--who", default=None, help="who records (default: the system user)")

    run = dsub.add_parser("run", help="plan, write the letters, record those written")
    common(run)
    run.add_argument("--as-of", required=True,
                     help="date of the run: ISO, dd/mm/yyyy, or 'today'")
    for t in _TABLES:
        run.add_argument(f"--{t}", default=None, help=f"{t} file (none given: the demo data)")
    run.add_argument("--config", default=None,
                     help="creditlab.toml: its [inputs] (or FEC), [company] letterhead and "
                          "[dunning] policy (the options above win)")
    run.add_argument("--out", default="output/relances", help="folder of the letters")
    run.add_argument("--lang", choices=("fr", "en"), default="fr")
    run.add_argument("--dry-run", action="store_true",
                     help="preview the plan and letters without recording anything")

    lst = dsub.add_parser("list", help="list the journal's events (or the pending actions)")
    common(lst)
    lst.add_argument("--pending", action="store_true", help="only the pending actions")
    lst.add_argument("--customer", default=None, help="only this customer id")

    post = dsub.add_parser("postpone", help="no action for a customer until a date")
    common(post)
    post.add_argument("customer_id")
    post.add_argument("--until", required=True)
    post.add_argument("--why", required=True)
    post.add_argument("--as-of", default="today", help="date of the decision (default today)")

    prom = dsub.add_parser("promise", help="record a promise to pay")
    common(prom)
    prom.add_argument("customer_id")
    prom.add_argument("--date", required=True, help="promised payment date")
    prom.add_argument("--amount", required=True, type=float, help="euros")
    prom.add_argument("--invoices", default="", help="invoice ids, ';'-separated")
    prom.add_argument("--why", default="")
    prom.add_argument("--as-of", default="today", help="date of the promise (default today)")

    for name, helptext in (("cancel", "withdraw a pending action, a postponement or a promise"),
                           ("void", "void a letter issued by mistake (its step comes back)")):
        p = dsub.add_parser(name, help=helptext)
        common(p)
        p.add_argument("action_id")
        p.add_argument("--why", required=True)


def _journal(args):
    policy_path = args.policy
    if policy_path is None and getattr(args, "config", None):
        policy_path = load_config(args.config).dunning_policy
    policy = load_policy(policy_path)
    return Journal(resolve_journal_path(args.journal, policy)), policy


def _as_of(text: str):
    return pd.Timestamp.today().normalize() if text == "today" else as_date(text, "--as-of")


def _cmd_run(args) -> int:
    journal, policy = _journal(args)
    paths = {t: getattr(args, t) for t in _TABLES if getattr(args, t)}
    inputs = load_inputs(_as_of(args.as_of), config=args.config, **paths)
    if inputs.company:  # the configuration's [company] is the letters' sender
        policy = with_company_letterhead(policy, inputs.company)
    ledger = {"invoices": inputs.get("invoices"), "payments": inputs.get("payments"),
              "disputes": inputs.get("disputes"), "events": inputs.get("events")}
    result = run_dunning(ledger, inputs.as_of, journal, policy=policy,
                         customers=inputs.get("customers"), out=args.out,
                         dry_run=args.dry_run, who=args.who, lang=args.lang,
                         ledger_items=inputs.items.items)
    n, failed = len(result.plan.actions), result.batch.failed
    verb = "previewed (nothing recorded)" if result.dry_run else "issued and recorded"
    print(f"{result.letters_dir}\n{len(result.batch.written)}/{n} letters {verb} "
          f"(run {result.run_id}, journal {journal.path})")
    for warning in result.warnings:
        print(f"creditlab: warning: {warning} — the letters state the legal rule "
              "('taux BCE + 10 points') instead of an amount; see 'creditlab rates'",
              file=sys.stderr)
    if result.n_lower_bound:
        print(f"creditlab: warning: {result.n_lower_bound} letter(s) claim penalties that are "
              "a minimum: partly settled invoices without known settlement dates (open-items "
              "export, credit note, cash on account); the letters say so ('au minimum')",
              file=sys.stderr)
    _print_declarations(result)
    if len(failed):
        print(f"creditlab: {len(failed)} letter(s) failed and stay pending in the journal:",
              file=sys.stderr)
        for r in failed.itertuples(index=False):
            print(f"  {r.action_id}: {r.reason}", file=sys.stderr)
    return EXIT_FAILED if result.n_failed else EXIT_OK


def _print_declarations(result) -> None:
    """The claims to declare on stderr: deadline, amount, and what this run did."""
    d = result.declarations
    if d is None or d.empty:
        return
    print(f"creditlab: {len(d)} customer(s) in insolvency proceedings, claims to declare "
          "(L622-24 Code de commerce):", file=sys.stderr)
    for r in d.itertuples(index=False):
        when = f"before {r.deadline:%d/%m/%Y} ({r.days_left} days left)" if r.days_left >= 0 \
            else f"deadline {r.deadline:%d/%m/%Y} PASSED ({-r.days_left} days ago: relevé de " \
                 "forclusion, L622-26)"
        estimated = "; counted from the judgment, check the BODACC publication" \
            if r.deadline_estimated else ""
        done = {"written": f"declaration written: {r.document}",
                "recorded": "declaration already recorded in the journal",
                "failed": f"declaration FAILED: {r.reason}"}[r.status]
        if result.dry_run and r.status == "written":
            done = f"declaration previewed (not recorded): {r.document}"
        print(f"  {r.customer_id} {r.name} ({r.proceeding}): {r.declared:,.2f} EUR {when}"
              f"{estimated} — {done}", file=sys.stderr)


def _cmd_list(args) -> int:
    journal, _ = _journal(args)
    ev = journal.pending() if args.pending else journal.events()
    if args.customer:
        ev = ev[ev["customer_id"] == args.customer]
    cols = ["event_id", "date", "kind", "action_id", "customer_id", "step", "escalation",
            "invoice_ids", "amount", "until", "who", "why"]
    if ev.empty:
        print("(no event)")
    else:
        with pd.option_context("display.width", 200, "display.max_columns", None,
                               "display.max_rows", None):
            print(ev[cols].to_string(index=False))
    return EXIT_OK


def _cmd_human(args) -> int:
    journal, _ = _journal(args)
    if args.action == "postpone":
        aid = journal.postpone(args.customer_id, args.until, why=args.why, who=args.who,
                               date=_as_of(args.as_of))
    elif args.action == "promise":
        aid = journal.promise(args.customer_id, args.date, args.amount,
                              invoice_ids=args.invoices, why=args.why, who=args.who,
                              date=_as_of(args.as_of))
    elif args.action == "cancel":
        journal.cancel(args.action_id, why=args.why, who=args.who)
        aid = args.action_id
    else:
        journal.void(args.action_id, why=args.why, who=args.who)
        aid = args.action_id
    print(f"{args.action}: {aid} recorded in {journal.path}")
    return EXIT_OK


def run_dunning_command(args) -> int:
    """Run a parsed ``creditlab dunning ...`` command; returns the exit code."""
    try:
        if args.action == "run":
            return _cmd_run(args)
        if args.action == "list":
            return _cmd_list(args)
        return _cmd_human(args)
    except CreditlabError as err:  # bad input fails a run (its inputs are its job)
        return fail(err, input_status=EXIT_USAGE if args.action != "run" else EXIT_FAILED)
