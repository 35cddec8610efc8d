"""Hypothesis strategies shared by the ledger, aging, KPI and dunning tests.

:func:`ledgers` draws a small customer ledger in the canonical tables (``invoices``,
``payments``, ``disputes``) with what makes ledgers hard: invoices with partial, over- and
early payments, credit notes with a ``related_invoice_id`` (pointing to an invoice, to another
credit note, or to nothing), unallocated cash, refunds (negative payments), and disputes opened
and closed (or still open) at any date; plus an analysis date. Amounts are whole cents.

The test modules import it as ``from strategies import ledgers`` (``tests/`` is on the path
through ``tests/conftest.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from hypothesis import strategies as st

__all__ = ["LedgerCase", "ledgers", "make_invoices", "make_payments", "make_disputes",
           "make_open_items", "open_item_tables", "DAY0"]

#: First day of the drawn ledgers.
DAY0 = pd.Timestamp("2025-01-01")
_ITEMS_AS_OF = pd.Timestamp("2025-12-31")


def make_invoices(rows) -> pd.DataFrame:
    """rows: (invoice_id, customer_id, doc_type, issue, due, amount_ttc, related, disputed)."""
    df = pd.DataFrame(list(rows), columns=["invoice_id", "customer_id", "doc_type", "issue_date",
                                           "due_date", "amount_ttc", "related_invoice_id",
                                           "disputed"])
    df["issue_date"] = pd.to_datetime(df["issue_date"])
    df["due_date"] = pd.to_datetime(df["due_date"])
    df["amount_ttc"] = df["amount_ttc"].astype("float64")
    df["related_invoice_id"] = df["related_invoice_id"].astype("str")
    df["disputed"] = df["disputed"].astype(bool)
    return df


def make_payments(rows) -> pd.DataFrame:
    """rows: (payment_id, customer_id, payment_date, amount, invoice_id)."""
    df = pd.DataFrame(list(rows), columns=["payment_id", "customer_id", "payment_date", "amount",
                                           "invoice_id"])
    df["payment_date"] = pd.to_datetime(df["payment_date"])
    df["amount"] = df["amount"].astype("float64")
    df["invoice_id"] = df["invoice_id"].astype("str")
    return df


def make_disputes(rows) -> pd.DataFrame:
    """rows: (dispute_id, invoice_id, customer_id, opened, closed or None, amount_ttc)."""
    df = pd.DataFrame(list(rows), columns=["dispute_id", "invoice_id", "customer_id",
                                           "opened_date", "closed_date", "amount_ttc"])
    df["opened_date"] = pd.to_datetime(df["opened_date"])
    df["closed_date"] = pd.to_datetime(df["closed_date"])
    df["amount_ttc"] = df["amount_ttc"].astype("float64")
    df["cause"] = "price"
    return df


def make_open_items(rows) -> pd.DataFrame:
    """Hand-written open items (the columns of ``creditlab.receivables.OPEN_ITEM_COLUMNS``).

    rows: (customer_id, invoice_id, doc_type, issue, due, amount_ttc, open_amount, disputed);
    ``paid_amount`` is ``amount_ttc - open_amount``.
    """
    df = pd.DataFrame(list(rows), columns=["customer_id", "invoice_id", "doc_type", "issue_date",
                                           "due_date", "amount_ttc", "open_amount", "disputed"])
    df["issue_date"] = pd.to_datetime(df["issue_date"])
    df["due_date"] = pd.to_datetime(df["due_date"])
    df["amount_ttc"] = df["amount_ttc"].astype("float64")
    df["open_amount"] = df["open_amount"].astype("float64")
    df["paid_amount"] = df["amount_ttc"] - df["open_amount"]
    df["disputed"] = df["disputed"].astype(bool)
    return df[["customer_id", "invoice_id", "doc_type", "issue_date", "due_date", "amount_ttc",
               "paid_amount", "open_amount", "disputed"]]


@dataclass(frozen=True)
class LedgerCase:
    """A drawn ledger: the canonical tables and an analysis date (``as_of``)."""

    invoices: pd.DataFrame
    payments: pd.DataFrame
    disputes: pd.DataFrame
    as_of: pd.Timestamp

    def __iter__(self):  # ``inv, pay, as_of = case`` as the former local builders returned
        return iter((self.invoices, self.payments, self.as_of))


@st.composite
def ledgers(draw, *, max_docs: int = 8, max_pays: int = 10, n_days: int = 120,
            customers: tuple[str, ...] = ("C1", "C2"), credit_notes: bool = True,
            cash_on_account: bool = True, refunds: bool = True, disputes: bool = True,
            start: pd.Timestamp = DAY0, month_end: bool = False,
            overpay: bool = True) -> LedgerCase:
    """A random ledger (see the module docstring).

    Parameters
    ----------
    max_docs, max_pays : int
        At most this many documents (at least 1) and payment lines (0 allowed).
    n_days : int
        Every date falls in ``[start, start + n_days)``.
    customers : tuple of str
        Customer ids drawn for documents; an allocated payment line is the document's customer,
        a line of cash on account any of them.
    credit_notes, cash_on_account, refunds, disputes : bool
        Turn each feature off for properties that do not hold with it.
    month_end : bool
        Draw ``as_of`` among the month ends of the period instead of any day.
    overpay : bool
        ``False``: the lines allocated to a document never add up to more than its amount.
    """
    days = pd.date_range(start, periods=n_days, freq="D")
    last = n_days - 1
    n = draw(st.integers(1, max_docs))
    rows = []
    kinds = []
    for i in range(n):
        credit = credit_notes and i > 0 and draw(st.booleans())
        issue = draw(st.integers(0, last - 1))
        cents = draw(st.integers(1, 500_00))
        related = None
        if credit and draw(st.booleans()):
            related = f"D{draw(st.integers(0, i - 1))}"  # an invoice, or another credit note
        cust = draw(st.sampled_from(customers))
        rows.append((f"D{i}", cust, "credit_note" if credit else "invoice", days[issue],
                     days[min(issue + draw(st.sampled_from([0, 10, 30, 45])), last)],
                     (-cents if credit else cents) / 100, related, draw(st.booleans())))
        kinds.append(cust)
    inv = make_invoices(rows)
    prows = []
    remaining = [abs(round(r[5] * 100)) for r in rows]
    for j in range(draw(st.integers(0, max_pays))):
        target = draw(st.integers(0, n - 1)) if not cash_on_account \
            else draw(st.one_of(st.none(), st.integers(0, n - 1)))
        low = -50_00 if refunds else 1
        if overpay or target is None:
            cents = draw(st.integers(low, 500_00))
        else:
            left = remaining[target]
            if left <= 0:
                continue
            cents = draw(st.integers(1, left))
            remaining[target] -= cents
        cust = kinds[target] if target is not None else draw(st.sampled_from(customers))
        prows.append((f"P{j}", cust, days[draw(st.integers(0, last))], cents / 100,
                      None if target is None else f"D{target}"))
    pay = make_payments(prows)
    drows = []
    if disputes:
        for k in range(draw(st.integers(0, 3))):
            doc = draw(st.integers(0, n - 1))
            opened = draw(st.integers(0, last))
            closed = draw(st.one_of(st.none(), st.integers(opened, last)))
            drows.append((f"L{k}", f"D{doc}", kinds[doc], days[opened],
                          None if closed is None else days[closed], 10.0))
    disp = make_disputes(drows)
    if month_end:
        ends = pd.date_range(start, periods=n_days, freq="D")
        ends = ends[ends.is_month_end]
        as_of = draw(st.sampled_from(list(ends)))
    else:
        as_of = days[draw(st.integers(0, last))]
    return LedgerCase(inv, pay, disp, as_of)


@st.composite
def open_item_tables(draw, as_of: pd.Timestamp = _ITEMS_AS_OF,
                     max_items: int = 30) -> pd.DataFrame:
    """An open-items table drawn directly (not from a ledger): any document type, sign, age
    and disputed flag — the cases an aged balance must add up whatever their origin."""
    n = draw(st.integers(0, max_items))
    recs = []
    for i in range(n):
        since = draw(st.integers(0, 400))
        amt = draw(st.integers(-1_000_00, 5_000_00)) / 100
        recs.append({"customer_id": draw(st.sampled_from(["C1", "C2", "C3"])),
                     "invoice_id": f"D{i}",
                     "doc_type": draw(st.sampled_from(["invoice", "credit_note",
                                                       "unallocated_cash"])),
                     "issue_date": as_of - pd.Timedelta(days=since),
                     "due_date": as_of - pd.Timedelta(days=since - draw(st.integers(0, 120))),
                     "amount_ttc": amt, "paid_amount": 0.0, "open_amount": amt,
                     "disputed": draw(st.booleans())})
    cols = ["customer_id", "invoice_id", "doc_type", "issue_date", "due_date", "amount_ttc",
            "paid_amount", "open_amount", "disputed"]
    df = pd.DataFrame(recs, columns=cols)
    df["customer_id"] = df["customer_id"].astype("str")
    df["invoice_id"] = df["invoice_id"].astype("str")
    df["issue_date"] = pd.to_datetime(df["issue_date"])
    df["due_date"] = pd.to_datetime(df["due_date"])
    df["amount_ttc"] = df["amount_ttc"].astype("float64")
    df["open_amount"] = df["open_amount"].astype("float64")
    df["paid_amount"] = df["paid_amount"].astype("float64")
    df["disputed"] = df["disputed"].astype(bool)
    return df
