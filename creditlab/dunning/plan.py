"""Today's dunning actions: who to remind, how, for which invoices — never twice the same.

:func:`plan_actions` applies a :class:`~creditlab.dunning.policy.DunningPolicy` to the open items
of the ledger at ``as_of`` and to the history of actions already done, and returns an
:class:`ActionPlan` (one row per action, status ``"proposed"``). The plan is reviewed action by
action (:meth:`ActionPlan.approve`, :meth:`~ActionPlan.skip`, :meth:`~ActionPlan.postpone`, each
returning a new plan) and :meth:`ActionPlan.to_history` gives the rows to append to the history.
The inputs (ledger forms, history checks) live in :mod:`creditlab.dunning.inputs`, the legal
path of each item in :mod:`creditlab.dunning.legal_path`; both are re-exported here.

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
  inside the courtesy window) not yet reminded at that step or a later one (an invoice never
  gets the same reminder twice), except: at the insurer's notification, only the items that
  need it; at the mise en demeure and at an ordinary step, only the items whose legal path has not
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
  indemnities (``claim_fees``): 40 € per late invoice (D441-5). When the ledger is given as
  tables (or a Ledger) the penalties run on the balance of each sub-period between the due
  date, each partial payment and ``as_of`` (:func:`creditlab.legal.penalties_by_period`);
  with open items only (no payment dates) on the current open amount, a lower bound for a
  partly paid invoice: such items are flagged (``penalty_lower_bound`` of the items,
  ``penalties_lower_bound`` and a French ``penalty_note`` of the action) and the letters say
  the penalties are a minimum.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from creditlab._checks import as_date, round_cents
from creditlab._drawing import drawn_by
from creditlab._results import Result
from creditlab.dunning.claims import late_charges, penalty_lower_bound
from creditlab.dunning.codes import ActionStatus, Escalation, HistoryStatus
from creditlab.dunning.inputs import (  # noqa: F401  (re-exported)
    _DONE,
    _SEP,
    HISTORY_COLUMNS,
    HISTORY_STATUSES,
    _check_history,
    _check_invoice_signs,
    _check_items,
    _resolve_ledger,
    empty_history,
    ledger_items,
    ledger_payments,
)
from creditlab.dunning.insolvency import claims_to_declare, proceedings_at
from creditlab.dunning.legal_path import (  # noqa: F401  (re-exported)
    NEXT_ACTIONS,
    _done_exploded,
    _escalation_state,
    _listable,
    _reached_steps,
    legal_next_action,
)
from creditlab.dunning.policy import (
    DUNNING_LABELS,
    DunningPolicy,
    _customer_frame,
    dunning_labels,
    load_policy,
)
from creditlab.exceptions import InputError
from creditlab.i18n import check_lang, format_eur
from creditlab.labels import text
from creditlab.receivables import OPEN_ITEM_COLUMNS

__all__ = ["plan_actions", "ActionPlan", "HISTORY_COLUMNS", "ACTION_COLUMNS",
           "empty_history", "ledger_items", "legal_next_action", "NEXT_ACTIONS"]

# the ledger and history inputs (creditlab.dunning.inputs) and the legal path
# (creditlab.dunning.legal_path) are re-exported here, where they were first defined

#: Columns of :attr:`ActionPlan.actions`.
ACTION_COLUMNS = ("action_id", "customer_id", "name", "scenario", "step", "step_day",
                  "template", "channel", "escalation", "invoice_ids", "n_invoices", "amount",
                  "credits", "net_amount", "max_days_past_due", "claim_interest", "claim_fees",
                  "penalties", "indemnities", "total_claimed", "penalty_note", "assignee",
                  "status", "until", "reason", "penalties_lower_bound")


#: The words of ``penalty_note == "rates_missing"`` (followed by the table to update).
_RATES_MISSING = {"fr": "pénalités non calculées, tables de taux à mettre à jour : ",
                  "en": "penalties not computed, rate tables to update: "}


# --------------------------------------------------------------------------- planning
def plan_actions(ledger, policy: DunningPolicy | None = None, as_of=None,
                 history: pd.DataFrame | None = None, *, customers: pd.DataFrame | None = None,
                 events: pd.DataFrame | None = None) -> ActionPlan:
    """Plan today's dunning actions (vectorised; rules in the module docstring).

    Parameters
    ----------
    ledger : OpenItems, Ledger, DataFrame, mapping or tuple
        Open items (``Ledger.at(as_of)``: they carry their date, but no payment history, so
        the profile's payment behaviour is unknown — pass the Ledger or the tables for
        behaviour-based scenarios), a
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
    events : DataFrame, optional
        Insolvency proceedings (``customer_id, event_type, event_date``[,
        ``publication_date``]); default: the ledger mapping's ``events`` table when it has one.
        A customer under a sauvegarde, redressement or liquidation opened on or before
        ``as_of`` gets no dunning action (L622-7, L622-21, L641-3 Code de commerce) except the
        credit insurer's notification; its claims are listed in
        :attr:`ActionPlan.declarations` (:mod:`creditlab.dunning.insolvency`).

    Returns
    -------
    ActionPlan
        In codes (``assignee``: the step's role code or the sales rep's name;
        ``penalty_note``: ``rates_missing``, ``penalty_lower_bound`` or ``""``); words via
        :meth:`ActionPlan.in_words` and ``to_frame(lang)``. ``lang`` is no longer a parameter
        (passing it raises ``TypeError``); the letters take theirs
        (:func:`~creditlab.dunning.render_batch`).

    Raises
    ------
    InputError
        Missing ``as_of``, ``as_of`` different from the date of the OpenItems, missing columns,
        missing due dates, negative invoice amounts, malformed history.
    """
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
    # an ordinary reminder is never repeated for an invoice: one already reminded at this step
    # or a later one stays out of the letter (legal steps and the insurer's have their rules)
    ordinary_step = lst["escalation"].isna() | (lst["escalation"] == "")
    lst = lst[~(ordinary_step & (lst["done_day"].fillna(-np.inf) >= lst["step_day"]))]
    lst = lst.sort_values(["action_key", "due_date", "invoice_id"], kind="stable")

    # penalties per listed item (NaN with the reason when a rate table lacks the period: the
    # actions are still planned — a weekly job must not stop on it)
    late = lst["days_past_due"].to_numpy() > 0
    payments = ledger_payments(ledger)
    lst["penalty"], lst["indemnity"], error = late_charges(
        lst, asof, late, claim_interest=lst["claim_interest"].to_numpy(dtype=bool),
        claim_fees=lst["claim_fees"].to_numpy(dtype=bool), payments=payments)
    # partly paid invoices without payment dates (open-items export): a minimum, said so
    lst["penalty_lower_bound"] = penalty_lower_bound(
        lst, late & lst["claim_interest"].to_numpy(dtype=bool), payments)

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
                indemnities=("indemnity", "sum"),
                penalties_lower_bound=("penalty_lower_bound", "any"))
    credits = cred.groupby("action_key")["open_amount"].sum()
    act["credits"] = credits.reindex(act.index, fill_value=0.0).to_numpy(dtype="float64")
    act["amount"] = round_cents(act["amount"])      # half-up, as printed on the letters
    act["net_amount"] = round_cents(act["amount"] + act["credits"])
    act["penalties"] = act["penalties"].where(act["claim_interest"], 0.0)
    act["total_claimed"] = round_cents(act["net_amount"] + act["penalties"] + act["indemnities"])
    act["penalties_lower_bound"] &= act["claim_interest"] & act["penalties"].notna()
    act["penalty_note"] = np.where(
        act["claim_interest"] & act["penalties"].isna(), "rates_missing" if error else "",
        np.where(act["penalties_lower_bound"], "penalty_lower_bound", ""))
    # the insurer's notification is made whatever the amount (its deadline is contractual)
    keep = ((act["net_amount"] >= policy.min_amount) & (act["net_amount"] > 0)) | (
        (act["escalation"] == Escalation.INSURER_NOTIFICATION) & (act["amount"] > 0))
    act = act[keep]
    # insolvency proceedings: no dunning once the judgment is given (the insurer's
    # notification still is); the claims are to be declared instead
    if events is None:
        events = ledger.get("events") if isinstance(ledger, dict) else getattr(
            ledger, "events", None)
    proc = proceedings_at(events, asof)
    under = act["customer_id"].isin(proc.index) & (
        act["escalation"] != Escalation.INSURER_NOTIFICATION)
    act = act[~under.to_numpy()]
    lst = lst[lst["action_key"].isin(act.index)]
    declarations = _declarations(ledger, items, events, asof) if len(proc) else None

    # who, name, ids
    names = cframe["name"] if "name" in cframe.columns else None
    act["name"] = (names.reindex(act["customer_id"]).to_numpy(dtype=object)
                   if names is not None else "")
    if "sales_rep" in cframe.columns:
        rep = cframe["sales_rep"].reindex(act["customer_id"]).to_numpy(dtype=object)
        is_rep = (act["assignee"] == "sales_rep").to_numpy()
        rep_ok = pd.notna(rep) & is_rep
        act["assignee"] = np.where(rep_ok, rep, act["assignee"].to_numpy(dtype=object))
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
        "days_past_due", "scenario", "step", "step_day", "penalty", "indemnity",
        "penalty_lower_bound"]
    blocked = items[is_inv & (open_amt > 0) & disputed & (dpd > 0)]
    blocked = blocked[[c for c in OPEN_ITEM_COLUMNS if c in blocked.columns]
                      + ["days_past_due", "scenario"]].reset_index(drop=True)
    return ActionPlan(actions=act, items=lst[detail_cols].reset_index(drop=True),
                      blocked=blocked, profile=profile, as_of=asof, policy=policy,
                      declarations=declarations, penalty_error=error)


def _declarations(ledger, items: pd.DataFrame, events, asof) -> tuple:
    """``claims_to_declare`` from the ledger tables (or, with open items only, from their
    open amounts: penalties then on the open amount, a lower bound)."""
    payments = ledger_payments(ledger)
    if payments is not None:
        invoices = ledger.invoices if hasattr(ledger, "invoices") else (
            ledger[0] if isinstance(ledger, tuple) else ledger["invoices"])
    else:
        invoices = items.assign(amount_ttc=items["open_amount"])
        if "issue_date" not in invoices.columns:
            invoices["issue_date"] = invoices["due_date"]
    return claims_to_declare(invoices, payments, events, asof)


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
        ``reason``. Codes: ``assignee`` is the step's role (``credit_manager``...) or the
        sales rep's name, ``penalty_note`` is ``rates_missing`` (penalties NaN: a rate table
        does not cover the period, :attr:`penalty_error` says which), ``penalty_lower_bound``
        or ``""``; :meth:`in_words` gives both in words.
    items : DataFrame
        The listed invoices of every action (open-item columns, ``days_past_due``,
        ``penalty``, ``indemnity``).
    blocked : DataFrame
        Overdue invoices left out because they are disputed (the disputes blocking collection).
    profile : DataFrame
        Profile and scenario of every customer with an open item
        (:meth:`DunningPolicy.scenario_for`).
    as_of, policy
    declarations : tuple or None
        ``(summary, invoices)`` of :func:`creditlab.dunning.insolvency.claims_to_declare` for
        the customers under insolvency proceedings (see :attr:`claims_to_declare`).
    penalty_error : str
        Why the penalties could not be computed (the rate table to update), ``""`` when they
        were.
    """

    actions: pd.DataFrame
    items: pd.DataFrame
    blocked: pd.DataFrame
    profile: pd.DataFrame
    as_of: pd.Timestamp
    policy: DunningPolicy
    declarations: tuple | None = None
    penalty_error: str = ""

    def __repr__(self) -> str:
        # the dataclass repr printed every table and the whole policy (hundreds of lines)
        n = len(self.actions)
        amount = float(self.actions["net_amount"].sum()) if n else 0.0
        return (f"ActionPlan(as_of={self.as_of.date().isoformat()}, {n} actions for "
                f"{self.actions['customer_id'].nunique() if n else 0} customers, "
                f"{amount:,.2f} EUR net, {len(self.blocked)} disputed items blocked)")

    @property
    def claims_to_declare(self) -> pd.DataFrame:
        """Créances à déclarer: one row per customer under a proceeding with claims born
        before the judgment (deadline, flagged when estimated; principal, penalties to the
        judgment, indemnities, declared amount). Empty when none."""
        if self.declarations is None:
            return claims_to_declare(pd.DataFrame(columns=["customer_id", "invoice_id",
                                                           "due_date", "amount_ttc",
                                                           "issue_date"]), None, None,
                                     self.as_of)[0]
        return self.declarations[0]

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

    def in_words(self, lang: str = "fr") -> pd.DataFrame:
        """:attr:`actions` with ``assignee`` (role codes; a sales rep's name stays) and
        ``penalty_note`` in words (``rates_missing`` → "pénalités non calculées, tables de
        taux à mettre à jour : <which table>"); the other columns keep their codes."""
        lang = check_lang(lang)
        a = self.actions.copy()
        a["assignee"] = a["assignee"].map(lambda v: DUNNING_LABELS.get(v, {}).get(lang, v))
        notes = {"": "", "penalty_lower_bound": text("dunning.penalty_lower_bound_note", lang),
                 "rates_missing": _RATES_MISSING[lang] + self.penalty_error}
        a["penalty_note"] = a["penalty_note"].map(lambda v: notes.get(v, v)).astype("object")
        return a

    def to_frame(self, lang: str = "fr") -> pd.DataFrame:
        """:meth:`summary` in words: step names and column names from the label catalogue."""
        lang = check_lang(lang)
        out = self.summary()
        out["step"] = out["step"].map(lambda c: dunning_labels(c, lang)).astype("str")
        out.columns = [text(f"plan.{c}", lang) for c in out.columns]
        return out

    def _repr_html_(self) -> str:
        head = (f"<p><b>Plan de relance au {self.as_of:%d/%m/%Y}</b> — {len(self.actions)} "
                f"actions, {format_eur(float(self.actions['net_amount'].sum()), 'fr')}</p>")
        return head + self.in_words("fr").head(30)._repr_html_()

    #: Bars of the net amount per step (:func:`creditlab.plots.dunning.plot_by_step`).
    plot_by_step = drawn_by("creditlab.plots.dunning", "plot_by_step")
