"""Command line of the rate tables: ``creditlab rates [show|add-ecb|add-legal]``: what the ECB and
legal-rate tables cover (a warning when the current half-year is missing), and the addition of a
published half-year with its source.

Exit codes: 0 done; 1 a data error; 2 bad usage.
"""

from __future__ import annotations

import sys

import pandas as pd

from creditlab._exit import EXIT_OK, fail
from creditlab.exceptions import CreditlabError
from creditlab.legal import rates

__all__ = ["add_rates_parser", "run_rates_command"]



def add_rates_parser(sub) -> None:
    """Add ``rates`` (coverage of the rate tables, additions with their source)."""
    rates = sub.add_parser("rates", help="coverage of the penalty rate tables; add a half-year")
    rsub = rates.add_subparsers(dest="action", metavar="ACTION")
    rsub.add_parser("show", help="what the ECB and legal-rate tables cover (default)")
    ecb = rsub.add_parser("add-ecb", help="add the ECB MRO rate in force on 1 Jan / 1 Jul")
    ecb.add_argument("half_year", help="e.g. 2026-S2")
    ecb.add_argument("mro_pct", type=float, help="rate in percent, e.g. 2.15")
    ecb.add_argument("--source", required=True, help="official publication (URL, reference)")
    legal = rsub.add_parser("add-legal", help="add the taux de l'intérêt légal of a half-year")
    legal.add_argument("half_year", help="e.g. 2026-S2")
    legal.add_argument("--professional", type=float, required=True, help="percent")
    legal.add_argument("--individual", type=float, required=True, help="percent")
    legal.add_argument("--source", required=True, help="arrêté (JORF reference or URL)")


def run_rates_command(args) -> int:
    """Run a parsed ``creditlab rates ...`` command; returns the exit code."""
    try:
        if args.action == "add-ecb":
            path = rates.add_ecb_rate(args.half_year, args.mro_pct, source=args.source)
            print(f"ECB rate of {args.half_year} recorded in {path}")
        elif args.action == "add-legal":
            path = rates.add_legal_rate(args.half_year, args.professional, args.individual,
                                        source=args.source)
            print(f"legal rate of {args.half_year} recorded in {path}")
        cov = rates.rate_coverage()
        today = rates.half_year_start(pd.Timestamp.today().normalize())
        label = f"{today.year} S{1 if today.month <= 6 else 2}"
        with pd.option_context("display.width", 200, "display.max_columns", None,
                               "display.max_colwidth", None):
            print(cov.to_string(index=False))
        stale = cov[cov["last_half_year"] < label]
        for r in stale.itertuples(index=False):
            print(f"creditlab: warning: the {r.table} table stops at {r.last_half_year} "
                  f"(current half-year {label}); add the published rate with "
                  f"'creditlab rates add-{r.table} {label.replace(' ', '-')} ... --source ...'",
                  file=sys.stderr)
        return EXIT_OK
    except CreditlabError as err:
        return fail(err)
