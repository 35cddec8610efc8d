"""The customer accounts of a FEC: open items, ledger tables and customers' names.

Works on the table of :func:`creditlab.io.read_fec` (reading and checking the file is there):

- :func:`fec_open_items`: the open customer items (accounts 411*) as of a date, from the
  lettering columns, in the open-items shape of ``creditlab.receivables.open_items``;
- :func:`fec_ledger_tables`: the canonical ``invoices`` and ``payments`` tables (what the
  reports' loader builds its ledger from);
- :func:`fec_customers`: the customers' names from the auxiliary accounts (``CompAuxNum`` /
  ``CompAuxLib``), so that letters and tables name customers instead of account numbers.

One customer rule everywhere: ``customer_id`` is the auxiliary account (``CompAuxNum``) when the
line has one, else the general account (``CompteNum``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from creditlab._checks import as_of_date
from creditlab._demo import coerce_types
from creditlab.exceptions import InputError
from creditlab.receivables.items import OpenItems

__all__ = ["fec_open_items", "fec_ledger_tables", "fec_customers"]

_SALES_ACCOUNT = "70"


def _text(fec: pd.DataFrame, name: str) -> pd.Series:
    """Column ``name`` stripped, empty and absent values as missing (str dtype)."""
    if name not in fec.columns:
        return pd.Series(np.nan, index=fec.index, dtype="str")
    s = fec[name].astype("str").str.strip()
    return s.where(s.notna() & (s != "") & (s != "nan"))


def _sales_journals(fec, account, journal, given) -> set:
    """The sales journals: ``given``, else those of the lines crediting a sales account (70x)."""
    if given is not None:
        return set(given)
    return set(journal[account.str.startswith(_SALES_ACCOUNT, na=False)
                       & (pd.to_numeric(fec["credit"]) > 0)].dropna())


def _customer_ids(fec: pd.DataFrame) -> pd.Series:
    """The customer of each line: ``aux_account`` when present, else ``account``."""
    return _text(fec, "aux_account").fillna(_text(fec, "account"))


# ----------------------------------------------------------------------------- open items
_OPEN_ITEMS_COLUMNS = ["customer_id", "invoice_id", "doc_type", "issue_date", "due_date",
                       "amount_ttc", "paid_amount", "open_amount", "disputed"]


def fec_open_items(fec: pd.DataFrame, as_of, *, accounts: str | Sequence[str] = "411",
                   default_terms_days: int = 30,
                   sales_journals: Sequence[str] | None = None) -> OpenItems:
    """Open customer items as of a date, from the lettering of a FEC.

    Rules
    -----
    - Customer lines are those whose ``account`` starts with one of ``accounts`` (default
      ``"411"``); ``customer_id`` is ``aux_account`` when present, else ``account``.
    - Lines with ``entry_date`` after ``as_of`` are ignored.
    - A line is **closed** when it is lettered (``letter`` non-empty) with ``letter_date`` on or
      before ``as_of`` — a letter without ``letter_date`` counts as lettered on time — *and*
      its lettering group (same account, customer and letter, among those closed lines)
      balances to the cent. A group that does not balance (partial lettering) stays open, line
      by line, so that the open items always add up to the 411 balance as of ``as_of``.
    - Each open line is a document: a net debit is an ``invoice``; a net credit is a
      ``credit_note`` when it is posted in a sales journal, else ``unallocated_cash``
      (payments not yet matched). Sales journals are ``sales_journals`` when given, else the
      journals holding a credit on a sales account (70*).
    - ``invoice_id`` = ``piece_ref`` (else ``journal_code-entry_num``, else ``L<line>``).
    - ``issue_date`` = ``piece_date`` (else ``entry_date``); for cash the ``entry_date``.
    - ``due_date`` = ``issue_date + default_terms_days`` (the FEC holds no due date; its
      ``DateRglt`` is the date of a payment, never used as a due date); for cash the
      ``entry_date``.
    - Amounts are signed as in the open-items contract: ``amount_ttc = open_amount = debit -
      credit`` (invoices > 0, credit notes and cash < 0), ``paid_amount = 0`` (lettering is
      all or nothing); ``disputed`` is False (the FEC does not record disputes). Lines with a
      zero amount are dropped.

    Parameters
    ----------
    fec : DataFrame
        Output of :func:`read_fec` (columns ``account, aux_account, debit, credit, entry_date,
        letter, letter_date, journal_code, entry_num, piece_ref, piece_date``; ``line`` and
        ``payment_date`` optional).
    as_of : date-like
        Date of the analysis.
    accounts : str or sequence of str, default "411"
        Account-number prefixes of the customer accounts (e.g. ``("411", "416")``).
    default_terms_days : int, default 30
        Days from issue to due date (the customers' payment terms).
    sales_journals : sequence of str, optional
        Journal codes of the sales journals (detected from 70* lines when None).

    Returns
    -------
    OpenItems
        ``.as_of`` is the date of the analysis; ``.items`` holds the open-items contract columns
        (``customer_id, invoice_id, doc_type, issue_date, due_date, amount_ttc, paid_amount,
        open_amount, disputed``) followed by ``account, journal_code, entry_num, letter,
        line``; one row per open line, sorted by customer and issue date. ``.items.attrs``:
        ``source``, ``partial_letters`` (number of lettering groups kept open because they do
        not balance).
    """
    if not isinstance(fec, pd.DataFrame):
        raise InputError("fec", "a DataFrame of FEC lines (creditlab.io.read_fec)",
                         type(fec).__name__, "read the file with creditlab.io.read_fec(path)")
    needed = ["account", "debit", "credit", "entry_date", "letter", "letter_date"]
    missing = [c for c in needed if c not in fec.columns]
    if missing:
        raise InputError(f"fec.{missing[0]}", f"FEC columns {needed}", list(fec.columns),
                         "read the file with creditlab.io.read_fec(path)")
    as_of = as_of_date(as_of)
    prefixes = (accounts,) if isinstance(accounts, str) else tuple(accounts)
    if not prefixes or not all(isinstance(p, str) and p for p in prefixes):
        raise InputError("accounts", "an account prefix or a sequence of them", accounts,
                         "pass e.g. accounts='411' or accounts=('411', '416')")
    if not isinstance(default_terms_days, int | np.integer) or default_terms_days < 0:
        raise InputError("default_terms_days", "a non-negative integer number of days",
                         default_terms_days, "pass e.g. default_terms_days=30")

    def col(name, default=np.nan, dtype="str"):
        if name in fec.columns:
            return fec[name]
        return pd.Series(default, index=fec.index, dtype=dtype)

    account = fec["account"].astype("str").str.strip()
    entry_date = pd.to_datetime(fec["entry_date"]).astype("datetime64[ns]")
    journal = col("journal_code").astype("str")
    sales = _sales_journals(fec, account, journal, sales_journals)
    keep = (account.str.startswith(prefixes, na=False) & (entry_date <= as_of)).to_numpy()
    f = fec.loc[keep]
    acc = account[keep]
    customer = _customer_ids(f)
    net = (pd.to_numeric(f["debit"]).fillna(0.0) - pd.to_numeric(f["credit"]).fillna(0.0))
    letter = f["letter"].astype("str").str.strip()
    letter = letter.where(letter != "")
    let_date = pd.to_datetime(f["letter_date"]).astype("datetime64[ns]")
    lettered = letter.notna() & (let_date.isna() | (let_date <= as_of))
    groups = pd.DataFrame({"acc": acc, "cust": customer, "letter": letter, "net": net})[lettered]
    group_sum = groups.groupby(["acc", "cust", "letter"], sort=False)["net"].transform("sum")
    balanced = pd.Series(False, index=f.index)
    balanced.loc[groups.index] = group_sum.abs() < 0.005
    closed = lettered & balanced
    partial = groups.loc[~(group_sum.abs() < 0.005)].drop_duplicates(["acc", "cust", "letter"])

    open_ = (~closed) & (net.abs() >= 0.005)
    o = f.loc[open_.to_numpy()]
    net_o = net[open_].round(2)
    jr = journal[keep][open_]
    doc_type = np.where(net_o > 0, "invoice",
                        np.where(jr.isin(sales), "credit_note", "unallocated_cash"))
    piece = col("piece_ref")[keep][open_].astype("str").str.strip()
    entry_num = col("entry_num")[keep][open_].astype("str").str.strip()
    line = col("line", default=np.nan, dtype="float64")[keep][open_]
    fallback = (jr.fillna("") + "-" + entry_num.fillna("")).where(jr.notna() & entry_num.notna())
    fallback = fallback.fillna("L" + line.astype("Int64").astype("str"))
    invoice_id = piece.where(piece.notna() & (piece != ""), fallback)
    e_date = entry_date[keep][open_]
    piece_date = pd.to_datetime(col("piece_date", pd.NaT, "datetime64[ns]")[keep][open_])
    is_cash = doc_type == "unallocated_cash"
    issue = piece_date.fillna(e_date).where(~is_cash, e_date).astype("datetime64[ns]")
    # DateRglt is the date of a payment, not a due date: the terms decide
    due = issue + pd.Timedelta(days=int(default_terms_days))
    due = due.where(~is_cash, e_date).astype("datetime64[ns]")
    items = pd.DataFrame({
        "customer_id": customer[open_].astype("str"),
        "invoice_id": invoice_id.astype("str"),
        "doc_type": pd.Series(doc_type, index=o.index, dtype="str"),
        "issue_date": issue,
        "due_date": due,
        "amount_ttc": net_o.astype("float64"),
        "paid_amount": 0.0,
        "open_amount": net_o.astype("float64"),
        "disputed": False,
        "account": acc[open_].astype("str"),
        "journal_code": jr.astype("str"),
        "entry_num": entry_num.astype("str"),
        "letter": letter[open_].astype("str"),
        "line": line.astype("Int64"),
    })
    items = items.sort_values(["customer_id", "issue_date", "invoice_id"], kind="stable")
    items = items.reset_index(drop=True)
    items.attrs.update({"source": fec.attrs.get("source"), "partial_letters": len(partial)})
    return OpenItems(items, as_of)


# ----------------------------------------------------------------------------- ledger tables
def _overlap(left: pd.DataFrame, right: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """Pairs of intervals ``[start, end)`` of ``left`` and ``right`` in the same group that
    overlap, with the overlap length ``amount`` (cents)."""
    pairs = left.merge(right, on=key, suffixes=("_l", "_r"))
    amt = (np.minimum(pairs["end_l"], pairs["end_r"])
           - np.maximum(pairs["start_l"], pairs["start_r"]))
    return pairs.assign(amount=amt)[amt > 0]


def fec_ledger_tables(fec: pd.DataFrame, *, accounts: str | Sequence[str] = ("411", "416"),
                      terms_days: int = 30, sales_journals: Sequence[str] | None = None
                      ) -> dict[str, pd.DataFrame]:
    """The canonical ``invoices`` and ``payments`` tables of the customer accounts of a FEC.

    Rules
    -----
    - Customer lines: ``account`` starting with one of ``accounts`` (411 and 416 by default);
      ``customer_id`` = ``aux_account`` when present, else ``account``.
    - A net debit line is an invoice; a net credit line in a sales journal (the journals
      crediting a 70* account, or ``sales_journals``) a credit note; any other net credit
      line is cash received (a payment dated ``entry_date``).
    - ``invoice_id`` = ``piece_ref`` (else ``journal_code-entry_num``), made unique with the
      FEC line number when repeated; ``issue_date`` = ``piece_date`` (else ``entry_date``);
      ``due_date`` = ``issue_date + terms_days`` — never ``DateRglt``, a payment date.
    - Lettering (``EcritureLet``, per account and customer) says what settles what: inside a
      group, cash pays the invoices in date order (a payment spanning two invoices is split)
      and credit notes are netted against the last invoices (``related_invoice_id``); cash
      beyond the group's invoices, and cash not lettered, stays on account.

    Returns
    -------
    dict
        ``{"invoices": ..., "payments": ...}`` with canonical columns (``payments`` has one row
        per allocation, ``payment_id`` = ``R<line>`` or ``R<line>-<k>``).
    """
    if not isinstance(fec, pd.DataFrame) or "account" not in fec.columns:
        raise InputError("fec", "a DataFrame of FEC lines (creditlab.io.read_fec)",
                         type(fec).__name__, "read the file with creditlab.io.read_fec(path)")
    prefixes = (accounts,) if isinstance(accounts, str) else tuple(accounts)

    def col(name):
        return fec[name] if name in fec.columns else pd.Series(np.nan, index=fec.index,
                                                                dtype="object")

    account = fec["account"].astype("str").str.strip()
    journal = col("journal_code").astype("str")
    sales = _sales_journals(fec, account, journal, sales_journals)
    f = fec.loc[account.str.startswith(prefixes, na=False).to_numpy()].copy()
    if f.empty:
        raise InputError("fec", f"lines on the customer accounts {list(prefixes)}",
                         "no such line", "check the accounts setting (411, 416...) of the FEC")
    acc = account[f.index]
    f["customer_id"] = _customer_ids(f)
    cents = ((pd.to_numeric(f["debit"]).fillna(0.0) - pd.to_numeric(f["credit"]).fillna(0.0))
             * 100).round().astype("int64")
    f["cents"] = cents
    f = f[cents != 0]
    jr = journal[f.index]
    f["kind"] = np.where(f["cents"] > 0, "invoice",
                         np.where(jr.isin(sales), "credit_note", "cash"))
    line = col("line")[f.index]
    f["line_no"] = line.fillna(pd.Series(np.arange(len(f)) + 2, index=f.index)).astype("int64")
    piece = col("piece_ref")[f.index].astype("str").str.strip()
    ent = col("entry_num")[f.index].astype("str").str.strip()
    doc_id = piece.where(piece.notna() & (piece != "") & (piece != "nan"), jr + "-" + ent)
    docs = f["kind"] != "cash"
    repeated = doc_id.duplicated(keep=False) & docs
    f["doc_id"] = doc_id.where(~repeated, doc_id + "/L" + f["line_no"].astype("str"))
    entry = pd.to_datetime(f["entry_date"]).astype("datetime64[ns]")
    pdate = pd.to_datetime(col("piece_date")[f.index]).astype("datetime64[ns]")
    f["issue"] = pdate.fillna(entry)
    f["entry"] = entry
    letter = col("letter")[f.index].astype("str").str.strip()
    f["group"] = np.where(letter.notna() & (letter != "") & (letter != "nan"),
                          acc + "|" + f["customer_id"] + "|" + letter, "")
    key = ["group"]
    lettered = f[f["group"] != ""]
    inv = lettered[lettered["kind"] == "invoice"].sort_values(["group", "issue", "line_no"])
    inv = inv.assign(end=inv.groupby("group")["cents"].cumsum())
    inv = inv.assign(start=inv["end"] - inv["cents"])
    total = inv.groupby("group")["cents"].sum()
    cash = lettered[lettered["kind"] == "cash"].sort_values(["group", "entry", "line_no"])
    cash = cash.assign(end=(-cash["cents"]).groupby(cash["group"]).cumsum())
    cash = cash.assign(start=cash["end"] + cash["cents"])
    cn = lettered[lettered["kind"] == "credit_note"].sort_values(["group", "issue", "line_no"])
    # credit notes laid from the end of the group's invoices backwards
    cn_end = total.reindex(cn["group"]).fillna(0).to_numpy() - \
        (-cn["cents"]).groupby(cn["group"]).cumsum().to_numpy() - cn["cents"].to_numpy()
    cn = cn.assign(end=cn_end, start=cn_end + cn["cents"].to_numpy())
    cols = ["group", "start", "end"]
    pay_alloc = _overlap(cash[[*cols, "line_no"]], inv[[*cols, "doc_id"]], key)
    cn_alloc = _overlap(cn[[*cols, "doc_id"]], inv[[*cols, "doc_id"]], key) \
        .sort_values("amount", ascending=False).drop_duplicates("doc_id_l")
    related = dict(zip(cn_alloc["doc_id_l"], cn_alloc["doc_id_r"], strict=True))

    documents = f[docs]
    invoices = pd.DataFrame({
        "invoice_id": documents["doc_id"].astype("str"),
        "customer_id": documents["customer_id"].astype("str"),
        "doc_type": np.where(documents["kind"] == "invoice", "invoice", "credit_note"),
        "issue_date": documents["issue"],
        "due_date": documents["issue"] + pd.Timedelta(days=int(terms_days)),
        "amount_ttc": documents["cents"] / 100.0,
        "related_invoice_id": documents["doc_id"].map(related),
    }).reset_index(drop=True)
    invoices["due_date"] = invoices["due_date"].where(invoices["doc_type"] == "invoice",
                                                      invoices["issue_date"])
    cash_all = f[f["kind"] == "cash"]
    allocated = pay_alloc.groupby("line_no")["amount"].sum()
    rest = (-cash_all.set_index("line_no")["cents"]).sub(allocated, fill_value=0)
    rest = rest[rest != 0]
    info = cash_all.set_index("line_no")
    alloc_rows = pd.DataFrame({
        "line_no": pay_alloc["line_no"].to_numpy(),
        "invoice_id": pay_alloc["doc_id"].to_numpy(),
        "cents": pay_alloc["amount"].to_numpy()})
    rest_rows = pd.DataFrame({"line_no": rest.index.to_numpy(), "invoice_id": None,
                              "cents": rest.to_numpy()})
    rows = pd.concat([alloc_rows, rest_rows], ignore_index=True).sort_values(
        "line_no", kind="stable")
    k = rows.groupby("line_no").cumcount()
    n = rows.groupby("line_no")["line_no"].transform("size")
    pid = "R" + rows["line_no"].astype("str")
    payments = pd.DataFrame({
        "payment_id": pid.where(n == 1, pid + "-" + (k + 1).astype("str")),
        "customer_id": info["customer_id"].reindex(rows["line_no"]).to_numpy(),
        "payment_date": info["entry"].reindex(rows["line_no"]).to_numpy(),
        "amount": rows["cents"].to_numpy() / 100.0,
        "invoice_id": rows["invoice_id"].to_numpy(),
        "method": None}).reset_index(drop=True)
    return {"invoices": coerce_types(invoices, "invoices"),
            "payments": coerce_types(payments, "payments")}


def fec_customers(fec: pd.DataFrame, *, accounts: str | Sequence[str] = ("411", "416")
                  ) -> pd.DataFrame:
    """The customers of a FEC's customer accounts, named from their auxiliary accounts.

    Rules
    -----
    - Customer lines: ``account`` starting with one of ``accounts`` (411 and 416 by default);
      ``customer_id`` = ``aux_account`` (``CompAuxNum``) when present, else ``account`` — the
      same id as in :func:`fec_ledger_tables` and :func:`fec_open_items`.
    - ``name`` = ``aux_label`` (``CompAuxLib``); on lines without auxiliary account, the
      ``account_label`` (``CompteLib``). When a customer's lines carry several labels (a
      renamed customer), the most frequent one wins, then the one of the latest line. A
      customer without any label is named by its id (never a missing name).

    Parameters
    ----------
    fec : DataFrame
        Output of :func:`creditlab.io.read_fec`.
    accounts : str or sequence of str, default ("411", "416")
        Account-number prefixes of the customer accounts.

    Returns
    -------
    DataFrame
        ``customer_id, name, account`` (text; ``account`` the general account of the
        customer's first line), one row per customer, sorted by ``customer_id``. Empty (same
        columns) when the FEC has no customer line.
    """
    if not isinstance(fec, pd.DataFrame) or "account" not in fec.columns:
        raise InputError("fec", "a DataFrame of FEC lines (creditlab.io.read_fec)",
                         type(fec).__name__, "read the file with creditlab.io.read_fec(path)")
    prefixes = (accounts,) if isinstance(accounts, str) else tuple(accounts)
    if not prefixes or not all(isinstance(p, str) and p for p in prefixes):
        raise InputError("accounts", "an account prefix or a sequence of them", accounts,
                         "pass e.g. accounts='411' or accounts=('411', '416')")
    account = _text(fec, "account")
    f = fec.loc[account.str.startswith(prefixes, na=False).to_numpy()]
    aux = _text(f, "aux_account")
    label = _text(f, "aux_label").where(aux.notna(), _text(f, "account_label"))
    lines = pd.DataFrame({"customer_id": _customer_ids(f), "label": label,
                          "account": account[f.index],
                          "order": np.arange(len(f))})
    named = lines.dropna(subset=["label"])
    votes = (named.groupby(["customer_id", "label"], sort=False)
             .agg(n=("order", "size"), last=("order", "max")).reset_index()
             .sort_values(["customer_id", "n", "last"], ascending=[True, False, False])
             .drop_duplicates("customer_id").set_index("customer_id")["label"])
    first = lines.drop_duplicates("customer_id").set_index("customer_id")
    out = pd.DataFrame({"customer_id": first.index.astype("str"),
                        "name": votes.reindex(first.index).fillna(
                            pd.Series(first.index, index=first.index)).to_numpy(),
                        "account": first["account"].to_numpy()})
    out = out.sort_values("customer_id", kind="stable").reset_index(drop=True)
    return out.astype({"customer_id": "str", "name": "str", "account": "str"})
