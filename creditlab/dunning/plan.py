"""Today's dunning actions: who to remind, how, for which invoices — never twice the same.

:func:`plan_actions` applies a :class:`~creditlab.dunning.policy.DunningPolicy` to the open items
of the ledger at ``as_of`` and to the history of actions already done, and returns an
:class:`ActionPlan` (one row per action, status ``"proposed"``). The plan is reviewed action by
action (:meth:`ActionPlan.approve`, :meth:`~ActionPlan.skip`, :meth:`~ActionPlan.postpone`, each
returning a new plan) and :meth:`ActionPlan.to_history` gives the rows to append to the history.

Rules (the whole definition)
----------------------------
- ``days_past_due = as_of − due_date`` (calendar days). An item *reaches* the step of its
  customer's scenario with the largest ``day <= days_past_due``.
- Eligible items: invoices with a positive open amount, not disputed at ``as_of`` when the
  policy excludes disputed invoices (they are listed in :attr:`ActionPlan.blocked`). Credit
  notes and unallocated cash (negative open amounts, not disputed) are netted in the
  customer's ``net_amount``.
- History: an invoice counts as *done up to* the largest ``step_day`` of the history rows naming
  it with status ``sent`` or ``skipped`` dated on or before ``as_of``. A courtesy step (``day <=
  0``) is also covered when the customer was contacted (any ``sent``/``skipped`` action) on or
  after the day the item entered its courtesy window: a customer reminded of its overdue
  invoices is not sent a separate courtesy reminder the same week. A customer with a
  ``postponed`` row whose ``until`` is after ``as_of`` gets no action, nor does a customer (an
  invoice when not grouped) with a ``sent``/``skipped`` row dated ``as_of``: at most one action
  a day. A postponement never delays the insurer's notification. History dates are days (a
  time of day is dropped).
- Legal escalation steps are never skipped (DOMAIN.md §7.5: an injonction de payer follows a
  mise en demeure left unanswered). The steps whose ``escalation`` is in
  :data:`~creditlab.dunning.policy.LEGAL_ESCALATIONS` (``mise_en_demeure``,
  ``injonction_de_payer``, ``collection_agency``) form the *legal chain* of the scenario, each
  one a prerequisite of the later ones (a scenario cannot put an injonction or a collection
  agency before its mise en demeure). A legal step is *done* for an invoice when a
  ``sent``/``skipped`` history row naming the invoice has that ``escalation`` (matched on
  ``step_day`` in the invoice's scenario when the history has no ``escalation`` column); a done
  step counts its earlier legal steps as done. When an item reaches the next legal step after
  the latest one done for it (or any later step), it is planned at that next step — the
  earliest missing one: an item 150 days past due with no history gets the mise en demeure, not
  the injonction de payer — provided ``policy.escalation_delay_days`` (délai laissé par la mise
  en demeure, default 8) have passed since the first date the latest done legal step was done;
  while that delay runs the item gets no action. Ordinary reminders (steps without escalation)
  may still be skipped: an item far past due goes straight to the mise en demeure.
- The credit insurer's notification (``insurer_notification``) is outside the chain: nobody's
  prerequisite, it never waits for it (contractual deadline, DOMAIN.md §8). It is planned,
  before any other step, when an item reaches it and it is not done for that item, or when the
  item is past it, not notified, and still within ``policy.insurer_notification_days`` of its
  due date.
- Otherwise an item *needs* the step it reaches when that step's day is greater than its
  done-up-to day and the step is not covered.
- Grouping (``group_by_customer=True``): one action per customer, at the highest step needed by
  one of its items (the insurer's notification first when one of them needs it); it lists the
  customer's eligible overdue items (or, for a courtesy step with ``day <= 0``, the items
  inside the courtesy window), except: at the insurer's notification, only the items that need
  it; at the mise en demeure and at an ordinary step, only the items whose legal path has not
  started (no friendly reminder for an invoice under formal notice); at a later legal step,
  only the items for which it is the next legal step, reached and due (the others follow on a
  later run). No invoice gets a legal step or the notification twice. Every listed invoice is
  recorded in the history with that step, so running the plan again with the history yields
  no action (idempotent) until an item reaches a later step.
- ``net_amount = amount (listed invoices) + credits (credit notes and cash on account)``; the
  action is planned when ``net_amount >= min_amount`` and ``net_amount > 0`` — an insurer's
  notification whatever the amount (its deadline is contractual).
- Penalties (steps with ``claim_interest``): late-payment penalties of each listed overdue
  invoice on its open amount from the day after its due date to ``as_of``
  (:func:`creditlab.legal.late_penalties`, L441-10 II, DOMAIN.md §7.2), rounded to the cent;
  indemnities (``claim_fees``): 40 € per late invoice (D441-5). Penalties on the *current* open
  amount: a lower bound when part of an invoice was paid late.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from creditlab._checks import as_date, as_date_column, round_cents
from creditlab._results import Result
from creditlab.dunning.claims import late_charges
from creditlab.dunning.codes import ActionStatus, Escalation, HistoryStatus, NextAction
from creditlab.dunning.policy import (
    DUNNING_LABELS,
    LEGAL_ESCALATIONS,
    DunningPolicy,
    _customer_frame,
    dunning_labels,
    load_policy,
)
from creditlab.exceptions import InputError
from creditlab.i18n import check_lang, format_eur
from creditlab.labels import text
from creditlab.plots._axes import axes_or_new
from creditlab.receivables import (
    OPEN_ITEM_COLUMNS,
    Ledger,
    OpenItems,
    open_items,
    payment_behaviour,
    resolve_items,
)

__all__ = ["plan_actions", "ActionPlan", "HISTORY_COLUMNS", "ACTION_COLUMNS",
           "empty_history", "ledger_items", "legal_next_action", "NEXT_ACTIONS"]

#: Columns of the append-only history of dunning actions.
HISTORY_COLUMNS = ("action_id", "date", "customer_id", "scenario", "step", "step_day",
                   "template", "channel", "escalation", "invoice_ids", "amount", "status",
                   "until", "reason")
#: Columns of :attr:`ActionPlan.actions`.
ACTION_COLUMNS = ("action_id", "customer_id", "name", "scenario", "step", "step_day",
                  "template", "channel", "escalation", "invoice_ids", "n_invoices", "amount",
                  "credits", "net_amount", "max_days_past_due", "claim_interest", "claim_fees",
                  "penalties", "indemnities", "total_claimed", "penalty_note", "assignee",
                  "status", "until", "reason")
HISTORY_STATUSES = tuple(HistoryStatus)
#: History statuses that count as done (a skipped step is not proposed again).
_DONE = (HistoryStatus.SENT.value, HistoryStatus.SKIPPED.value)
_SEP = ";"


def empty_history() -> pd.DataFrame:
    """An empty history table with the right columns and dtypes."""
    return pd.DataFrame({
        "action_id": pd.Series(dtype="str"), "date": pd.Series(dtype="datetime64[ns]"),
        "customer_id": pd.Series(dtype="str"), "scenario": pd.Series(dtype="str"),
        "step": pd.Series(dtype="str"), "step_day": pd.Series(dtype="int64"),
        "template": pd.Series(dtype="str"), "channel": pd.Series(dtype="str"),
        "escalation": pd.Series(dtype="str"), "invoice_ids": pd.Series(dtype="str"),
        "amount": pd.Series(dtype="float64"), "status": pd.Series(dtype="str"),
        "until": pd.Series(dtype="datetime64[ns]"), "reason": pd.Series(dtype="str"),
    })


# --------------------------------------------------------------------------- inputs
def ledger_items(ledger, as_of=None, *, customers: pd.DataFrame | None = None):
    """Open items, customers and payment behaviour from any accepted ledger form.

    ``ledger`` is

    - :class:`~creditlab.receivables.OpenItems` (``Ledger.at(as_of)``): the date is theirs;
      ``as_of`` may be left out, and if given must be that date (else an :class:`InputError`
      saying how to recompute);
    - a :class:`~creditlab.receivables.Ledger`: the items are computed at ``as_of`` (required);
    - an open-items DataFrame (CONTRACTS.md shape: at least ``customer_id, invoice_id,
      due_date, open_amount``) with an explicit ``as_of``;
    - a mapping with ``invoices`` and ``payments`` (and optionally ``disputes``, ``customers``
      — e.g. :func:`creditlab.io.load_demo` output) or a tuple ``(invoices, payments)``, with an
      explicit ``as_of``.

    Returns ``(items, customers, behaviour)``; ``behaviour`` is None for open items.
    """
    items, customers, behaviour, _ = _resolve_ledger(ledger, as_of, customers)
    return items, customers, behaviour


def _resolve_ledger(ledger, as_of, customers: pd.DataFrame | None = None):
    """:func:`ledger_items` plus the date of the analysis (from the items when they know it)."""
    behaviour = None
    if isinstance(ledger, OpenItems | pd.DataFrame):
        raw, asof = resolve_items(ledger, as_of, name="ledger")
        items = _check_items(raw)
        if customers is None and isinstance(ledger, OpenItems):
            customers = ledger.customers
        return items, customers, behaviour, asof
    asof = as_date(as_of, "as_of")
    if isinstance(ledger, Ledger):
        ledger = {"invoices": ledger.invoices, "payments": ledger.payments,
                  "disputes": ledger.disputes, "customers": ledger.customers}
    if isinstance(ledger, tuple) and len(ledger) == 2:
        ledger = {"invoices": ledger[0], "payments": ledger[1]}
    if isinstance(ledger, Mapping):
        if "invoices" not in ledger or "payments" not in ledger:
            raise InputError("ledger", "a mapping with 'invoices' and 'payments' tables",
                             sorted(ledger), "pass e.g. creditlab.io.load_demo()")
        inv, pay = ledger["invoices"], ledger["payments"]
        _check_invoice_signs(inv, "invoices")
        items = open_items(inv, pay, asof, disputes=ledger.get("disputes"))
        behaviour = payment_behaviour(inv, pay, asof)
        if customers is None:
            customers = ledger.get("customers")
    else:
        raise InputError("ledger", "OpenItems (Ledger.at(as_of)), a Ledger, an open-items "
                         "DataFrame or {'invoices': ..., 'payments': ...}",
                         type(ledger).__name__,
                         "pass creditlab.receivables.Ledger.from_tables(...).at(as_of) or the "
                         "demo dict")
    return items, customers, behaviour, asof


def _check_invoice_signs(df: pd.DataFrame, table: str) -> None:
    if not isinstance(df, pd.DataFrame) or not {"doc_type", "amount_ttc"} <= set(df.columns):
        return
    amt = pd.to_numeric(df["amount_ttc"], errors="coerce")
    bad = (df["doc_type"] == "invoice").fillna(False).to_numpy(dtype=bool) & (amt < 0).to_numpy(
        dtype=bool, na_value=False)
    if bad.any():
        ids = df["invoice_id"][bad].head(5).tolist() if "invoice_id" in df.columns else []
        raise InputError(f"{table}.amount_ttc", "a positive amount for every invoice "
                         "(credit notes are doc_type='credit_note')",
                         f"{int(bad.sum())} negative invoice amount(s), e.g. {ids}",
                         "fix the sign, or set doc_type='credit_note' for an avoir")


def _check_items(items: pd.DataFrame) -> pd.DataFrame:
    required = ("customer_id", "invoice_id", "due_date", "open_amount")
    missing = [c for c in required if c not in items.columns]
    if missing:
        raise InputError("ledger columns", f"the open-item columns {list(required)}",
                         f"missing {missing}",
                         "compute them with creditlab.receivables.open_items(invoices, "
                         "payments, as_of)")
    out = items.copy()
    for c in ("customer_id", "invoice_id"):
        if out[c].isna().any():
            raise InputError(f"ledger.{c}", "an id on every row",
                             f"{int(out[c].isna().sum())} missing", f"fill {c}")
        out[c] = out[c].astype("str")
    out["due_date"] = as_date_column(out["due_date"], "ledger.due_date", allow_missing=True)
    nat = out["due_date"].isna()
    if nat.any():
        raise InputError("ledger.due_date", "a due date on every row",
                         f"{int(nat.sum())} missing due date(s), e.g. "
                         f"{out.loc[nat, 'invoice_id'].head(5).tolist()}",
                         "fill due_date (creditlab.legal computes it from the payment terms)")
    amt = pd.to_numeric(out["open_amount"], errors="coerce")
    if amt.isna().any() or not np.isfinite(amt.to_numpy(dtype="float64")).all():
        raise InputError("ledger.open_amount", "a finite amount in euros on every row",
                         f"{int((~np.isfinite(amt.to_numpy(dtype='float64', na_value=np.nan))).sum())}"
                         " missing or non-numeric", "fill or fix open_amount")
    out["open_amount"] = amt.astype("float64")
    if "doc_type" not in out.columns:
        out["doc_type"] = np.where(out["open_amount"] >= 0, "invoice", "credit_note")
    is_inv = (out["doc_type"] == "invoice").to_numpy(dtype=bool, na_value=False)
    if "amount_ttc" in out.columns:
        _check_invoice_signs(out, "ledger")
    elif (is_inv & (out["open_amount"] < 0).to_numpy()).any():
        bad = out.loc[is_inv & (out["open_amount"] < 0).to_numpy(), "invoice_id"].head(5)
        raise InputError("ledger.open_amount", "a positive open amount for invoices",
                         f"negative for {bad.tolist()}",
                         "set doc_type='credit_note' for avoirs, or fix the sign")
    if "disputed" not in out.columns:
        out["disputed"] = False
    out["disputed"] = out["disputed"].fillna(False).astype(bool)
    return out


def _check_history(history: pd.DataFrame | None) -> pd.DataFrame:
    if history is None:
        return empty_history()
    if not isinstance(history, pd.DataFrame):
        raise InputError("history", "a DataFrame (ActionPlan.to_history() rows)",
                         type(history).__name__)
    required = ("customer_id", "date", "step_day", "invoice_ids", "status")
    missing = [c for c in required if c not in history.columns]
    if missing:
        raise InputError("history columns", f"at least {list(required)}", f"missing {missing}",
                         "build the history from ActionPlan.to_history()")
    h = history.copy()
    # days, not times; typed dates read ISO or French day-first (05/12/2025 = 5 December)
    h["date"] = as_date_column(h["date"], "history.date")
    bad = ~h["status"].isin([s.value for s in HistoryStatus])
    if bad.any():
        raise InputError("history.status", f"values among {[str(s) for s in HistoryStatus]}",
                         sorted(set(h.loc[bad, "status"].astype(str)))[:5])
    h["step_day"] = pd.to_numeric(h["step_day"], errors="raise").astype("int64")
    if "until" not in h.columns:
        h["until"] = pd.NaT
    h["until"] = as_date_column(h["until"], "history.until", allow_missing=True)
    ids = h["invoice_ids"]
    if ids.map(lambda v: isinstance(v, list | tuple)).any():
        ids = ids.map(lambda v: _SEP.join(map(str, v)) if isinstance(v, list | tuple) else v)
    h["invoice_ids"] = ids.astype("str").fillna("")
    h["customer_id"] = h["customer_id"].astype("str")
    return h


# --------------------------------------------------------------------------- planning
def plan_actions(ledger, policy: DunningPolicy | None = None, as_of=None,
                 history: pd.DataFrame | None = None, *, customers: pd.DataFrame | None = None,
                 lang: str = "fr") -> ActionPlan:
    """Plan today's dunning actions (vectorised; rules in the module docstring).

    Parameters
    ----------
    ledger : OpenItems, Ledger, DataFrame, mapping or tuple
        Open items (``Ledger.at(as_of)``: they carry their date), a
        :class:`~creditlab.receivables.Ledger`, an open-items DataFrame
        (:func:`creditlab.receivables.open_items` shape), or
        ``{"invoices", "payments"[, "disputes", "customers"]}`` (e.g. ``load_demo()``), or
        ``(invoices, payments)``.
    policy : DunningPolicy, optional
        Default: :func:`~creditlab.dunning.load_policy` (the bundled default).
    as_of : date-like
        Date of the run: required, except with :class:`~creditlab.receivables.OpenItems`
        (their own date; a different ``as_of`` is an error — recompute the items at that
        date).
    history : DataFrame, optional
        Append-only history of actions (rows of :meth:`ActionPlan.to_history`): at least
        ``customer_id, date, step_day, invoice_ids`` (``;``-separated) and ``status``
        (``sent``, ``skipped``, ``postponed``; ``until`` for postponed rows); its
        ``escalation`` column tells which legal steps were done (without it they are matched
        on ``step_day``).
    customers : DataFrame, optional
        Canonical customers (``segment``, ``customer_since``, ``sales_rep``, ``name``, and
        optionally ``rating_class``/``risk_class``) for the profile of each customer.
    lang : {"fr", "en"}

    Returns
    -------
    ActionPlan

    Raises
    ------
    InputError
        Missing ``as_of``, ``as_of`` different from the date of the OpenItems, missing columns,
        missing due dates, negative invoice amounts, malformed history.
    """
    check_lang(lang)
    policy = load_policy() if policy is None else policy
    if not isinstance(policy, DunningPolicy):
        raise InputError("policy", "a DunningPolicy", type(policy).__name__,
                         "use creditlab.dunning.load_policy()")
    items, customers, behaviour, asof = _resolve_ledger(ledger, as_of, customers)
    hist = _check_history(history)
    hist = hist[hist["date"] <= asof]

    items = items.reset_index(drop=True)
    cust_ids = pd.Index(items["customer_id"].unique(), dtype="str")
    if customers is not None:
        cframe = _customer_frame(customers).reindex(cust_ids)
    else:
        cframe = pd.DataFrame(index=pd.Index(cust_ids, name="customer_id"))
    exposure = items.groupby("customer_id")["open_amount"].sum()
    profile = policy.scenario_for(cframe, as_of=asof, exposure=exposure, behaviour=behaviour)

    dpd = (asof - items["due_date"]).dt.days.to_numpy(dtype="int64")
    items["days_past_due"] = dpd
    disputed = items["disputed"].to_numpy(dtype=bool)
    is_inv = (items["doc_type"] == "invoice").to_numpy(dtype=bool, na_value=False)
    open_amt = items["open_amount"].to_numpy(dtype="float64")
    excl = disputed if policy.exclude_disputed else np.zeros(len(items), dtype=bool)
    eligible = is_inv & (open_amt > 0) & ~excl
    credit = (open_amt < 0) & ~excl

    # reached step (per scenario, vectorised inside; scenarios are few)
    scen = profile["scenario"].reindex(items["customer_id"]).to_numpy(dtype=object)
    items["scenario"] = pd.array(scen, dtype="str")
    reached, reached_idx = _reached_steps(scen, dpd, policy)
    items["reached_day"] = reached

    # history: done-up-to day per invoice, postponed customers
    done_rows = hist[hist["status"].isin(_DONE)]
    exploded = _done_exploded(done_rows)
    if len(done_rows):
        done = exploded.groupby("invoice_id")["step_day"].max()
        done_day = done.reindex(items["invoice_id"]).to_numpy(dtype="float64")
    else:
        done_day = np.full(len(items), np.nan)
    items["done_day"] = done_day
    post = hist[(hist["status"] == HistoryStatus.POSTPONED) & (hist["until"] > asof)]
    postponed = items["customer_id"].isin(post["customer_id"]).to_numpy(dtype=bool)
    # one action per customer (per invoice when not grouped) and per day: an action already
    # done on as_of covers the rest of the day
    today = exploded[exploded["date"] == asof]
    if policy.group_by_customer:
        done_today = items["customer_id"].isin(today["customer_id"]).to_numpy(dtype=bool)
    else:
        done_today = items["invoice_id"].isin(today["invoice_id"]).to_numpy(dtype=bool)

    # a courtesy step (day <= 0) is covered when the customer was contacted (sent / skipped
    # action) after the item entered its courtesy window
    if len(done_rows):
        last_contact = done_rows.groupby("customer_id")["date"].max()
        lc = items["customer_id"].map(last_contact).to_numpy(dtype="datetime64[ns]")
        window = (items["due_date"] + pd.to_timedelta(np.nan_to_num(reached), unit="D")) \
            .to_numpy(dtype="datetime64[ns]")
        covered = (reached <= 0) & ~np.isnat(lc) & (lc >= window)
    else:
        covered = np.zeros(len(items), dtype=bool)
    ordinary = reached > np.nan_to_num(done_day, nan=-np.inf)

    # escalation steps (module docstring): the legal path is never skipped, the insurer's
    # notification is never delayed
    esc = _escalation_state(items, scen, reached_idx, dpd, exploded, policy, asof)
    planned = np.select(
        [esc["insurer_due"], esc["legal_due"], esc["escalation_reached"], ordinary & ~covered],
        [esc["insurer_day"], esc["legal_day"], np.nan, reached], np.nan)
    # a postponement never delays the insurer's notification (contractual deadline, §8)
    needs = eligible & ~np.isnan(planned) & ~(postponed & ~esc["insurer_due"]) & ~done_today
    if policy.group_by_customer:
        key = items["customer_id"].astype("str")
    else:
        key = items["customer_id"].astype("str") + "|" + items["invoice_id"].astype("str")
    items["action_key"] = key.to_numpy()
    # the action's step: the highest step needed by one of its items, the insurer's
    # notification first when one of them needs it
    by_key = pd.DataFrame({"any": np.where(needs, planned, np.nan),
                           "insurer": np.where(needs & esc["insurer_due"], planned, np.nan)})
    agg = by_key.groupby(key.to_numpy()).max()
    step_day = agg["insurer"].fillna(agg["any"]).dropna()
    item_step = step_day.reindex(key.to_numpy()).to_numpy(dtype="float64")
    has_action = ~np.isnan(item_step)
    # listed: every eligible overdue item (a step after the due date), or the items inside the
    # courtesy window (a step on or before the due date); at a legal step after the mise en
    # demeure, only the items whose earlier legal steps are done and whose delay has passed
    cleared = _listable(item_step, scen, esc, policy)
    listed = has_action & eligible & cleared & np.where(item_step > 0, dpd > 0,
                                                        (dpd <= 0) & ~np.isnan(reached))
    lst = items[listed].copy()
    lst["step_day"] = item_step[listed].astype("int64")
    cred = items[credit & has_action].copy() if policy.group_by_customer else items.iloc[:0]

    # step attributes
    steps = policy.steps_table()
    steps = steps.rename(columns={"day": "step_day", "name": "step", "channels": "channel"})
    lst = lst.merge(steps, on=["scenario", "step_day"], how="left", validate="many_to_one")
    lst = lst.sort_values(["action_key", "due_date", "invoice_id"], kind="stable")

    # penalties per listed item (NaN with the reason when a rate table lacks the period: the
    # actions are still planned — a weekly job must not stop on it)
    late = lst["days_past_due"].to_numpy() > 0
    lst["penalty"], lst["indemnity"], error = late_charges(
        lst, asof, late, claim_interest=lst["claim_interest"].to_numpy(dtype=bool),
        claim_fees=lst["claim_fees"].to_numpy(dtype=bool))
    note = "" if not error else (
        ("pénalités non calculées, tables de taux à mettre à jour : " if lang == "fr"
         else "penalties not computed, rate tables to update: ") + error)

    # group into actions
    g = lst.groupby("action_key", sort=False)
    act = g.agg(customer_id=("customer_id", "first"), scenario=("scenario", "first"),
                step=("step", "first"), step_day=("step_day", "first"),
                template=("template", "first"), channel=("channel", "first"),
                escalation=("escalation", "first"), assignee=("assignee", "first"),
                claim_interest=("claim_interest", "first"), claim_fees=("claim_fees", "first"),
                invoice_ids=("invoice_id", _SEP.join), n_invoices=("invoice_id", "size"),
                amount=("open_amount", "sum"), max_days_past_due=("days_past_due", "max"),
                penalties=("penalty", lambda s: s.sum(min_count=1) if s.notna().all()
                           else np.nan),
                indemnities=("indemnity", "sum"))
    credits = cred.groupby("action_key")["open_amount"].sum()
    act["credits"] = credits.reindex(act.index, fill_value=0.0).to_numpy(dtype="float64")
    act["amount"] = round_cents(act["amount"])      # half-up, as printed on the letters
    act["net_amount"] = round_cents(act["amount"] + act["credits"])
    act["penalties"] = act["penalties"].where(act["claim_interest"], 0.0)
    act["total_claimed"] = round_cents(act["net_amount"] + act["penalties"] + act["indemnities"])
    act["penalty_note"] = np.where(act["claim_interest"] & act["penalties"].isna(), note, "")
    # the insurer's notification is made whatever the amount (its deadline is contractual)
    keep = ((act["net_amount"] >= policy.min_amount) & (act["net_amount"] > 0)) | (
        (act["escalation"] == Escalation.INSURER_NOTIFICATION) & (act["amount"] > 0))
    act = act[keep]
    lst = lst[lst["action_key"].isin(act.index)]

    # who, name, ids
    names = cframe["name"] if "name" in cframe.columns else None
    act["name"] = (names.reindex(act["customer_id"]).to_numpy(dtype=object)
                   if names is not None else "")
    if "sales_rep" in cframe.columns:
        rep = cframe["sales_rep"].reindex(act["customer_id"]).to_numpy(dtype=object)
        is_rep = (act["assignee"] == "sales_rep").to_numpy()
        rep_ok = pd.notna(rep) & is_rep
        act["assignee"] = np.where(rep_ok, rep, act["assignee"].to_numpy(dtype=object))
    act["assignee"] = act["assignee"].map(
        lambda a: DUNNING_LABELS.get(a, {}).get(lang, a))
    tag = asof.strftime("%Y%m%d")
    suffix = "" if policy.group_by_customer else \
        "-" + act["invoice_ids"].astype("str")
    act["action_id"] = (tag + "-" + act["customer_id"].astype("str") + "-J"
                        + act["step_day"].map(lambda d: f"{int(d):+d}").astype("str") + suffix)
    act["status"] = ActionStatus.PROPOSED.value
    act["until"] = pd.NaT
    act["reason"] = ""
    act = act.sort_values(["step_day", "net_amount", "customer_id"],
                          ascending=[False, False, True])
    act = act.reset_index(drop=True)[list(ACTION_COLUMNS)]
    act["until"] = act["until"].astype("datetime64[ns]")
    act["step_day"] = act["step_day"].astype("int64")
    lst = lst.merge(act[["action_id", "customer_id"]].assign(
        action_key=act["customer_id"] if policy.group_by_customer
        else act["customer_id"] + "|" + act["invoice_ids"]), on=["customer_id", "action_key"])
    detail_cols = ["action_id"] + [c for c in OPEN_ITEM_COLUMNS if c in lst.columns] + [
        "days_past_due", "scenario", "step", "step_day", "penalty", "indemnity"]
    blocked = items[is_inv & (open_amt > 0) & disputed & (dpd > 0)]
    blocked = blocked[[c for c in OPEN_ITEM_COLUMNS if c in blocked.columns]
                      + ["days_past_due", "scenario"]].reset_index(drop=True)
    return ActionPlan(actions=act, items=lst[detail_cols].reset_index(drop=True),
                      blocked=blocked, profile=profile, as_of=asof, policy=policy, lang=lang)


def _reached_steps(scen: np.ndarray, dpd: np.ndarray,
                   policy: DunningPolicy) -> tuple[np.ndarray, np.ndarray]:
    """Day (NaN when none) and index (-1) of the step each item reaches in its scenario."""
    reached = np.full(len(dpd), np.nan)
    reached_idx = np.full(len(dpd), -1, dtype="int64")
    for name, sc in policy.scenarios.items():
        m = scen == name
        if not m.any():
            continue
        days = sc.days
        idx = np.searchsorted(days, dpd[m], side="right") - 1
        reached_idx[m] = idx
        reached[m] = np.where(idx >= 0, days[np.maximum(idx, 0)], np.nan)
    return reached, reached_idx


def _done_exploded(done_rows: pd.DataFrame) -> pd.DataFrame:
    """History rows done (sent / skipped), one row per invoice they name (``invoice_id``)."""
    if not len(done_rows):
        return done_rows.assign(invoice_id=pd.Series(dtype="str"))
    return done_rows.assign(invoice_id=done_rows["invoice_ids"].str.split(_SEP)) \
        .explode("invoice_id")


#: What is really next on the legal path of an item (:func:`legal_next_action`).
NEXT_ACTIONS = tuple(NextAction)


def legal_next_action(items, scenario, policy: DunningPolicy, as_of=None,
                      history: pd.DataFrame | None = None) -> np.ndarray:
    """What is really next on the legal path (DOMAIN.md §7.5) for each item, by the plan's rule.

    Same rule as :func:`plan_actions` (the legal chain is never skipped, the next legal step
    waits ``policy.escalation_delay_days`` after the latest one done): ``formal_notice_to_send``
    (a legal step is reached and no mise en demeure was done), ``formal_notice_delay`` (the
    next legal step is reached but the delay since the latest one done still runs), the
    escalation of the next legal step when it is due (``injonction_de_payer``,
    ``collection_agency``), ``awaiting_next_step`` (a legal step done, the next one not reached
    yet), ``legal_path_done`` (every legal step of the scenario done), ``""`` (no legal step
    reached nor done).

    Parameters
    ----------
    items : OpenItems or DataFrame with ``invoice_id`` and ``due_date``
        With :class:`~creditlab.receivables.OpenItems`, ``as_of`` is their date.
    scenario : array-like of scenario names, one per item.
    as_of : date-like
        Required with a DataFrame; with OpenItems it may be left out and must otherwise be
        their date.
    history : DataFrame, optional
        History of actions (as in :func:`plan_actions`).
    """
    items, asof = resolve_items(items, as_of)
    hist = _check_history(history)
    hist = hist[hist["date"] <= asof]
    scen = np.asarray(scenario, dtype=object)
    due = as_date_column(items["due_date"], "items.due_date")
    dpd = (asof - due).dt.days.to_numpy(dtype="int64")
    _, reached_idx = _reached_steps(scen, dpd, policy)
    exploded = _done_exploded(hist[hist["status"].isin(_DONE)])
    st = _escalation_state(items.reset_index(drop=True), scen, reached_idx, dpd, exploded,
                           policy, asof)
    h, reach, due = st["legal_done"], st["legal_next_reached"], st["legal_due"]
    nxt = st["legal_next"]
    out = np.full(len(items), "", dtype=object)
    out[(h >= 0) & ~reach] = NextAction.AWAITING_NEXT_STEP.value
    out[st["legal_complete"] & (h >= 0)] = NextAction.LEGAL_PATH_DONE.value
    out[reach & ~due] = NextAction.FORMAL_NOTICE_DELAY.value
    out[reach & due & (nxt == Escalation.FORMAL_NOTICE)] = NextAction.FORMAL_NOTICE_TO_SEND.value
    other = reach & due & (nxt != Escalation.FORMAL_NOTICE)
    out[other] = nxt[other]
    return out


def _done_dates(exploded: pd.DataFrame, step, by_escalation: bool,
                invoice_ids: pd.Series) -> np.ndarray:
    """First date each invoice of ``invoice_ids`` had ``step`` done (sent or skipped; NaT when
    never): matched on the history's ``escalation`` column when it has one, else on
    ``step_day``."""
    sel = (exploded["escalation"] == step.escalation) if by_escalation \
        else (exploded["step_day"] == step.day)
    first = exploded[sel.to_numpy(dtype=bool, na_value=False)].groupby("invoice_id")["date"].min()
    return first.astype("datetime64[ns]").reindex(invoice_ids.to_numpy()).to_numpy(
        dtype="datetime64[ns]")


def _escalation_state(items: pd.DataFrame, scen: np.ndarray, reached_idx: np.ndarray,
                      dpd: np.ndarray, exploded: pd.DataFrame, policy: DunningPolicy,
                      asof: pd.Timestamp) -> dict[str, np.ndarray]:
    """Per item: the legal step due (never skipped), the insurer's notification due (never
    delayed), and the legal progress used to list items (loops over scenarios and steps only).

    Keys: ``legal_due``/``legal_day`` (earliest legal step of the scenario reached and not done,
    its prerequisites done and the delay passed), ``escalation_reached`` (a legal step not done
    is reached: no ordinary step is planned instead, even while the delay runs),
    ``insurer_due``/``insurer_day``, ``legal_done`` (position in the scenario's legal chain of
    the latest legal step done, -1 none), ``legal_done_date`` (its first date), ``legal_next``
    (escalation of the next legal step of the chain, of the last one when all are done; None
    without chain), ``legal_next_reached`` (that next step is reached) and ``legal_complete``
    (every legal step of the chain done).
    """
    n = len(items)
    delay = np.timedelta64(int(policy.escalation_delay_days), "D")
    asof64 = np.datetime64(asof, "ns")
    by_escalation = "escalation" in exploded.columns
    out = {"legal_due": np.zeros(n, dtype=bool), "legal_day": np.full(n, np.nan),
           "escalation_reached": np.zeros(n, dtype=bool),
           "insurer_due": np.zeros(n, dtype=bool), "insurer_day": np.full(n, np.nan),
           "legal_done": np.full(n, -1, dtype="int64"),
           "legal_done_date": np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]"),
           "legal_next": np.full(n, None, dtype=object),
           "legal_next_reached": np.zeros(n, dtype=bool),
           "legal_complete": np.zeros(n, dtype=bool)}
    inv = items["invoice_id"]
    deadline = policy.insurer_notification_days
    # past the notification step, still within the insurer's deadline (no deadline: no)
    within = dpd <= deadline if deadline is not None else np.zeros(n, dtype=bool)
    for name, sc in policy.scenarios.items():
        m = scen == name
        if not m.any():
            continue
        ids, idx = inv[m], reached_idx[m]
        chain = [(i, st) for i, st in enumerate(sc.steps) if st.escalation in LEGAL_ESCALATIONS]
        h = np.full(int(m.sum()), -1, dtype="int64")
        h_date = np.full(int(m.sum()), np.datetime64("NaT"), dtype="datetime64[ns]")
        for k, (_, st) in enumerate(chain):  # ascending: the latest legal step done wins
            d = _done_dates(exploded, st, by_escalation, ids)
            h = np.where(~np.isnat(d), k, h)
            h_date = np.where(~np.isnat(d), d, h_date)
        out["legal_done"][m], out["legal_done_date"][m] = h, h_date
        if chain:
            pos = np.array([i for i, _ in chain], dtype="int64")
            nxt = h + 1  # next legal step of the chain, reached when its index <= reached
            has_next = nxt < len(chain)
            nxt_idx = pos[np.minimum(nxt, len(chain) - 1)]
            reach = has_next & (nxt_idx <= idx)
            waited = (h < 0) | (h_date + delay <= asof64)
            codes = np.array([st.escalation for _, st in chain], dtype=object)
            out["legal_next"][m] = codes[np.minimum(nxt, len(chain) - 1)]
            out["legal_next_reached"][m] = reach
            out["legal_complete"][m] = ~has_next
            out["escalation_reached"][m] = reach
            out["legal_due"][m] = reach & waited
            out["legal_day"][m] = np.where(reach & waited, sc.days[nxt_idx], np.nan)
        # a legal step already done is not planned again by the ordinary rule (e.g. a mise en
        # demeure done at another step day under a former scenario)
        done_legal_reached = np.zeros(int(m.sum()), dtype=bool)
        for k, (i, _) in enumerate(chain):
            done_legal_reached |= (idx == i) & (h >= k)
        out["escalation_reached"][m] |= done_legal_reached
        for i, st in enumerate(sc.steps):  # insurer: reached, or passed within its deadline
            if st.escalation != Escalation.INSURER_NOTIFICATION:
                continue
            d = _done_dates(exploded, st, by_escalation, ids)
            due = np.isnat(d) & ((idx == i) | ((idx > i) & within[m]))
            out["insurer_due"][m] |= due
            sub = out["insurer_day"][m]
            out["insurer_day"][m] = np.where(due, float(st.day), sub)
            # a notification already done is not planned again by the ordinary rule
            out["escalation_reached"][m] |= (idx == i) & ~np.isnat(d)
    return out


def _listable(item_step: np.ndarray, scen: np.ndarray, esc: dict[str, np.ndarray],
              policy: DunningPolicy) -> np.ndarray:
    """True where an item may be listed in its customer's action at ``item_step`` (loops over
    scenarios and steps only): at the insurer's notification, the items not yet notified that
    need it; at the first legal step (mise en demeure), the items whose legal path has not
    started; at a later legal step, the items for which it is the next legal step, due (earlier
    steps done, delay passed); at an ordinary step, the items whose legal path has not started
    (no friendly reminder for an invoice under formal notice). No invoice gets a step twice."""
    ok = np.zeros(len(item_step), dtype=bool)
    started = esc["legal_done"] >= 0
    for name, sc in policy.scenarios.items():
        in_scen = scen == name
        k = 0
        for st in sc.steps:
            at = in_scen & (item_step == st.day)
            if st.escalation == Escalation.INSURER_NOTIFICATION:
                ok[at] = esc["insurer_due"][at]
            elif st.escalation in LEGAL_ESCALATIONS:
                ok[at] = ~started[at] if k == 0 else (esc["legal_due"][at]
                                                      & (esc["legal_day"][at] == st.day))
                k += 1
            else:
                ok[at] = ~started[at]
    return ok


# --------------------------------------------------------------------------- result
@dataclass(frozen=True, eq=False)
class ActionPlan(Result):
    """Result of :func:`plan_actions`.

    Attributes
    ----------
    actions : DataFrame
        One row per action (``ACTION_COLUMNS``): ``action_id``, customer, scenario, step
        (name, day, template, channel(s), escalation), ``invoice_ids`` (``;``-separated),
        amounts in euros (``amount`` of the listed invoices, ``credits`` ≤ 0, ``net_amount``),
        ``penalties`` and ``indemnities`` claimed (0 when the step claims none, NaN with
        ``penalty_note`` when they cannot be computed), ``total_claimed``, ``assignee``,
        ``status`` (``proposed``, ``approved``, ``skipped``, ``postponed``), ``until``,
        ``reason``.
    items : DataFrame
        The listed invoices of every action (open-item columns, ``days_past_due``,
        ``penalty``, ``indemnity``).
    blocked : DataFrame
        Overdue invoices left out because they are disputed (the disputes blocking collection).
    profile : DataFrame
        Profile and scenario of every customer with an open item
        (:meth:`DunningPolicy.scenario_for`).
    as_of, policy, lang
    """

    actions: pd.DataFrame
    items: pd.DataFrame
    blocked: pd.DataFrame
    profile: pd.DataFrame
    as_of: pd.Timestamp
    policy: DunningPolicy
    lang: str = "fr"

    # ------------------------------------------------------------------ review
    def _ids(self, ids: Iterable[str] | str) -> np.ndarray:
        if isinstance(ids, str):
            ids = [ids]
        ids = list(ids)
        known = set(self.actions["action_id"])
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise InputError("ids", "action_id values of this plan", unknown[:5],
                             "take them from plan.actions['action_id']")
        return self.actions["action_id"].isin(ids).to_numpy()

    def _with(self, mask: np.ndarray, **values) -> ActionPlan:
        act = self.actions.copy()
        for col, v in values.items():
            act.loc[mask, col] = v
        return replace(self, actions=act)

    def approve(self, ids: Iterable[str] | str | None = None) -> ActionPlan:
        """New plan with the given actions (default: all still proposed) approved."""
        mask = (self.actions["status"] == ActionStatus.PROPOSED).to_numpy() if ids is None \
            else self._ids(ids)
        return self._with(mask, status=ActionStatus.APPROVED.value, reason="", until=pd.NaT)

    def skip(self, ids: Iterable[str] | str, reason: str) -> ActionPlan:
        """New plan with the given actions skipped for ``reason`` (required)."""
        if not isinstance(reason, str) or not reason.strip():
            raise InputError("reason", "a non-empty reason", reason,
                             "say why the action is skipped (e.g. 'paiement annoncé')")
        return self._with(self._ids(ids), status=ActionStatus.SKIPPED.value, reason=reason,
                          until=pd.NaT)

    def postpone(self, ids: Iterable[str] | str, until, reason: str = "") -> ActionPlan:
        """New plan with the given actions postponed until a date after ``as_of``."""
        u = as_date(until, "until")
        if u <= self.as_of:
            raise InputError("until", f"a date after as_of ({self.as_of:%Y-%m-%d})",
                             str(u.date()), "postpone to a later date")
        return self._with(self._ids(ids), status=ActionStatus.POSTPONED.value, until=u,
                          reason=reason)

    def to_history(self) -> pd.DataFrame:
        """Rows to append to the history: approved actions (as ``sent``), skipped and postponed
        ones, dated ``as_of``. Proposed (unreviewed) actions are not recorded."""
        reviewed = (ActionStatus.APPROVED, ActionStatus.SKIPPED, ActionStatus.POSTPONED)
        act = self.actions[self.actions["status"].isin([s.value for s in reviewed])]
        out = act.assign(date=self.as_of, status=act["status"].replace(
            {ActionStatus.APPROVED.value: HistoryStatus.SENT.value}))
        out = out[[c for c in HISTORY_COLUMNS]].reset_index(drop=True)
        base = empty_history()
        return pd.concat([base, out], ignore_index=True) if len(out) else base

    # ------------------------------------------------------------------ views
    def letters_for(self, action_id: str) -> tuple[pd.Series, pd.DataFrame]:
        """The action row and its listed items (for :func:`creditlab.dunning.render_letter`)."""
        mask = self._ids(action_id)
        row = self.actions[mask].iloc[0]
        return row, self.items[self.items["action_id"] == action_id]

    def summary(self) -> pd.DataFrame:
        """Actions per step, in codes: ``step_day``, ``step`` (the escalation of the step, else
        its template: ``insurer_notification``, ``reminder_1``...), ``n_actions``,
        ``net_amount``, ``penalties`` (NaN when not computed) and ``indemnities`` (euros)."""
        a = self.actions
        # what the step does: its escalation (insurer's notification...) else its template
        what = a["escalation"].where(a["escalation"].notna() & (a["escalation"] != ""),
                                     a["template"])
        out = a.assign(step=what).groupby(["step_day", "step"], sort=True).agg(
            n_actions=("action_id", "size"), net_amount=("net_amount", "sum"),
            penalties=("penalties", lambda v: v.sum(skipna=False)),  # NaN: not computed
            indemnities=("indemnities", "sum"))
        return out.reset_index()

    def to_frame(self, lang: str | None = None) -> pd.DataFrame:
        """:meth:`summary` in words (default: the plan's language): step names and column
        names from the label catalogue."""
        lang = self.lang if lang is None else check_lang(lang)
        out = self.summary()
        out["step"] = out["step"].map(lambda c: dunning_labels(c, lang)).astype("str")
        out.columns = [text(f"plan.{c}", lang) for c in out.columns]
        return out

    def _repr_html_(self) -> str:
        fr = self.lang == "fr"
        head = (f"<p><b>{'Plan de relance au' if fr else 'Dunning plan at'} "
                f"{self.as_of:%d/%m/%Y}</b> — {len(self.actions)} "
                f"{'actions' if fr else 'actions'}, "
                f"{format_eur(float(self.actions['net_amount'].sum()), self.lang)}</p>")
        return head + self.actions.head(30)._repr_html_()

    def plot_by_step(self, ax=None):
        """Bar chart of the net amount to collect per step; returns the Axes."""
        ax = axes_or_new(ax, figsize=(7, 3.5))
        s = self.summary()
        days = s["step_day"].map(lambda d: f"{int(d):+d}").astype("str")  # str even when empty
        day = "J" if self.lang == "fr" else "D"
        names = s["step"].map(lambda c: dunning_labels(c, self.lang)).astype("str")
        labels = names + f" ({day}" + days + ")"
        ax.barh(labels, s["net_amount"] / 1000.0)
        ax.set_xlabel("k€ (net)" if self.lang == "en" else "k€ (net)")
        ax.invert_yaxis()
        return ax
