"""Per-customer payment behaviour: how fast and how late each customer pays.

CONTRACTS.md, "Per-customer payment behaviour". The average days to pay is the amount-weighted
mean of ``payment_date − issue_date`` over the payments received; the average days late is the
amount-weighted mean of ``payment_date − due_date`` (negative = paid early). Weighting by amount
is the usual "average days to pay" (ADP) of credit-management practice (CRF, DOMAIN.md §6 for
the portfolio measures built on it, e.g. ``creditlab.receivables.kpi.average_days_to_pay``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from creditlab._checks import as_of_date
from creditlab.exceptions import InputError
from creditlab.receivables.ledger import (
    _INVOICE_COLUMNS,
    _PAYMENT_COLUMNS,
    _blank,
    _cents,
    _check_frame,
    _day_number,
    _days,
    _encode_together,
    _ids,
    _lookup,
)

__all__ = ["payment_behaviour", "BEHAVIOUR_LABELS"]

#: French / English labels of the columns of :func:`payment_behaviour`.
BEHAVIOUR_LABELS: dict[str, dict[str, str]] = {
    "n_invoices_paid": {"fr": "factures réglées", "en": "invoices paid"},
    "amount_paid": {"fr": "montant réglé", "en": "amount paid"},
    "avg_days_to_pay": {"fr": "délai moyen de paiement (j)", "en": "average days to pay"},
    "avg_days_late": {"fr": "retard moyen (j)", "en": "average days late"},
    "share_paid_late": {"fr": "part payée en retard", "en": "share paid late"},
}


def payment_behaviour(invoices: pd.DataFrame, payments: pd.DataFrame, as_of) -> pd.DataFrame:
    """How each customer has paid its invoices up to a date.

    Parameters
    ----------
    invoices : DataFrame
        Canonical ``invoices`` table (``invoice_id, customer_id, doc_type, issue_date,
        due_date, amount_ttc``).
    payments : DataFrame
        Canonical ``payments`` table (``payment_id, customer_id, payment_date, amount,
        invoice_id``).
    as_of : date-like
        Only payments dated on or before ``as_of`` count.

    Returns
    -------
    DataFrame indexed by ``customer_id`` (every customer with a document issued on or before
    ``as_of`` or a payment received by then), sorted, with columns:

    - ``n_invoices_paid`` (int): distinct invoices that received at least one payment line;
    - ``amount_paid`` (euros): cash allocated to invoices;
    - ``avg_days_to_pay`` (days): ``Σ amount × (payment_date − issue_date) / Σ amount``;
    - ``avg_days_late`` (days): ``Σ amount × (payment_date − due_date) / Σ amount``, negative
      when the customer pays early on average;
    - ``share_paid_late`` (fraction): share of ``amount_paid`` received after the due date.

    The averages and the share are NaN for a customer with no payment counted (0/0: nothing to
    average), never 0.

    Notes
    -----
    Counted: payment lines with a positive amount, dated on or before ``as_of`` and allocated to
    a document of type ``invoice`` issued on or before ``as_of``. Left out: unallocated cash (no
    invoice to date it against), advances on invoices issued after ``as_of`` (cash on account at
    that date, as in :func:`~creditlab.receivables.open_items`), refunds (negative lines) and
    lines settling credit notes. Each line is attributed to the
    customer of the invoice it settles.

    Raises
    ------
    InputError
        Missing columns, NaT dates, missing amounts, payments allocated to unknown invoices.
    """
    asof_day = _day_number(as_of_date(as_of))
    _check_frame(invoices, "invoices", _INVOICE_COLUMNS,
                 "pass the canonical invoices table (creditlab.io.read_table(path, 'invoices'))")
    _check_frame(payments, "payments", _PAYMENT_COLUMNS,
                 "pass the canonical payments table (creditlab.io.read_table(path, 'payments'))")
    inv_id = _ids(invoices, "invoices", "invoice_id")
    cust = _ids(invoices, "invoices", "customer_id")
    issue = _days(invoices, "invoices", "issue_date", ids=inv_id)
    due = _days(invoices, "invoices", "due_date", ids=inv_id)
    is_invoice = (invoices["doc_type"] == "invoice").to_numpy(dtype=bool, na_value=False)
    pay_id = _ids(payments, "payments", "payment_id")
    pay_cust = _ids(payments, "payments", "customer_id")
    pay_day = _days(payments, "payments", "payment_date", ids=pay_id)
    cents = _cents(payments, "payments", "amount", ids=pay_id)

    n = len(invoices)
    has_ref = "invoice_id" in payments.columns
    inv_code, pay_code = _encode_together(
        inv_id, payments["invoice_id"] if has_ref else pay_id.iloc[:0])
    if n and not np.array_equal(inv_code, np.arange(n)):
        dup = inv_id[inv_id.duplicated()].unique()[:5].tolist()
        raise InputError("invoices.invoice_id", "unique document ids", f"duplicates {dup}",
                         "remove the duplicated rows or give each document its own id")
    alloc = ~_blank(payments["invoice_id"]) if has_ref else np.zeros(len(payments), dtype=bool)
    rows = np.flatnonzero(alloc)
    target = pay_code[rows]
    target = np.where((target >= 0) & (target < n), target, -1)
    if (target < 0).any():
        bad = payments["invoice_id"].iloc[rows[target < 0]]
        raise InputError("payments.invoice_id", "ids of documents present in invoices",
                         f"unknown documents {bad.unique()[:5].tolist()}",
                         "add the missing invoices, or clear invoice_id on those lines "
                         "(unallocated cash)")
    use = ((pay_day[rows] <= asof_day) & (cents[rows] > 0) & is_invoice[target]
           & (issue[target] <= asof_day))
    rows, target = rows[use], target[use]
    w = cents[rows]
    to_pay = (pay_day[rows] - issue[target]).astype("float64")
    late = (pay_day[rows] - due[target]).astype("float64")

    # customers: with a document issued by as_of, or a payment received by then
    known = pd.concat([cust[issue <= asof_day], pay_cust[pay_day <= asof_day]],
                      ignore_index=True)
    index = pd.Index(np.sort(known.unique().astype("str")), name="customer_id", dtype="str")
    code = _lookup(cust.iloc[target], pd.Series(index)) if len(target) else \
        np.empty(0, dtype="int64")
    k = len(index)
    amount = np.bincount(code, weights=w, minlength=k)
    days_num = np.bincount(code, weights=w * to_pay, minlength=k)
    late_num = np.bincount(code, weights=w * late, minlength=k)
    late_amt = np.bincount(code, weights=np.where(late > 0, w, 0.0), minlength=k)
    first = pd.Series(target).groupby(code).nunique() if len(code) else pd.Series(dtype="int64")
    n_paid = first.reindex(range(k), fill_value=0).to_numpy(dtype="int64")
    den = np.where(amount > 0, amount, np.nan)  # 0/0 → NaN: nothing to average
    return pd.DataFrame({
        "n_invoices_paid": n_paid,
        "amount_paid": amount / 100.0,
        "avg_days_to_pay": days_num / den,
        "avg_days_late": late_num / den,
        "share_paid_late": late_amt / den,
    }, index=index)
