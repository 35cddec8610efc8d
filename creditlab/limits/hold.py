"""Credit hold (blocage de commandes): release, hold for review or block each open order.

A decision is taken for every accepted order not yet shipped (or for a new order with
:func:`check_order`), with its reasons and what would release it. Thresholds come from the
``[hold]`` section of a :class:`~creditlab.limits.policy.CreditPolicy`. A credit manager may
override a decision; overrides are kept in an append-only :class:`OverrideLog` (who, why, when).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from creditlab._checks import as_date, as_date_column
from creditlab._results import Result
from creditlab._vocabulary import label_table
from creditlab.exceptions import InputError
from creditlab.i18n import check_lang
from creditlab.labels import label_view
from creditlab.limits.codes import Decision, HoldReason
from creditlab.limits.policy import CLASSES, DECISIONS, CreditPolicy
from creditlab.limits.words import hold_words
from creditlab.receivables import resolve_items
from creditlab.receivables.exposure import exposure as _exposure

__all__ = ["HOLD_REASONS", "DECISION_LABELS", "HOLD_COLUMN_LABELS", "OverrideLog", "HoldReport", "credit_hold",
           "check_order"]

#: Reasons for holding an order and decisions, with their French / English words, read-only,
#: from the label catalogue (``creditlab/data/labels/limits.csv``); kept for compatibility —
#: prefer ``HoldReason.DISPUTES.label(lang)``.
HOLD_REASONS = label_table(HoldReason)
DECISION_LABELS = label_table(Decision)
#: French / English labels of the columns of :class:`HoldReport` tables.
HOLD_COLUMN_LABELS = label_view("hold_column")
_SEVERITY = {d.value: i for i, d in enumerate(Decision)}
_OVERRIDE_COLS = ("order_id", "decision", "by", "why", "at")


@dataclass(frozen=True)
class OverrideLog:
    """Append-only record of manual decisions on orders (who decided what, why, when).

    ``record`` returns a *new* log with one more row; rows are never changed or removed.
    The latest override of an order dated on or before the analysis date replaces the
    system's decision in :func:`credit_hold` (the system's decision stays visible).
    """

    rows: tuple[tuple, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        for row in self.rows:
            _check_override(*row)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> OverrideLog:
        """Load a log saved with :meth:`to_frame` (columns order_id, decision, by, why, at)."""
        missing = [c for c in _OVERRIDE_COLS if c not in frame.columns]
        if missing:
            raise InputError("overrides", f"columns {list(_OVERRIDE_COLS)}", f"missing {missing}")
        f = frame[list(_OVERRIDE_COLS)]
        at = as_date_column(f["at"].reset_index(drop=True), "overrides.at")
        rows = tuple((str(r[0]), r[1], r[2], r[3], d)
                     for r, d in zip(f.itertuples(index=False, name=None), at, strict=True))
        return cls(rows)

    def record(self, order_id: str, decision: str, by: str, why: str, at) -> OverrideLog:
        """A new log with this override appended (the current log is unchanged)."""
        row = (str(order_id), decision, by, why, as_date(at, "at", allow_none=True) or pd.NaT)
        _check_override(*row)
        return OverrideLog((*self.rows, row))

    def to_frame(self) -> pd.DataFrame:
        """The log as a DataFrame, in recording order."""
        f = pd.DataFrame(list(self.rows), columns=list(_OVERRIDE_COLS))
        f["at"] = pd.to_datetime(f["at"])
        return f

    def latest(self, as_of=None) -> pd.DataFrame:
        """Latest override per order (recorded on or before ``as_of`` when given)."""
        f = self.to_frame()
        if as_of is not None:
            f = f[f["at"] <= as_date(as_of, "as_of")]
        f = f.reset_index(names="seq").sort_values(["at", "seq"])
        return f.drop_duplicates("order_id", keep="last").set_index("order_id").drop(
            columns="seq")

    def __len__(self) -> int:
        return len(self.rows)


def _check_override(order_id, decision, by, why, at) -> None:
    if decision not in DECISIONS:
        raise InputError("decision", f"one of {[str(d) for d in Decision]}", decision)
    for name, val in (("by", by), ("why", why)):
        if not isinstance(val, str) or not val.strip():
            raise InputError(name, "a non-empty text (an override says who decided and why)",
                             val, "e.g. by='M. Durand (credit manager)', why='acompte reçu'")
    if pd.isna(at):
        raise InputError("at", "the date of the override", at, "pass at=... explicitly")


@dataclass(frozen=True, eq=False)
class HoldReport(Result):
    """Decisions on open orders at a date; ``decisions`` has one row per order.

    :meth:`summary` is in codes (decisions ``release``, ``hold``, ``block``),
    :meth:`to_frame` in words (French by default); ``decisions`` holds
    codes and amounts, :meth:`in_words` adds the decision, its reasons and what would release
    the order in words.
    """

    decisions: pd.DataFrame
    as_of: pd.Timestamp

    def in_words(self, lang: str = "fr") -> pd.DataFrame:
        """``decisions`` with ``decision_label``, ``reason_text`` and ``release_condition`` in
        words (:func:`creditlab.limits.words.hold_words`; default French)."""
        return hold_words(self.decisions, lang)

    def on_hold(self, lang: str = "fr") -> pd.DataFrame:
        """Orders held or blocked, with their reasons, what would release them (in words) and
        the manual override that put them there, if any (who, why)."""
        d = self.decisions[self.decisions["decision"] != Decision.RELEASE]
        d = hold_words(d, lang)
        cols = ["customer_id", "order_date", "amount_ttc", "decision_label", "reason_text",
                "release_condition", "release_payment", "limit_increase", "days_waiting",
                "override_by", "override_why"]
        return d.sort_values(["decision", "amount_ttc"], ascending=[True, False])[cols]

    def overridden(self, lang: str = "fr") -> pd.DataFrame:
        """Orders whose decision was set by a manual override: the system's decision, the
        decision applied, who, why and when."""
        d = self.decisions[self.decisions["override_by"].notna()]
        d = hold_words(d, lang)
        cols = ["customer_id", "amount_ttc", "reason_text", "system_decision", "decision",
                "override_by", "override_why", "override_at"]
        return d.sort_values("override_at")[cols]

    def summary(self) -> pd.DataFrame:
        """Number and amount (euros TTC) of orders per decision, indexed by the decision codes
        (``release``, ``hold``, ``block``, all three always present)."""
        d = self.decisions
        g = d.groupby("decision")
        out = pd.DataFrame({"n_orders": g.size(), "amount_ttc": g["amount_ttc"].sum()})
        out = out.reindex([k.value for k in Decision]).fillna(0.0)
        out["n_orders"] = out["n_orders"].astype("int64")
        out.index.name = "decision"
        return out

    def to_frame(self, lang: str = "fr") -> pd.DataFrame:
        """:meth:`summary` in words (French by default)."""
        lang = check_lang(lang)
        out = self.summary()
        out.index = pd.Index([Decision(k).label(lang) for k in out.index],
                             name=HOLD_COLUMN_LABELS["decision_label"][lang])
        out.columns = [HOLD_COLUMN_LABELS[c][lang] for c in out.columns]
        return out

    def by_reason(self, lang: str = "fr") -> pd.DataFrame:
        """Number and amount of held/blocked orders per reason in words (an order may have
        several)."""
        lang = check_lang(lang)
        d = self.decisions[self.decisions["decision"] != Decision.RELEASE]
        ex = d.assign(reason=d["reasons"].str.split(";")).explode("reason")
        ex = ex[ex["reason"].notna() & (ex["reason"] != "")]
        g = ex.groupby("reason")
        out = pd.DataFrame({"n_orders": g.size(), "amount_ttc": g["amount_ttc"].sum()})
        out.index = [HOLD_REASONS.get(k, {}).get(lang, k) for k in out.index]
        return out.sort_values("amount_ttc", ascending=False)

    def _repr_html_(self) -> str:
        return self.to_frame().to_html(float_format=lambda v: f"{v:,.2f}", escape=True)


def credit_hold(orders: pd.DataFrame, items, as_of=None, *,
                customers: pd.DataFrame | None = None, policy: CreditPolicy | None = None,
                limits: pd.Series | None = None, ratings: pd.Series | None = None,
                disputes: pd.DataFrame | None = None, events: pd.DataFrame | None = None,
                guarantees: pd.DataFrame | None = None, overrides: OverrideLog | None = None) -> HoldReport:
    """Decide release / hold / block for every accepted order not yet shipped.

    Each customer's accepted orders are taken in date order: an order's exposure is the
    customer's open receivables + shipped not invoiced − valid guarantees + its earlier
    accepted orders (held ones included: they may still be released) + the order itself.

    Reasons (thresholds in ``policy["hold"]``):

    - ``over_limit``: exposure after the order > limit (``limits`` or ``customers.credit_limit``)
      → ``hold.over_limit``; block when the overrun exceeds ``block_over_limit_share`` × limit
      (or the limit is 0). ``no_limit``: no limit at all → ``hold.no_limit``.
    - ``overdue_amount``: past-due invoices > ``overdue_amount_hold`` → hold.
    - ``overdue_age``: oldest past-due invoice > ``overdue_days_hold`` days → hold,
      > ``overdue_days_block`` → block.
    - ``rating_class``: class >= ``rating_hold_class`` → hold, >= ``rating_block_class`` → block.
    - ``insurer_cancelled``: insurer agreement = 0 → ``hold.insurer_cancelled``.
    - ``disputes``: open disputed amount > ``disputes_amount_hold`` → ``hold.disputes``.
    - ``insolvency``: a procédure collective opened on or before ``as_of`` → ``hold.insolvency``.

    The decision is the most severe of its reasons; an override in ``overrides`` (latest one
    on or before ``as_of``) replaces it, and ``system_decision`` keeps the computed one.

    Parameters
    ----------
    orders : DataFrame
        Canonical orders table.
    items : OpenItems or DataFrame
        Open items: ``Ledger.at(as_of)`` (they carry their date) or an open-items DataFrame
        (``creditlab.receivables.open_items``) with an explicit ``as_of``.
    as_of : date-like
        Date of the decision. Required with a DataFrame; with OpenItems it may be left out and,
        if given, must be their date (an :class:`InputError` says how to recompute).

    Returns
    -------
    HoldReport
        ``decisions`` indexed by ``order_id``: ``customer_id, order_date, amount_ttc,
        exposure_before, exposure_after, credit_limit, overrun, past_due, max_days_past_due,
        disputed, rating_class, reasons`` (``;``-separated codes), ``system_decision, decision,
        override_by, override_why, override_at, release_payment`` (payment that would clear the
        payment-type reasons: the larger of the overrun, the past-due excess over the threshold
        and the invoices past the age limit), ``limit_increase`` (raise that would clear the
        overrun alone), ``days_waiting`` (days since the order date). Codes and amounts only:
        :meth:`HoldReport.in_words` adds ``decision_label``, ``reason_text`` and
        ``release_condition``.
    """
    items, asof = resolve_items(items, as_of)
    policy = policy or CreditPolicy.load()
    hp = policy.get("hold")
    for col in ("order_id", "customer_id", "order_date", "amount_ttc", "status"):
        if col not in orders.columns:
            raise InputError("orders", f"a column {col!r}", "missing",
                             "pass the canonical orders table")
    if not orders["order_id"].is_unique:
        raise InputError("orders.order_id", "unique order ids",
                         orders.loc[orders["order_id"].duplicated(), "order_id"].head(5).tolist())
    for col in ("customer_id", "due_date", "open_amount", "doc_type"):
        if col not in items.columns:
            raise InputError("items", f"a column {col!r}", "missing",
                             "pass the output of creditlab.receivables.open_items")

    order_date = as_date_column(orders["order_date"], "orders.order_date")
    o = orders.assign(order_date=order_date)[order_date <= asof]
    shipped = o["status"].eq("shipped")
    if "ship_date" in o.columns:
        shipped &= o["ship_date"].isna() | (o["ship_date"] <= asof)
    base = _exposure(items, o[shipped], asof, customers=customers, guarantees=guarantees,
                     insured_share=policy.insured_share).by_customer
    acc = o[~shipped].copy()
    acc["_seq"] = np.arange(len(acc))
    acc = acc.sort_values(["customer_id", "order_date", "_seq"])
    cust_ids = acc["customer_id"]
    base_exp = (base["open_receivables"] + base["shipped_not_invoiced"]
                - base["guarantees"]).reindex(cust_ids).fillna(0.0).to_numpy()
    amount = acc["amount_ttc"].astype("float64").to_numpy()
    prior = acc.groupby("customer_id")["amount_ttc"].cumsum().to_numpy() - amount
    before = np.maximum(base_exp + prior, 0.0)
    after = np.maximum(base_exp + prior + amount, 0.0)

    # limits
    if limits is not None:
        lim = pd.Series(limits, dtype="float64").reindex(cust_ids).to_numpy()
    elif customers is not None and "credit_limit" in customers.columns:
        lim = customers.drop_duplicates("customer_id").set_index("customer_id")[
            "credit_limit"].astype("float64").reindex(cust_ids).to_numpy()
    else:
        lim = np.full(len(acc), np.nan)
    if (np.nan_to_num(lim) < 0).any():
        raise InputError("limits", "credit limits >= 0", "negative values")
    overrun = np.where(np.isfinite(lim), np.maximum(after - lim, 0.0), np.nan)

    # overdue, disputes from the open items
    dpd = (asof - items["due_date"]).dt.days
    past = (items["doc_type"] == "invoice") & (dpd > 0) & (items["open_amount"] > 0)
    past_amt = items["open_amount"].where(past, 0.0).groupby(items["customer_id"]).sum()
    max_dpd = dpd.where(past).groupby(items["customer_id"]).max()
    old = past & (dpd > float(hp["overdue_days_hold"]))
    old_amt = items["open_amount"].where(old, 0.0).groupby(items["customer_id"]).sum()
    if disputes is not None:
        for col in ("customer_id", "opened_date", "closed_date", "amount_ttc"):
            if col not in disputes.columns:
                raise InputError("disputes", f"a column {col!r}", "missing")
        open_d = (disputes["opened_date"] <= asof) & (disputes["closed_date"].isna()
                                                     | (disputes["closed_date"] > asof))
        disp = disputes.loc[open_d].groupby("customer_id")["amount_ttc"].sum()
    elif "disputed" in items.columns:
        disp = items["open_amount"].where(items["disputed"].astype(bool), 0.0).groupby(
            items["customer_id"]).sum()
    else:
        disp = pd.Series(dtype="float64")
    past_c = past_amt.reindex(cust_ids).fillna(0.0).to_numpy()
    maxd_c = max_dpd.reindex(cust_ids).to_numpy(dtype="float64")
    old_c = old_amt.reindex(cust_ids).fillna(0.0).to_numpy()
    disp_c = disp.reindex(cust_ids).fillna(0.0).to_numpy()

    # rating, insurer, insolvency
    if ratings is not None:
        rc = pd.to_numeric(pd.Series(ratings), errors="coerce").astype("float64")
        if (rc.notna() & ~rc.isin(CLASSES)).any():
            raise InputError("ratings", f"classes in {CLASSES}", rc[~rc.isin(CLASSES)].head(5)
                             .to_dict(), "map external ratings to the internal classes first")
        rating = rc.reindex(cust_ids).to_numpy(dtype="float64")
    else:
        rating = np.full(len(acc), np.nan)
    if customers is not None and "insurer_agreement" in customers.columns:
        agr = customers.drop_duplicates("customer_id").set_index("customer_id")[
            "insurer_agreement"].astype("float64").reindex(cust_ids).to_numpy()
    else:
        agr = np.full(len(acc), np.nan)
    insolvent = np.zeros(len(acc), dtype=bool)
    proc = pd.Series(dtype="str")
    if events is not None and len(events):
        ev = events[events["event_date"] <= asof].sort_values("event_date")
        proc = ev.drop_duplicates("customer_id", keep="last").set_index("customer_id")[
            "event_type"]
        insolvent = cust_ids.isin(proc.index).to_numpy()

    sev = _SEVERITY
    block, hold, n = sev[Decision.BLOCK], sev[Decision.HOLD], len(acc)
    R = HoldReason
    reasons: list[tuple[str, np.ndarray, np.ndarray]] = []  # (code, mask, severity)
    with np.errstate(invalid="ignore"):
        over = np.isfinite(lim) & (overrun > 0.005)
        heavy = over & ((lim <= 0) | (overrun > float(hp["block_over_limit_share"]) * lim))
        reasons.append((R.OVER_LIMIT, over, np.where(heavy, block, sev[hp["over_limit"]])))
        reasons.append((R.NO_LIMIT, ~np.isfinite(lim) & (after > 0.005),
                        np.full(n, sev[hp["no_limit"]])))
        reasons.append((R.OVERDUE_AMOUNT, past_c > float(hp["overdue_amount_hold"]) + 0.005,
                        np.full(n, hold)))
        age = np.nan_to_num(maxd_c, nan=-1.0)
        reasons.append((R.OVERDUE_AGE, age > float(hp["overdue_days_hold"]),
                        np.where(age > float(hp["overdue_days_block"]), block, hold)))
        rc = np.nan_to_num(rating)
        reasons.append((R.RATING_CLASS, rc >= int(hp["rating_hold_class"]),
                        np.where(rc >= int(hp["rating_block_class"]), block, hold)))
        reasons.append((R.INSURER_CANCELLED, np.isfinite(agr) & (agr <= 0),
                        np.full(n, sev[hp["insurer_cancelled"]])))
        reasons.append((R.DISPUTES, disp_c > float(hp["disputes_amount_hold"]) + 0.005,
                        np.full(n, sev[hp["disputes"]])))
        reasons.append((R.INSOLVENCY, insolvent, np.full(n, sev[hp["insolvency"]])))
    reasons = [(code.value, mask, level) for code, mask, level in reasons]
    level = np.zeros(len(acc), dtype="int64")
    codes = np.full(len(acc), "", dtype=object)
    for code, mask, s in reasons:
        mask = np.asarray(mask, dtype=bool)
        level = np.where(mask, np.maximum(level, s), level)
        codes = np.where(mask, codes + code + ";", codes)
    codes = np.asarray([c.rstrip(";") for c in codes], dtype=object)
    system = np.asarray([d.value for d in Decision], dtype=object)[level]

    out = pd.DataFrame({
        "customer_id": cust_ids.to_numpy(), "order_date": acc["order_date"].to_numpy(),
        "amount_ttc": amount, "exposure_before": before, "exposure_after": after,
        "credit_limit": lim, "overrun": overrun, "past_due": past_c,
        "max_days_past_due": maxd_c, "disputed": disp_c, "rating_class": rating,
        "reasons": pd.array(codes, dtype="str"),
    }, index=pd.Index(acc["order_id"].astype("str").to_numpy(), name="order_id"))
    out["system_decision"] = pd.array(system, dtype="str")

    # overrides
    out["decision"] = out["system_decision"]
    out["override_by"] = pd.array([None] * len(out), dtype="str")
    out["override_why"] = pd.array([None] * len(out), dtype="str")
    out["override_at"] = pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns]")
    if overrides is not None and len(overrides):
        if not isinstance(overrides, OverrideLog):
            raise InputError("overrides", "an OverrideLog", type(overrides).__name__,
                             "build it with OverrideLog().record(...) or OverrideLog.from_frame")
        latest = overrides.latest(asof).reindex(out.index)
        has = latest["decision"].notna()
        out.loc[has, "decision"] = latest.loc[has, "decision"]
        out.loc[has, "override_by"] = latest.loc[has, "by"]
        out.loc[has, "override_why"] = latest.loc[has, "why"]
        out.loc[has, "override_at"] = latest.loc[has, "at"]

    # what would release the order
    has = {code: np.asarray(mask, dtype=bool) for code, mask, _ in reasons}
    pay_over = np.where(has["over_limit"], np.nan_to_num(overrun), 0.0)
    pay_amt = np.where(has["overdue_amount"], past_c - float(hp["overdue_amount_hold"]), 0.0)
    pay_age = np.where(has["overdue_age"], old_c, 0.0)
    payment = np.maximum.reduce([pay_over, pay_amt, pay_age])
    out["release_payment"] = payment
    out["limit_increase"] = pay_over
    out["days_waiting"] = (asof - out["order_date"]).dt.days
    return HoldReport(decisions=out.sort_index(), as_of=asof)


def check_order(customer_id: str, amount_ttc: float, orders: pd.DataFrame | None,
                items, as_of=None, *, order_id: str = "NOUVELLE-COMMANDE",
                **kwargs) -> pd.Series:
    """Decision for a new order, taken after every open order of the customer.

    ``items`` and ``as_of`` are as in :func:`credit_hold` (OpenItems carry their date; a
    DataFrame needs ``as_of``); the new order is dated ``as_of``. ``kwargs`` are those of
    :func:`credit_hold` (customers, policy, limits, ratings, disputes, events, guarantees,
    overrides). Returns the order's row of the decisions table, in codes and amounts;
    ``creditlab.limits.hold_words(row)`` adds the decision, its reasons and what would release
    it in words.
    """
    if isinstance(amount_ttc, bool) or not isinstance(amount_ttc, (int, float)) or not (
            amount_ttc > 0):
        raise InputError("amount_ttc", "an order amount > 0 (euros TTC)", amount_ttc)
    items, asof = resolve_items(items, as_of)
    new = pd.DataFrame({"order_id": [order_id], "customer_id": [customer_id],
                        "order_date": [asof], "amount_ttc": [float(amount_ttc)],
                        "status": ["accepted"]})
    if orders is not None:
        if order_id in set(orders["order_id"].astype("str")):
            raise InputError("order_id", "an id not used by an existing order", order_id)
        cols = [c for c in orders.columns if c in new.columns or c == "ship_date"]
        both = pd.concat([orders[cols], new], ignore_index=True)
    else:
        both = new
    both["order_date"] = as_date_column(both["order_date"], "orders.order_date")
    report = credit_hold(both, items, asof, **kwargs)
    return report.decisions.loc[str(order_id)]
