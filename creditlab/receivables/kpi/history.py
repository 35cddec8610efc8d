"""Monthly history of every receivables KPI, straight from the ledger (:func:`kpi_history`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from creditlab.exceptions import InputError
from creditlab.receivables.buckets import MISSING_GROUP
from creditlab.receivables.items import Ledger
from creditlab.receivables.kpi._engine import (
    _Accumulator,
    _add_disputes,
    _allowance_rows,
    _assemble,
    _classify,
    _classify_held,
    _codes,
    _customer_rows,
    _limit_columns,
    _month_grid,
    _netting,
    _open_ht,
    _require_dates,
)
from creditlab.receivables.kpi.snapshot import _check_columns
from creditlab.receivables.ledger import _build_core
from creditlab.receivables.outofcore import ParquetLedger
from creditlab.receivables.outofcore_history import kpi_history_sql

__all__ = ["kpi_history"]

_INVOICE_COLS = ("invoice_id", "customer_id", "doc_type", "issue_date", "due_date", "amount_ttc")
_PAYMENT_COLS = ("customer_id", "payment_date", "amount", "invoice_id")


def _euros(df: pd.DataFrame, table: str, column: str) -> np.ndarray:
    """An amount column as float64 euros (number-like object columns accepted)."""
    try:
        return df[column].to_numpy(dtype="float64", na_value=np.nan)
    except (TypeError, ValueError):
        raise InputError(f"{table}.{column}", "a numeric column (euros)",
                         str(df[column].dtype), "convert it with pandas.to_numeric (decimal "
                         "comma? read the file with creditlab.io.read_table)") from None


def kpi_history(invoices: Ledger | pd.DataFrame, payments: pd.DataFrame | None = None,
                start=None, end=None, *,
                by: str | None = None, disputes: pd.DataFrame | None = None,
                customers: pd.DataFrame | None = None, freq: str = "M", dso_months: int = 3,
                countback_months: int = 24,
                write_offs: pd.DataFrame | None = None,
                allowances: pd.DataFrame | None = None) -> pd.DataFrame:
    """Monthly history of every receivables KPI, straight from the ledger.

    All balances at every month end are obtained in one pass: each invoice, credit note,
    payment line and dispute adds its signed amount to the month ends where it is open (a
    difference array over months, then a cumulative sum), so the cost is linear in the ledger
    and independent of the number of months' recomputations.

    Parameters
    ----------
    invoices, payments : DataFrame
        Canonical ``invoices`` and ``payments`` tables (TTC amounts; ``amount_ht`` optional),
        or a :class:`~creditlab.receivables.Ledger` in place of both
        (``kpi_history(ledger, start, end)``): its matching is used as is, and its disputes and
        customers tables are the defaults. A ledger left in Parquet
        (``Ledger.from_parquet(...)``, a :class:`~creditlab.receivables.outofcore.ParquetLedger`)
        is computed out of core by DuckDB, same rules and result
        (:mod:`creditlab.receivables.outofcore_history`).
    start, end : date-like
        First and last month of the output. Rows are the month ends from ``start``'s month to
        ``end``'s month; if ``end`` is not a month end, the last row is ``end`` itself (month to
        date). Earlier history in the ledger is used (balances, countback, CEI 12 months).
    by : str, optional
        ``"customer_id"`` or a column of ``customers`` (``segment``, ``sales_rep``, ``sector``,
        a rating...): one series per group.
    disputes : DataFrame, optional
        Canonical ``disputes`` table; the disputed amount at a month end is the open amount of
        the invoices with a dispute open at that date (overlapping disputes on one invoice are
        merged). Without it the dispute columns are NaN (note ``no_disputes_table``).
    customers : DataFrame, optional
        Canonical ``customers`` table: needed for ``by`` on a customer attribute and for the
        credit-limit columns (current ``credit_limit`` applied to every month).
    freq : {"M"}
        Month ends (the only frequency; quarters are every third row).
    dso_months : int, default 3
        Window of the simple DSO, the BPDSO and the ADD: receivables at the month end × real
        calendar days of the last ``dso_months`` months / TTC sales of those months.
    countback_months : int, default 24
        How many months the countback DSO may go back before giving NaN.
    write_offs : DataFrame, optional
        Columns ``customer_id, date, amount_ht``: bad debts written off (positive) or recovered
        (negative), HT. Gives ``write_offs_ht`` (month) and ``bad_debt_ratio`` (12 months net
        write-offs / 12 months sales HT).
    allowances : DataFrame, optional
        Columns ``customer_id, date, amount_ht``: movements of the allowance for doubtful
        receivables (PCG 491 *dépréciation des comptes clients*), HT — additions (*dotations*)
        positive, releases (*reprises*) negative. Gives ``allowance_ht`` (balance booked up to
        the month end, summed over the customers of the group) and ``provisioning_ratio`` =
        ``allowance_ht`` / receivables HT (see Notes). A customer's balance may never fall
        below 0 (a release larger than the allowance booked is an input error). Without the
        table both columns are NaN (note ``no_allowances``).

    Returns
    -------
    DataFrame indexed by ``month_end`` (or by ``(by, month_end)``) with the columns of
    ``HISTORY_COLUMNS``: balances (TTC, signed net: credit notes and unallocated cash reduce
    them, aged by their own due date — the payment date for cash), month flows (``sales_ttc``,
    ``sales_ht``, ``paid_ttc`` = cash received on invoices — positive lines allocated to
    invoices, as ``payment_behaviour`` counts it —, ``disputes_opened_ttc``, ``write_offs_ht``),
    day KPIs (``dso_simple``, ``dso_countback``, ``bpdso``, ``add``,
    ``weighted_days_past_due``, and ``avg_days_to_pay`` / ``avg_days_late``: amount-weighted
    days from issue / due date to payment of that cash), fractions
    (``cei`` monthly, ``cei_12m`` CRF annual form, ``overdue_ratio``, ``share_over_90``,
    ``dispute_rate``, ``bad_debt_ratio``, ``provisioning_ratio``, ``limit_utilisation`` = Σ
    positive receivables of the customers with a limit > 0 / Σ their limits) and
    ``n_over_limit`` (customers whose
    receivables exceed their limit; a limit of 0 with receivables counts). On a net credit
    balance the DSO family and the shares of the receivables (``overdue_ratio``,
    ``share_over_90``, ``dispute_rate``, ``provisioning_ratio``) are NaN. ``notes`` holds the
    ``;``-separated reasons of the NaN values on the row (see ``KPI_NOTES``, ``note_text``).

    Notes
    -----
    Formulas: DOMAIN.md §6 (CRF definitions; DSO in TTC, pitfall 5; CEI and BPDSO with current
    receivables, pitfall 6). A payment allocated to an invoice issued later counts as cash on
    account (due on its payment date) until the invoice is issued.

    VAT basis of the provisioning ratio (DOMAIN.md §6.5: allowance 491 / total receivables,
    "keep HT/HT or TTC/TTC consistent"): the ratio is **HT / HT**. The allowance is HT —
    the VAT of a debt that proves irrecoverable is recovered from the tax authority
    (pitfall 7), so only the HT part is at risk and provisioned — hence the TTC receivables
    are converted to HT with the ledger's own ratio at that month end::

        receivables HT = receivables TTC × Σ open amount × HT/TTC / Σ open amount

    over the open documents (invoices and credit notes, each with its own ``amount_ht /
    amount_ttc``; cash on account is converted at the same average rate). A receivable fully
    provisioned thus reads 100 %, not 1 / 1.2 = 83 % as against TTC receivables. Needs
    ``invoices.amount_ht``: without it, or when no open document has an HT amount, the ratio
    is NaN (note ``no_amount_ht``).
    """
    parquet = invoices if isinstance(invoices, ParquetLedger) else None
    ledger = invoices if isinstance(invoices, Ledger) else None
    if parquet is not None or ledger is not None:
        if end is None:  # kpi_history(ledger, start, end)
            start, end, payments = payments, start, None
        if payments is not None:
            kind = "ParquetLedger" if parquet is not None else "Ledger"
            raise InputError("payments", f"nothing when a {kind} is passed", "a payments table",
                             "call kpi_history(ledger, start, end) or "
                             "kpi_history(invoices, payments, start, end)")
    if start is None or end is None:
        raise InputError("start" if start is None else "end", "a date or a month ('2025-01')",
                         None, "pass the first and last month of the history")
    if freq not in ("M", "ME", "month"):
        raise InputError("freq", "'M' (month ends)", freq,
                         "take every third row of the monthly history for quarters")
    for name, val in (("dso_months", dso_months), ("countback_months", countback_months)):
        if isinstance(val, bool) or not isinstance(val, (int, np.integer)) or val < 1:
            raise InputError(name, "a whole number of months >= 1", val)
    if parquet is not None:  # out of core: DuckDB over the Parquet files
        return kpi_history_sql(parquet, start, end, by=by, disputes=disputes,
                               customers=customers, freq=freq, dso_months=dso_months,
                               countback_months=countback_months, write_offs=write_offs,
                               allowances=allowances)
    if ledger is not None:
        if disputes is not None and disputes is not ledger.disputes:
            raise InputError("disputes", "the ledger's own disputes table", "another table",
                             "build the ledger with Ledger.from_tables(..., disputes=...)")
        invoices, payments, disputes = ledger.invoices, ledger.payments, ledger.disputes
        customers = ledger.customers if customers is None else customers
    _check_columns(invoices, "invoices", _INVOICE_COLS, "pass the canonical invoices table")
    _check_columns(payments, "payments", _PAYMENT_COLS, "pass the canonical payments table")
    offset = max(12, countback_months - 1, dso_months - 1)
    me, ends, first_day = _month_grid(start, end, offset)

    # --- the ledger, matched once (payment → document, credit note → invoice, disputes) ----
    issue = _require_dates(invoices, "invoices", "issue_date")
    due = _require_dates(invoices, "invoices", "due_date",
                         fix="missing payment terms: compute the due dates from the payment "
                             "terms (creditlab.legal) before computing KPIs")
    amt_raw = _euros(invoices, "invoices", "amount_ttc")
    if np.isnan(amt_raw).any():
        raise InputError("invoices.amount_ttc", "an amount on every row",
                         f"{int(np.isnan(amt_raw).sum())} empty", "fill the amounts")
    pay_raw = _euros(payments, "payments", "amount")
    _require_dates(payments, "payments", "payment_date")
    # number-like object columns (a concat with an empty frame) are read as float64
    if not pd.api.types.is_numeric_dtype(invoices["amount_ttc"].dtype):
        invoices = invoices.assign(amount_ttc=amt_raw)
    if not pd.api.types.is_numeric_dtype(payments["amount"].dtype):
        payments = payments.assign(amount=pay_raw)
    if disputes is not None:
        _check_columns(disputes, "disputes", ("invoice_id", "opened_date", "closed_date",
                                              "amount_ttc"), "pass the canonical disputes table")
    core = (ledger._core if ledger is not None
            else _build_core(invoices, payments, disputes, history=True))
    alloc_idx, rel_idx = core.target, core.rel
    issue, due = core.issue, core.due
    # amounts as given (euros, not rounded to the cent: the history sums what the ledger says)
    amt = amt_raw
    pay_amt = pay_raw
    pay_day = core.pay_day
    is_invoice = core.is_invoice
    amt_ht = (invoices["amount_ht"].to_numpy(dtype="float64") if "amount_ht" in invoices.columns
              else None)

    # --- groups ------------------------------------------------------------------------------
    cust_table = None
    if customers is not None:
        _check_columns(customers, "customers", ("customer_id",), "pass the customers table")
        cust_table = customers.drop_duplicates("customer_id")
    if by is None:
        labels = pd.Index(["total"])
        inv_g = np.zeros(len(invoices), dtype="int64")
        pay_g = np.zeros(len(payments), dtype="int64")
        group_of = None
    elif by == "customer_id":
        labels = pd.Index(pd.unique(pd.concat([invoices["customer_id"],
                                               payments["customer_id"]], ignore_index=True)))
        labels = labels.sort_values()
        inv_g = labels.get_indexer(invoices["customer_id"])
        pay_g = labels.get_indexer(payments["customer_id"])
        group_of = None
    else:
        if cust_table is None or by not in cust_table.columns:
            raise InputError("by", "'customer_id' or a column of customers", by,
                             "pass customers=... holding that column (segment, sales_rep, ...)")
        cust_index = pd.Index(cust_table["customer_id"])
        values = cust_table[by].astype("str").fillna(MISSING_GROUP)
        group_of, labels = pd.factorize(values, sort=True)
        labels = pd.Index(labels)
        inv_g = group_of[_codes(invoices["customer_id"], cust_index, "invoices")]
        pay_g = group_of[_codes(payments["customer_id"], cust_index, "payments")]
    inv_g = np.asarray(inv_g, dtype="int64")
    G = len(labels)
    acc = _Accumulator(me, first_day, G)

    # --- documents ---------------------------------------------------------------------------
    acc.interval("total", inv_g, amt, issue)
    _classify_held(acc, inv_g, amt, issue, issue, due, is_invoice)
    acc.flow("sales", inv_g, amt, issue)
    if amt_ht is not None:
        acc.flow("sales_ht", inv_g, np.nan_to_num(amt_ht), issue)

    # --- payments ----------------------------------------------------------------------------
    alloc = alloc_idx >= 0
    a_idx = alloc_idx[alloc]
    p = pay_amt[alloc]
    q = pay_day[alloc]
    gi = inv_g[a_idx]
    i_a, d_a = issue[a_idx], due[a_idx]
    acc.interval("total", gi, -p, q)
    _classify_held(acc, gi, -p, q, i_a, d_a, is_invoice[a_idx])
    early = q < i_a  # cash received before its document exists: on account until then
    if early.any():
        acc.interval("current", gi[early], -p[early], q[early],
                     np.minimum(q[early] + 1, i_a[early]))
        acc.interval("over90", gi[early], -p[early], q[early] + 91, i_a[early])
    # cash received on invoices, as creditlab.receivables.payment_behaviour counts it
    # (positive lines allocated to invoices; refunds and credit-note lines left out)
    pw = np.where((p > 0) & is_invoice[a_idx], p, 0.0)
    acc.flow("paid", gi, pw, q)
    acc.flow("paid_days", gi, pw * (q - i_a), q)
    acc.flow("paid_late", gi, pw * (q - d_a), q)
    un = ~alloc
    gu, pu, qu = pay_g[un], pay_amt[un], pay_day[un]
    acc.interval("total", gu, -pu, qu)
    acc.interval("current", gu, -pu, qu, qu + 1)
    acc.interval("over90", gu, -pu, qu + 91)

    # --- credit notes netted against the invoice they correct (as open_items does) -----------
    net = _netting(rel_idx, is_invoice, amt, issue, alloc_idx, pay_amt, pay_day)
    records = [(np.arange(len(amt)), amt, issue, None), (a_idx, -p, np.maximum(q, i_a), None)]
    if net is not None:
        nk, nr, nv, nlo, nhi = net
        _classify(acc, inv_g[nr], -nv, nlo, nhi, issue[nr], due[nr], is_invoice[nr])
        _classify(acc, inv_g[nk], nv, nlo, nhi, issue[nk], due[nk], is_invoice[nk])
        records += [(nr, -nv, nlo, nhi), (nk, nv, nlo, nhi)]

    # --- disputes ----------------------------------------------------------------------------
    has_disputes = disputes is not None
    if has_disputes:
        _add_disputes(acc, disputes, core.d_doc, inv_g, issue, records)

    # --- write-offs --------------------------------------------------------------------------
    has_wo = write_offs is not None
    if has_wo:
        wo_g, wo_amt, wo_day = _customer_rows(
            write_offs, "write_offs", labels, by, group_of, cust_table, invoices, payments,
            "pass a table customer_id, date, amount_ht (write-off > 0, recovery < 0)",
            "a write-off covers a receivable: check the customer numbers")
        acc.flow("write_offs", wo_g, wo_amt, wo_day)

    # --- allowance for doubtful receivables (PCG 491): a balance, and receivables HT ---------
    has_allow = allowances is not None
    if has_allow:
        al_g, al_amt, al_day = _allowance_rows(allowances, labels, by, group_of, cust_table,
                                               invoices, payments)
        acc.interval("allowance", al_g, al_amt, al_day)
        if amt_ht is not None:
            _open_ht(acc, records, inv_g, amt, amt_ht)

    # --- credit limits (per customer, output months only) ------------------------------------
    limits = None
    if cust_table is not None and "credit_limit" in cust_table.columns:
        lim = cust_table["credit_limit"].to_numpy(dtype="float64")
        if np.isfinite(lim).any():
            limits = _limit_columns(cust_table, lim, group_of, labels, by, invoices, payments,
                                    issue, amt, alloc_idx, pay_amt, pay_day, me[offset:], G)

    return _assemble(acc, me, ends, offset, labels, by, amt_ht is not None, has_disputes,
                     has_wo, limits, dso_months, countback_months, int(issue.min())
                     if len(issue) else None, has_allow)


