"""Deterministic generator of a realistic demo portfolio (a fictional French industrial supplier).

:func:`make_portfolio` returns every canonical table of :mod:`creditlab.io.tables` for a supplier
selling on credit to a few hundred French business customers:

- **customers** with a sector, a size class, a segment, contractual payment terms (60 days,
  45 days end of month, 30 days, transport 30 days, cash), a credit limit, a credit-insurer
  agreement and a sales representative;
- **financial_statements**: three fiscal years (2022-2024) of PCG aggregates per customer whose
  balance sheets balance and whose income statements add up (``FS_IDENTITIES`` hold exactly, in
  whole euros); equity evolves from year to year with the net income less dividends;
- **invoices** with seasonality (August is quiet), credit notes (returns, commercial gestures and
  dispute settlements) from ``start`` plus the older items still open then (opening balance),
  **disputes** with their causes, **payments** (grouped transfers, payment
  runs, LCR paid at due date, partial payments, a little unallocated cash), an **orders** backlog
  and **events** (procédures collectives).

One latent *financial health* per customer drives its ratios, its payment delays and its
probability of failure, so that scores and calibration find real signal: a failing customer's
last accounts are weak, it pays later and later in the months before the judgment, and the
invoices still unpaid at the judgment stay unpaid (gel du passif). A second, independent
*payment habit* makes some sound customers (often large ones) pay late anyway.

Everything is drawn with ``numpy.random.default_rng(seed)`` and vectorised (no loop over
customers or invoices): 10 million invoices generate in a few minutes. The bundled demo in
``datasets/demo/`` is ``make_portfolio()`` with the defaults below, written by ``python -m
creditlab.synth``; a test proves the files equal the regeneration.
"""


from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from creditlab._checks import as_date, as_of_date
from creditlab._demo import DEMO_DIR, coerce_types
from creditlab.exceptions import InputError
from creditlab.synth._common import (
    DEMO_AS_OF,
    DEMO_FISCAL_YEARS,
    DEMO_N_CUSTOMERS,
    DEMO_SEED,
    DEMO_START,
    VAT_RATE,
    _days,
)
from creditlab.synth._ledger import _ledger, _orders
from creditlab.synth._parties import _customers, _events
from creditlab.synth._statements import _statements
from creditlab.tables import TABLES, columns_of

__all__ = [
    "make_portfolio",
    "write_portfolio",
    "DEMO_SEED",
    "DEMO_START",
    "DEMO_AS_OF",
    "DEMO_N_CUSTOMERS",
    "DEMO_FISCAL_YEARS",
    "VAT_RATE",
]

# --------------------------------------------------------------------------- public API
def make_portfolio(seed: int = DEMO_SEED, n_customers: int = DEMO_N_CUSTOMERS,
                   start=DEMO_START, as_of=DEMO_AS_OF, *,
                   invoices_per_customer_month: float | None = None) -> dict[str, pd.DataFrame]:
    """Generate a demo portfolio: every canonical table, consistent with each other.

    Parameters
    ----------
    seed : int
        Seed of ``numpy.random.default_rng``; the same seed gives the same tables.
    n_customers : int
        Number of customer accounts (>= 10).
    start, as_of : date-like
        First day of the ledger and date of the export (as-of date). At least 12 months apart.
        Financial statements cover fiscal years 2022-2024 (filed about five months after
        closing, so ``as_of`` should be on or after 2025-06-01 to see them all).
    invoices_per_customer_month : float, optional
        Mean number of invoices per customer and month (before seasonality); by default it
        depends on the customer's size (about 2.3 on average). Benchmarks use it to build
        ledgers of millions of invoices.

    Returns
    -------
    dict of DataFrame
        ``customers, invoices, payments, orders, disputes, financial_statements, events`` with
        the canonical columns (``creditlab.io.tables``) and dtypes.

    Raises
    ------
    InputError
        Bad ``seed``, ``n_customers``, dates or ``invoices_per_customer_month``.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InputError("seed", "a non-negative integer", seed, "pass e.g. seed=2025")
    if isinstance(n_customers, bool) or not isinstance(n_customers, (int, np.integer)) \
            or n_customers < 10:
        raise InputError("n_customers", "an integer >= 10", n_customers,
                         "pass the number of customer accounts to generate, e.g. 400")
    start_ts, as_of_ts = as_date(start, "start"), as_of_date(as_of)
    if (as_of_ts - start_ts).days < 365:
        raise InputError("as_of", "a date at least 12 months after start", (start, as_of),
                         "widen the period, e.g. start='2024-01-01', as_of='2025-12-31'")
    if invoices_per_customer_month is not None and not (0 < invoices_per_customer_month < 1e4):
        raise InputError("invoices_per_customer_month", "a positive number",
                         invoices_per_customer_month, "pass e.g. 20, or None for the default")

    rng = np.random.default_rng(seed)
    start_day, as_of_day = _days(start_ts), _days(as_of_ts)
    customers, latent = _customers(rng, int(n_customers), start_day, as_of_day)
    ids = customers["customer_id"].to_numpy().astype("str")
    events, first_event, liquidation_day = _events(rng, latent, start_day, as_of_day, ids)
    fs = _statements(rng, customers, latent, first_event)
    invoices, payments, disputes = _ledger(rng, customers, latent, first_event, liquidation_day,
                                           start_day, as_of_day, invoices_per_customer_month)
    orders = _orders(rng, customers, latent, liquidation_day, as_of_day)
    tables = {"customers": customers, "invoices": invoices, "payments": payments,
              "orders": orders, "disputes": disputes, "financial_statements": fs,
              "events": events}
    return {name: coerce_types(df[columns_of(name)], name) for name, df in tables.items()}


def write_portfolio(tables: dict[str, pd.DataFrame], out_dir) -> Path:
    """Write the tables as ``NAME.csv`` (UTF-8, ``,`` separator, ISO dates) atomically.

    The files are written into a temporary sibling directory that replaces ``out_dir`` only
    once every file is complete, so a failure never leaves a half-written dataset.
    """
    out = Path(out_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        for name, df in tables.items():
            if name not in TABLES:
                raise InputError("tables", f"names among {sorted(TABLES)}", name,
                                 "pass the dict returned by make_portfolio")
            df.to_csv(tmp / f"{name}.csv", index=False, date_format="%Y-%m-%d",
                      lineterminator="\n")
        if out.exists():
            old = out.with_name(f".{out.name}-old")
            if old.exists():
                shutil.rmtree(old)
            os.replace(out, old)
            os.replace(tmp, out)
            shutil.rmtree(old)
        else:
            os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def main(argv=None) -> int:
    """``python -m creditlab.synth [--out datasets/demo] [--seed 2025] [--n-customers 400]``."""
    ap = argparse.ArgumentParser(prog="python -m creditlab.synth",
                                 description="Generate the demo portfolio as CSV files.")
    ap.add_argument("--out", default=str(DEMO_DIR))
    ap.add_argument("--seed", type=int, default=DEMO_SEED)
    ap.add_argument("--n-customers", type=int, default=DEMO_N_CUSTOMERS)
    args = ap.parse_args(argv)
    tables = make_portfolio(seed=args.seed, n_customers=args.n_customers)
    out = write_portfolio(tables, args.out)
    for name, df in tables.items():
        print(f"{name:22s} {len(df):>8,d} rows  {(out / f'{name}.csv').stat().st_size:>10,d} B")
    return 0
