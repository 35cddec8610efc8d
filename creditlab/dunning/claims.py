"""What a dunning document claims, computed before anything is rendered.

- :func:`late_charges` — late-payment penalties (Code de commerce L441-10 II, accrued by
  :func:`creditlab.legal.late_penalties` from the day after the due date to ``as_of``, rounded
  to the cent) and the 40 € fixed recovery indemnity (D441-5) per late invoice: the one rule
  used by the action plan, the letters and the injonction de payer file (DOMAIN.md §7.2).
- :func:`letter_figures` — every figure a letter prints (:class:`LetterFigures`): the listed
  items with their penalty and indemnity, principal, penalties, indemnities, total claimed, the
  half-year penalty rate of the legal mention, the reply date and, for a statement, the ageing
  of the balance (:func:`creditlab.receivables.aged_balance`). The letter renderer
  (:mod:`creditlab.dunning.letters`) only formats them.

Amounts are euros TTC; totals are rounded to the cent half-up as a document prints them.
Penalties are NaN (with the reason) when the ECB rate of a half-year is not in the rate tables
yet: the documents then state the legal rule (ECB rate + 10 points, amount to be completed)
rather than print a wrong amount, and the job goes on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from creditlab._checks import as_date, as_date_column, round_cents
from creditlab.dunning.codes import LetterKind
from creditlab.exceptions import CreditlabError, InputError, ReferenceDataError
from creditlab.legal import (
    FIXED_INDEMNITY_EUR,
    default_penalty_rate,
    late_penalties,
    penalties_by_period,
)
from creditlab.receivables import OPEN_ITEM_COLUMNS, Ledger, aged_balance

__all__ = ["late_charges", "letter_figures", "LetterFigures", "KIND_SPEC",
           "late_payment_claims", "penalty_lower_bound"]

#: Per letter kind: penalties claimed, indemnity claimed, days given to pay by default.
KIND_SPEC = {
    LetterKind.COURTESY: {"interest": False, "fees": False, "reply_days": 0},
    LetterKind.REMINDER_1: {"interest": False, "fees": False, "reply_days": 0},
    LetterKind.REMINDER_2: {"interest": True, "fees": True, "reply_days": 8},
    LetterKind.FORMAL_NOTICE: {"interest": True, "fees": True, "reply_days": 8},
    LetterKind.STATEMENT: {"interest": False, "fees": False, "reply_days": 0},
    LetterKind.PHONE_SCRIPT: {"interest": False, "fees": False, "reply_days": 0},
}


def late_charges(items: pd.DataFrame, as_of: pd.Timestamp, late, *, claim_interest,
                 claim_fees, strict: bool = False, payments: pd.DataFrame | None = None,
                 stop_dates=None) -> tuple[np.ndarray, np.ndarray, str]:
    """Penalty and indemnity of each row of ``items`` (``open_amount``, ``due_date``).

    Parameters
    ----------
    items : DataFrame
        Rows with ``open_amount`` (euros TTC, the amount penalties accrue on — a lower bound
        when part of the invoice was paid late) and ``due_date``.
    as_of : Timestamp
        Penalties accrue up to this date.
    late : bool array-like
        Rows that are late invoices (the others get 0).
    claim_interest, claim_fees : bool or bool array-like
        Claim the penalties / the fixed indemnity (per row or for all).
    payments : DataFrame, optional
        The ledger's payments (``invoice_id, payment_date, amount``). With them (and
        ``amount_ttc`` in ``items``) penalties run on the balance of each sub-period between
        the due date, each partial payment and ``as_of`` (L441-10 II,
        :func:`creditlab.legal.penalties_by_period`); an invoice whose balance is not
        explained by its payments alone (credit note, unallocated cash) keeps the open-amount
        computation, a lower bound. Without them: the current open amount over the whole late
        period (a lower bound when part of an invoice was paid late).
    stop_dates : array-like, optional
        Per row, a date after which no interest runs (judgment opening insolvency
        proceedings, L622-28); NaT: none.
    strict : bool, default False
        Raise :class:`~creditlab.exceptions.ReferenceDataError` when an ECB rate is missing
        (a letter that must print the penalties is not sent without them), instead of NaN
        penalties with the reason (the action plan: a weekly job must not stop on it).

    Returns
    -------
    (penalty, indemnity, error)
        Two float arrays (euros; penalties rounded to the cent) and ``""``, or the reason why
        the penalties are NaN (an ECB rate missing from the rate tables).
    """
    late = np.asarray(late, dtype=bool)
    want = late & np.broadcast_to(np.asarray(claim_interest, dtype=bool), late.shape)
    fees = late & np.broadcast_to(np.asarray(claim_fees, dtype=bool), late.shape)
    penalty = np.zeros(len(late))
    error = ""
    if want.any():
        sub = items[want]
        stops = None if stop_dates is None else pd.Series(
            pd.to_datetime(np.asarray(stop_dates)[want]), index=sub.index)
        try:
            end = pd.Series(as_of, index=sub.index)
            if stops is not None:
                end = end.where(stops.isna() | (stops >= end), stops)
            res = late_penalties(sub["open_amount"], sub["due_date"], end)
            values = np.asarray(res["penalty_rounded"], dtype="float64")
            if payments is not None and "amount_ttc" in sub.columns and len(sub):
                pay = payments[payments["invoice_id"].astype("str").isin(
                    sub["invoice_id"].astype("str"))]
                by = penalties_by_period(sub[["invoice_id", "due_date", "amount_ttc"]], pay,
                                         as_of, stop_dates=stops)
                same = (np.abs(by["balance_at_end"].to_numpy()
                               - sub["open_amount"].to_numpy(dtype="float64")) < 0.01)
                values = np.where(same, by["penalty_rounded"].to_numpy(), values)
        except ReferenceDataError as err:
            if strict:
                raise
            # rate tables not yet updated for the period: NaN with the reason, never a guess
            penalty[want] = np.nan
            error = str(err)
        else:
            penalty[want] = values
    indemnity = np.where(fees, float(FIXED_INDEMNITY_EUR), 0.0)
    return penalty, indemnity, error


def penalty_lower_bound(items: pd.DataFrame, late, payments: pd.DataFrame | None = None
                        ) -> np.ndarray:
    """Late rows whose penalties are only a **lower bound**: part of the invoice was settled
    (``amount_ttc`` above ``open_amount``) and the dated payments do not explain it (no payment
    history: an open-items export; or a credit note, cash on account), so the penalties run on
    today's open amount over the whole late period (:func:`late_charges`) instead of the
    balance of each sub-period (L441-10 II).
    Without ``amount_ttc`` nothing tells a partly paid invoice: no row is flagged."""
    late = np.asarray(late, dtype=bool)
    if "amount_ttc" not in items.columns:
        return np.zeros(len(late), dtype=bool)
    unexplained = (items["amount_ttc"].to_numpy(dtype="float64")
                   - items["open_amount"].to_numpy(dtype="float64"))
    if payments is not None and len(payments):
        known = payments.groupby(payments["invoice_id"].astype("str"))["amount"].sum()
        unexplained = unexplained - items["invoice_id"].astype("str").map(known).fillna(
            0.0).to_numpy(dtype="float64")
    return late & ~(np.abs(unexplained) < 0.01)


@dataclass(frozen=True, eq=False)
class LetterFigures:
    """Every figure of one letter, computed once (the renderer only formats them).

    Attributes
    ----------
    kind : LetterKind
    as_of : Timestamp
        Date of the letter.
    items : DataFrame
        The listed items sorted by due date: ``invoice_id, issue_date, due_date, amount_ttc,
        open_amount, doc_type``, ``days_past_due``, ``penalty`` and ``indemnity`` (0 when not
        claimed, NaN penalties when they could not be computed).
    claim_interest, claim_fees : bool
    penalties_ok : bool
        False when the penalties could not be computed (``penalty_error`` says why).
    principal, penalties, indemnities, total_claimed : float
        Euros TTC rounded to the cent; ``penalties`` NaN when not computed, ``total_claimed``
        then excludes them.
    overdue_total : float
        Open amount of the items past due.
    max_days_past_due : int
    oldest_due : Timestamp
        Oldest due date among the overdue items (of all items when none is overdue).
    reply_date : Timestamp
        ``as_of`` + the days given to pay.
    penalty_rate : float or None
        Annual default penalty rate of ``as_of``'s half-year (fraction), None when unknown.
    penalties_lower_bound : bool
        True when the penalties of a partly paid invoice ran on its open amount because its
        payment dates are not known (:func:`penalty_lower_bound`): the letter says they are a
        minimum.
    ageing : tuple of float or None
        Statement only: open amounts by age bucket (:func:`creditlab.receivables.bucket_labels`
        order, disputed items included) followed by the total.
    """

    kind: LetterKind
    as_of: pd.Timestamp
    items: pd.DataFrame
    claim_interest: bool
    claim_fees: bool
    penalties_ok: bool
    penalty_error: str
    principal: float
    penalties: float
    indemnities: float
    total_claimed: float
    overdue_total: float
    max_days_past_due: int
    oldest_due: pd.Timestamp
    reply_date: pd.Timestamp
    penalty_rate: float | None
    ageing: tuple[float, ...] | None
    penalties_lower_bound: bool = False


def _letter_items(items: pd.DataFrame) -> pd.DataFrame:
    """Checked copy of the items of a letter, sorted by due date then invoice."""
    if not isinstance(items, pd.DataFrame):
        raise InputError("items", "a DataFrame of open items", type(items).__name__,
                         "pass the customer's open items (creditlab.receivables.open_items)")
    required = ("invoice_id", "due_date", "open_amount")
    missing = [c for c in required if c not in items.columns]
    if missing:
        raise InputError("items columns", f"at least {list(required)}", f"missing {missing}",
                         "pass open items (creditlab.receivables.open_items)")
    if len(items) == 0:
        raise InputError("items", "at least one item", "an empty table",
                         "no letter is needed for a customer without open items")
    it = items.copy()
    it["due_date"] = as_date_column(it["due_date"], "items.due_date", allow_missing=True)
    nat = it["due_date"].isna()
    if nat.any():
        raise InputError("items.due_date", "a due date on every row",
                         f"missing for {it.loc[nat, 'invoice_id'].astype(str).head(5).tolist()}",
                         "fill due_date before printing a letter")
    amt = pd.to_numeric(it["open_amount"], errors="coerce")
    bad = ~np.isfinite(amt.to_numpy(dtype="float64", na_value=np.nan))
    if bad.any():
        raise InputError("items.open_amount", "a finite amount on every row",
                         f"missing for {it.loc[bad, 'invoice_id'].astype(str).head(5).tolist()}",
                         "fill open_amount")
    it["open_amount"] = amt.astype("float64")
    if "doc_type" not in it.columns:
        it["doc_type"] = np.where(it["open_amount"] >= 0, "invoice", "credit_note")
    neg = ((it["doc_type"] == "invoice").to_numpy(dtype=bool, na_value=False)
           & (it["open_amount"] < 0).to_numpy())
    if neg.any():
        raise InputError("items.open_amount", "a positive amount for invoices",
                         f"negative for {it.loc[neg, 'invoice_id'].astype(str).head(5).tolist()}",
                         "credit notes must have doc_type='credit_note'")
    if "issue_date" not in it.columns:
        it["issue_date"] = it["due_date"]
    if "amount_ttc" not in it.columns:
        it["amount_ttc"] = it["open_amount"]
    it["issue_date"] = as_date_column(it["issue_date"], "items.issue_date",
                                      allow_missing=True).fillna(it["due_date"])
    return it.sort_values(["due_date", "invoice_id"]).reset_index(drop=True)


def _ageing(it: pd.DataFrame, as_of: pd.Timestamp) -> tuple[float, ...]:
    """Open amounts by age bucket (disputed included) and the total, for a statement."""
    full = it.copy()
    for c, default in (("paid_amount", 0.0), ("disputed", False)):
        if c not in full.columns:
            full[c] = default
    full["customer_id"] = full["customer_id"].astype("str") if "customer_id" in full.columns \
        else "customer"
    full = full[list(OPEN_ITEM_COLUMNS)]
    full["issue_date"] = full[["issue_date", "due_date"]].min(axis=1).clip(upper=as_of)
    aged = aged_balance(full, as_of, disputed="include")
    tot = aged.totals
    return tuple(float(tot[c]) for c in (*aged.bucket_columns, aged.total_column))


def _rate(as_of: pd.Timestamp, penalty_rate: float | None) -> float | None:
    if penalty_rate is not None:
        return float(penalty_rate) if penalty_rate == penalty_rate else None
    try:
        rate = float(default_penalty_rate(as_of))
    except (CreditlabError, LookupError, ValueError):
        return None
    return rate if rate == rate else None


def letter_figures(kind: str, items: pd.DataFrame, as_of: pd.Timestamp, *,
                   claim_interest: bool | None = None, claim_fees: bool | None = None,
                   penalty_rate: float | None = None,
                   reply_days: int | None = None) -> LetterFigures:
    """The figures of one letter of ``kind`` listing ``items`` at ``as_of``.

    ``penalty`` / ``indemnity`` columns of ``items`` (the :attr:`ActionPlan.items` rows) are
    used as given; when absent (or NaN on a late invoice) they are computed by
    :func:`late_charges`. When the ECB rate of a period is missing from the rate tables the
    penalties are NaN (``penalties_ok`` False, ``penalty_error`` says which table to update):
    the letter still goes out and states the legal rule (ECB rate + 10 points, amount to be
    completed) instead of an amount; ``total_claimed`` then excludes the penalties.
    ``claim_interest`` / ``claim_fees`` / ``reply_days`` default by kind
    (:data:`KIND_SPEC`: reminder 2 and formal notice claim both and give 8 days).

    Raises
    ------
    InputError
        Unknown kind, missing due dates, non-finite or negative invoice amounts, no items.
    """
    if kind not in KIND_SPEC:
        raise InputError("kind", f"one of {[str(k) for k in KIND_SPEC]}", kind,
                         "injunction files are rendered by creditlab.dunning.injunction_file")
    kind = LetterKind(kind)
    spec = KIND_SPEC[kind]
    ci = spec["interest"] if claim_interest is None else bool(claim_interest)
    cf = spec["fees"] if claim_fees is None else bool(claim_fees)
    it = _letter_items(items)
    late = ((it["due_date"] < as_of) & (it["doc_type"] == "invoice")
            & (it["open_amount"] > 0)).to_numpy()
    error = ""
    if "indemnity" not in it.columns:
        it["indemnity"] = np.where(late & cf, float(FIXED_INDEMNITY_EUR), 0.0)
    if "penalty" not in it.columns or it.loc[late, "penalty"].isna().any():
        pen = np.zeros(len(it))
        if ci and late.any():
            # a rate missing from the tables never stops a letter: it states the legal rule
            # (ECB rate + 10 points, amount to be completed) instead of an amount
            pen, _, error = late_charges(it, as_of, late, claim_interest=True, claim_fees=False)
        it["penalty"] = pen
    it["penalty"] = it["penalty"].where(late, 0.0) if ci else 0.0
    it["indemnity"] = it["indemnity"].where(late, 0.0) if cf else 0.0
    ok = not error
    lower = (it["penalty_lower_bound"].fillna(False).to_numpy(dtype=bool) & late
             if "penalty_lower_bound" in it.columns else penalty_lower_bound(it, late))
    dpd = (as_of - it["due_date"]).dt.days
    it["days_past_due"] = dpd
    overdue = dpd > 0
    principal = round_cents(float(it["open_amount"].sum()))
    penalties = round_cents(float(it["penalty"].sum())) if ok else float("nan")
    indemnities = round_cents(float(it["indemnity"].sum()))
    total = round_cents(principal + (penalties if ci and ok else 0.0)
                        + (indemnities if cf else 0.0))
    rd = spec["reply_days"] if reply_days is None else int(reply_days)
    oldest = it.loc[overdue, "due_date"].min() if overdue.any() else it["due_date"].min()
    return LetterFigures(
        kind=kind, as_of=as_of, items=it, claim_interest=ci, claim_fees=cf, penalties_ok=ok,
        penalty_error=error, principal=principal, penalties=penalties,
        indemnities=indemnities, total_claimed=total,
        overdue_total=float(it.loc[overdue, "open_amount"].sum()),
        max_days_past_due=int(max(dpd.max(), 0)), oldest_due=oldest,
        reply_date=as_of + pd.Timedelta(days=rd), penalty_rate=_rate(as_of, penalty_rate),
        ageing=_ageing(it, as_of) if kind == LetterKind.STATEMENT else None,
        penalties_lower_bound=bool(ci and ok and lower.any()))


def late_payment_claims(ledger, start, end, *, contract_rate: float | None = None
                        ) -> pd.DataFrame:
    """Invoices paid late and settled in ``[start, end]``: the penalties and the 40 € indemnity
    still owed, ready to invoice.

    L441-10 II Code de commerce: the penalties are due without a reminder on late payment,
    day by day on the sum still due (each partial payment lowers the base,
    :func:`creditlab.legal.penalties_by_period`); D441-5: 40 € per invoice paid late. An invoice
    counts when its last payment (the one settling it) falls in the period and it had a late
    day.

    Parameters
    ----------
    ledger : Ledger or mapping
        A :class:`~creditlab.receivables.Ledger` or ``{"invoices", "payments"}`` tables
        (payments allocated with ``invoice_id``).
    start, end : date-like
        The settlement period (both included).
    contract_rate : float, optional
        Contractual rate (fraction) instead of the default rate (floored by law).

    Returns
    -------
    DataFrame, one row per invoice: ``customer_id, invoice_id, due_date, amount_ttc,
    paid_on`` (settlement date), ``late_days``, ``n_periods``, ``penalty`` (rounded to the
    cent), ``indemnity`` (40 €), ``total`` — sorted by customer and settlement date.
    """
    if isinstance(ledger, Ledger):
        invoices, payments = ledger.invoices, ledger.payments
    elif isinstance(ledger, dict) and {"invoices", "payments"} <= set(ledger):
        invoices, payments = ledger["invoices"], ledger["payments"]
    else:
        raise InputError("ledger", "a Ledger or {'invoices': ..., 'payments': ...}",
                         type(ledger).__name__, "pass creditlab.io.load_demo() or a Ledger")
    t0, t1 = as_date(start, "start"), as_date(end, "end")
    if t1 < t0:
        raise InputError("end", f"a date on or after start ({t0:%Y-%m-%d})", f"{t1:%Y-%m-%d}")
    inv = invoices
    if "doc_type" in inv.columns:
        inv = inv[inv["doc_type"] == "invoice"]
    inv = inv[pd.to_numeric(inv["amount_ttc"], errors="coerce") > 0].reset_index(drop=True)
    res = penalties_by_period(inv, payments, t1, contract_rate=contract_rate)
    paid_on = res["last_payment_date"]
    keep = ((res["balance_at_end"] <= 0.005) & (res["late_days"] > 0)
            & (paid_on >= t0) & (paid_on <= t1)).to_numpy()
    out = pd.DataFrame({
        "customer_id": inv["customer_id"].astype("str").to_numpy()[keep]
        if "customer_id" in inv.columns else "",
        "invoice_id": res["invoice_id"].to_numpy()[keep],
        "due_date": pd.to_datetime(inv["due_date"]).to_numpy()[keep],
        "amount_ttc": inv["amount_ttc"].to_numpy(dtype="float64")[keep],
        "paid_on": paid_on.to_numpy()[keep],
        "late_days": res["late_days"].to_numpy()[keep],
        "n_periods": res["n_periods"].to_numpy()[keep],
        "penalty": res["penalty_rounded"].to_numpy()[keep],
        "indemnity": res["indemnity"].to_numpy()[keep],
    })
    out["total"] = round_cents(out["penalty"] + out["indemnity"])
    return out.sort_values(["customer_id", "paid_on", "invoice_id"]).reset_index(drop=True)
